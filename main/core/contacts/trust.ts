// Senders and domains the user trusted or blocked by hand ("anna@acme.com", "acme.com"): the
// Junk verdicts honour them (known.ts trustOf). Kept in the prefs store (PREF_IDS.trust).
import type { Store } from '../store/index.js';
import { PREF_IDS, prefsOfKind, readPref, removePref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';
import type { TrustKind, TrustOverrides } from './known.js';

const TARGET = /^([^\s@]+@)?[a-z0-9.-]+\.[a-z0-9-]+$/i;

/** A sender or domain as the user typed it, checked and lower-cased ("@acme.com" is the domain). */
export function trustTarget(target: string): string {
  const t = String(target ?? '').trim().toLowerCase().replace(/^@/, '');
  if (!TARGET.test(t)) throw new TriageError('bad-input', `"${target}" is neither an address nor a domain.`);
  return t;
}

export async function setTrust(store: Store, target: string, kind: TrustKind): Promise<void> {
  const t = trustTarget(target);
  await writePref(store, { _id: PREF_IDS.trust(t), kind: 'trust', target: t, trust: kind });
}

export async function clearTrust(store: Store, target: string): Promise<void> {
  await removePref(store, PREF_IDS.trust(trustTarget(target)));
}

export async function trustFor(store: Store, target: string): Promise<TrustKind | null> {
  const doc = await readPref(store, PREF_IDS.trust(trustTarget(target)));
  return doc?.trust === 'trusted' || doc?.trust === 'blocked' ? doc.trust : null;
}

export async function trustOverrides(store: Store): Promise<TrustOverrides> {
  const docs = await prefsOfKind(store, 'trust');
  return {
    trusted: docs.filter((d) => d.trust === 'trusted').map((d) => String(d.target)),
    blocked: docs.filter((d) => d.trust === 'blocked').map((d) => String(d.target)),
  };
}
