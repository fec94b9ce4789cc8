// What the user set for one contact (issue 6 item 1, issue 8 item 7): time zone, country,
// business hours, wait days. Kept in the prefs store (PREF_IDS.contact); checked here, once, with
// one set of bounds, whoever asks (the CLI's --set-*, the app's contact panel, the API).
import type { Store, PrefDoc } from '../store/index.js';
import { PREF_IDS, prefsOfKind, readPref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';
import { parseHoursRange, normalizeCountry, normalizeZone } from '../calendar/index.js';

export interface ContactPrefs {
  address: string;
  /** IANA zone. */
  timeZone?: string;
  /** ISO 3166 alpha-2. */
  country?: string;
  /** Local business hours, 'HH:MM-HH:MM'. */
  hours?: string;
  /** Business days to wait before a follow-up is due (issue 8). */
  waitDays?: number;
}

/** A change: a value sets the field, null clears it, a missing key leaves it alone. */
export type ContactPrefsChange = { [K in Exclude<keyof ContactPrefs, 'address'>]?: ContactPrefs[K] | null };

export const MAX_WAIT_DAYS = 60;

export function contactPrefId(address: string): string {
  return PREF_IDS.contact(normalizeAddress(address));
}

function normalizeAddress(address: string): string {
  const a = typeof address === 'string' ? address.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(a)) throw new TriageError('bad-input', `"${address}" is not an e-mail address.`);
  return a;
}

/** A stored contact doc checked field by field; fields that no longer validate are dropped. */
function fromDoc(doc: PrefDoc | null): ContactPrefs | null {
  if (!doc || doc.kind !== 'contact' || typeof doc.address !== 'string') return null;
  const out: ContactPrefs = { address: doc.address };
  const zone = typeof doc.timeZone === 'string' ? normalizeZone(doc.timeZone) : null;
  if (zone) out.timeZone = zone;
  const country = typeof doc.country === 'string' ? normalizeCountry(doc.country) : null;
  if (country) out.country = country;
  if (typeof doc.hours === 'string') {
    try {
      parseHoursRange(doc.hours);
      out.hours = doc.hours;
    } catch {
      /* a hand-edited store: ignore the field */
    }
  }
  if (typeof doc.waitDays === 'number' && doc.waitDays >= 0 && doc.waitDays <= MAX_WAIT_DAYS) out.waitDays = doc.waitDays;
  return out;
}

export async function getContactPrefs(store: Store, address: string): Promise<ContactPrefs | null> {
  return fromDoc(await readPref(store, contactPrefId(address)));
}

/** Apply a change (validated) and return what is stored now. */
export async function setContactPrefs(store: Store, address: string, change: ContactPrefsChange): Promise<ContactPrefs> {
  const addr = normalizeAddress(address);
  const current = (await getContactPrefs(store, addr)) ?? { address: addr };
  const next: ContactPrefs = { ...current };
  if (change.timeZone !== undefined) {
    if (change.timeZone === null) delete next.timeZone;
    else {
      const zone = normalizeZone(change.timeZone);
      if (!zone) throw new TriageError('bad-input', `"${change.timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);
      next.timeZone = zone;
    }
  }
  if (change.country !== undefined) {
    if (change.country === null) delete next.country;
    else {
      const cc = normalizeCountry(change.country);
      if (!cc) throw new TriageError('bad-input', `"${change.country}" is not a two-letter country code.`);
      next.country = cc;
    }
  }
  if (change.hours !== undefined) {
    if (change.hours === null) delete next.hours;
    else {
      const h = parseHoursRange(change.hours);
      next.hours = `${h.start}-${h.end}`;
    }
  }
  if (change.waitDays !== undefined) {
    if (change.waitDays === null) delete next.waitDays;
    else {
      const n = Number(change.waitDays);
      if (!Number.isFinite(n) || n < 0 || n > MAX_WAIT_DAYS) throw new TriageError('bad-input', `wait days must be between 0 and ${MAX_WAIT_DAYS}, not "${change.waitDays}".`);
      next.waitDays = n;
    }
  }
  const doc: PrefDoc = { _id: contactPrefId(addr), kind: 'contact', ...next };
  await writePref(store, doc);
  return next;
}

/** Every contact's settings, by address. */
export async function loadContactPrefs(store: Store): Promise<Map<string, ContactPrefs>> {
  const out = new Map<string, ContactPrefs>();
  for (const doc of await prefsOfKind(store, 'contact')) {
    const prefs = fromDoc(doc);
    if (prefs) out.set(prefs.address, prefs);
  }
  return out;
}
