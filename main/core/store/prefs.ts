// The user's preferences, one nedb document each in prefs.db, and the whole key space in one
// place: every feature reads and writes its preferences through these functions (never
// `store.prefs` directly), so a key is spelled once and every change moves store.version().
import type { PrefDoc, Store } from './store.js';

export type PrefKind = PrefDoc['kind'];

/** Document ids by kind. Addresses and targets are lower case. */
export const PREF_IDS = {
  /** The Settings view's document (settings/app-settings.ts). */
  settings: 'setting:app',
  /** What send-due's plan check saw of an account's last sync (followup/send-due.ts). */
  planCheck: (account: string) => `setting:plan-check:${account}`,
  /** One contact's overrides: zone, country, hours, wait (contacts/prefs.ts). */
  contact: (address: string) => `contact:${address}`,
  /** A sender or domain the user trusted or blocked (contacts/trust.ts). */
  trust: (target: string) => `trust:${target}`,
  /** An unanswered mail the user dismissed (triage/dismissed.ts). */
  dismissed: (id: string) => `dismissed:${id}`,
} as const;

export async function readPref(store: Store, id: string): Promise<PrefDoc | null> {
  return (await store.prefs.findOne({ _id: id })) as PrefDoc | null;
}

export async function prefsOfKind(store: Store, kind: PrefKind): Promise<PrefDoc[]> {
  return (await store.prefs.find({ kind })) as PrefDoc[];
}

/** Insert or replace one document. */
export async function writePref(store: Store, doc: PrefDoc): Promise<void> {
  await store.prefs.update({ _id: doc._id }, doc, { upsert: true });
  store.touch();
}

export async function removePref(store: Store, id: string): Promise<void> {
  await store.prefs.remove({ _id: id }, {});
  store.touch();
}
