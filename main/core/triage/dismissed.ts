// Unanswered mail the user dismissed ("no follow-up needed"): left out of the list. Kept in the
// prefs store (PREF_IDS.dismissed).
import type { Store } from '../store/index.js';
import { PREF_IDS, prefsOfKind, writePref } from '../store/index.js';

export async function dismissedIds(store: Store): Promise<Set<string>> {
  return new Set((await prefsOfKind(store, 'dismissed')).map((d) => String(d.target)));
}

export async function dismiss(store: Store, id: string, at: Date): Promise<void> {
  await writePref(store, { _id: PREF_IDS.dismissed(id), kind: 'dismissed', target: id, at: at.toISOString() });
}
