// `triage contact` (and the app's contact panel): one contact's rhythm, time zone, hours and wait,
// after applying the user's change. The analysis it calls (rhythm.ts, wait.ts) is pure.
import type { ContactChange, ContactInfo, ContactOverrides } from '../api.js';
import type { Clock } from '../deps/index.js';
import type { Store, MailboxLoader } from '../store/index.js';
import { TriageError } from '../errors.js';
import { isKnownCountry, calendarOf, clock, windowHours } from '../calendar/index.js';
import { settingsHours } from '../settings/index.js';
import { getContactPrefs, setContactPrefs } from './prefs.js';
import { clearTrust, setTrust, trustFor } from './trust.js';
import { computeRhythms } from './rhythm.js';
import { waitFor } from './wait.js';

export interface ContactDeps {
  store: Store;
  mailboxes: MailboxLoader;
  now: Clock;
  /** The zone of accounts that have none set (the machine's). */
  defaultTimeZone: string;
}

/** local@domain with a dot inside the domain; the first dot after its first character is forced, so it is linear. */
const ADDRESS = /^[^\s@]+@[^\s@][^\s@.]*\.[^\s@]+$/;

/** Show one contact, after applying `change` (validated; nothing is stored when a field is bad). */
export async function contactDetails(deps: ContactDeps, address: string, change: ContactChange = {}): Promise<ContactInfo> {
  const key = String(address ?? '').trim().toLowerCase();
  if (!ADDRESS.test(key)) throw new TriageError('bad-input', `"${address}" is not an e-mail address.`);
  const { store } = deps;
  const { trust, ...prefsChange } = change;
  if (typeof prefsChange.country === 'string' && !isKnownCountry(prefsChange.country)) {
    throw new TriageError('bad-input', `"${prefsChange.country}" is not a country code (ISO 3166, e.g. DE, US, JP).`);
  }
  if (Object.values(prefsChange).some((v) => v !== undefined)) await setContactPrefs(store, key, prefsChange);
  if (trust) await setTrust(store, key, trust);
  else if (trust === null) await clearTrust(store, key);

  const prefs = await getContactPrefs(store, key);
  const hoursSetting = await settingsHours(store);
  const rhythm = computeRhythms({
    mailboxes: await deps.mailboxes(),
    now: deps.now(),
    only: [key],
    overrides: prefs ? new Map([[key, prefs]]) : undefined,
    defaultHours: hoursSetting,
    defaultTimeZone: deps.defaultTimeZone,
  }).get(key)!;
  const calendar = calendarOf({ timeZone: rhythm.timeZone, country: rhythm.country, hours: rhythm.hours });
  const trusted = await trustFor(store, key);

  const overrides: ContactOverrides = {};
  if (prefs?.timeZone) overrides.timeZone = prefs.timeZone;
  if (prefs?.country) overrides.country = prefs.country;
  if (prefs?.hours) overrides.hours = prefs.hours;
  if (prefs?.waitDays !== undefined) overrides.waitDays = prefs.waitDays;
  if (trusted) overrides.trust = trusted;

  return {
    address: key,
    name: rhythm.name ?? '',
    timeZone: rhythm.timeZone,
    timeZoneSource: rhythm.timeZoneSource,
    country: rhythm.country,
    overrides,
    known: rhythm.known,
    hours: `${clock(calendar.startMinute)}-${clock(calendar.endMinute)}`,
    hoursSource: prefs?.hours ? 'user' : hoursSetting ? 'settings' : 'default',
    wait: waitFor({ rhythm, waitDays: prefs?.waitDays ?? null, hoursPerDay: windowHours(calendar) }),
    rhythm,
  };
}
