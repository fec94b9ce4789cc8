// Unanswered mail the user dismissed ("no follow-up needed"): left out of the list, found again
// in the list of dismissed mail, and put back by undismiss (its Undo). Kept in the prefs store
// (PREF_IDS.dismissed), by record id or Message-ID.
import type { Store } from '../store/index.js';
import { PREF_IDS, prefsOfKind, readPref, removePref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';

export async function dismissedIds(store: Store): Promise<Set<string>> {
  return new Set((await dismissedAt(store)).keys());
}

/** When each dismissed mail was dismissed, by the id it was dismissed under. */
export async function dismissedAt(store: Store): Promise<Map<string, string>> {
  return new Map((await prefsOfKind(store, 'dismissed')).map((d) => [String(d.target), typeof d.at === 'string' ? d.at : '']));
}

export async function undismiss(store: Store, id: string): Promise<void> {
  if (!(await readPref(store, PREF_IDS.dismissed(id)))) throw new TriageError('not-found', 'That mail is not dismissed (any more).');
  await removePref(store, PREF_IDS.dismissed(id));
}

export async function dismiss(store: Store, id: string, at: Date): Promise<void> {
  await writePref(store, { _id: PREF_IDS.dismissed(id), kind: 'dismissed', target: id, at: at.toISOString() });
}
