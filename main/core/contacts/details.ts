// `triage contact` behind the service: one contact's rhythm, time zone and the user's overrides,
// and the store reads the unanswered list needs for due dates. The I/O lives here; the analysis
// it calls (rhythm.ts, due.ts, rhythm-send.ts) is pure.
import type { ContactInfo, ContactOverrides } from '../api.js';
import type { BusinessHours } from '../calendar/calendar.js';
import { getContactPrefs, parseHoursRange, setContactPrefs, type ContactPrefs, type ContactPrefsChange } from './prefs.js';
import { localTimeZone } from '../calendar/local-zone.js';
import { TriageError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { TriageService } from '../service.js';
import { waitFor, type Wait } from '../triage/due.js';
import { computeRhythms, type Rhythm } from './rhythm.js';
import { calendarOf, clock, windowHours } from '../calendar/business-clock.js';

/** What `contact` may change: a value sets, null clears (back to inferred or default). */
export type ContactChange = ContactPrefsChange & { trust?: 'trusted' | 'blocked' | null };

export interface ContactDetails extends ContactInfo {
  /** The business hours decisions use, and where they come from. */
  hours: string;
  hoursSource: 'user' | 'settings' | 'default';
  /** How long a follow-up waits, and why. */
  wait: Wait;
  rhythm: Rhythm;
}

/** The user's per-contact settings, by address (validated field by field by contact-prefs.ts). */
export async function loadContactPrefs(store: Store): Promise<Map<string, ContactPrefs>> {
  const out = new Map<string, ContactPrefs>();
  for (const doc of await store.prefs.find({ kind: 'contact' })) {
    if (typeof doc.address !== 'string') continue;
    const prefs = await getContactPrefs(store, doc.address);
    if (prefs) out.set(prefs.address, prefs);
  }
  return out;
}

/** The business hours of the Settings view (main/serve/settings.ts writes 'setting:app'), or null. */
export async function loadDefaultHours(store: Store): Promise<BusinessHours | null> {
  const doc = await store.prefs.findOne({ _id: 'setting:app' });
  const h = doc?.businessHours as { start?: unknown; end?: unknown } | undefined;
  if (!h || typeof h.start !== 'string' || typeof h.end !== 'string') return null;
  try {
    return parseHoursRange(`${h.start}-${h.end}`);
  } catch {
    return null; // a hand-edited store: the default window
  }
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Whether a two-letter code names a country ICU knows ("DE"; "XX" and "ZZ" do not). */
export function isKnownCountry(code: string): boolean {
  const cc = String(code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc) || cc === 'ZZ') return false;
  const cc2 = cc === 'UK' ? 'GB' : cc;
  try {
    return regionNames.of(cc2) !== cc2;
  } catch {
    return false;
  }
}

/** Show one contact, after applying `change` (validated; nothing is stored when a field is bad). */
export async function contactDetails(service: TriageService, address: string, change: ContactChange = {}): Promise<ContactDetails> {
  const key = String(address ?? '').trim().toLowerCase();
  if (!ADDRESS.test(key)) throw new TriageError('bad-input', `"${address}" is not an e-mail address.`);
  const store = service.store;
  const { trust, ...prefsChange } = change;
  if (typeof prefsChange.country === 'string' && !isKnownCountry(prefsChange.country)) {
    throw new TriageError('bad-input', `"${prefsChange.country}" is not a country code (ISO 3166, e.g. DE, US, JP).`);
  }
  if (Object.values(prefsChange).some((v) => v !== undefined)) await setContactPrefs(store, key, prefsChange);
  if (trust) await service.triage.trust(key, trust);
  else if (trust === null) await store.prefs.remove({ _id: `trust:${key}` }, {});

  const prefs = await getContactPrefs(store, key);
  const settingsHours = await loadDefaultHours(store);
  const mailboxes = await service.mailboxes();
  const now = service.now();
  const rhythm = computeRhythms({
    mailboxes,
    now,
    only: [key],
    overrides: prefs ? new Map([[key, prefs]]) : undefined,
    defaultHours: settingsHours,
    defaultTimeZone: localTimeZone(),
  }).get(key)!;
  const calendar = calendarOf({ timeZone: rhythm.timeZone, country: rhythm.country, hours: rhythm.hours });
  const trustDoc = await store.prefs.findOne({ _id: `trust:${key}` });

  const overrides: ContactOverrides = {};
  if (prefs?.timeZone) overrides.timeZone = prefs.timeZone;
  if (prefs?.country) overrides.country = prefs.country;
  if (prefs?.hours) overrides.hours = prefs.hours;
  if (prefs?.waitDays !== undefined) overrides.waitDays = prefs.waitDays;
  if (trustDoc?.trust === 'trusted' || trustDoc?.trust === 'blocked') overrides.trust = trustDoc.trust;

  return {
    address: key,
    name: rhythm.name ?? '',
    timeZone: rhythm.timeZone,
    timeZoneSource: rhythm.timeZoneSource,
    country: rhythm.country,
    overrides,
    known: rhythm.known,
    hours: `${clock(calendar.startMinute)}-${clock(calendar.endMinute)}`,
    hoursSource: prefs?.hours ? 'user' : settingsHours ? 'settings' : 'default',
    wait: waitFor({ rhythm, waitDays: prefs?.waitDays ?? null, hoursPerDay: windowHours(calendar) }),
    rhythm,
  };
}
