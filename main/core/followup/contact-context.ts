// The person a follow-up goes to, as scheduling sees them: their rhythm (the same computation
// `triage contact` shows), zone and country (the rhythm's, so the queue and `triage contact`
// agree; the user's contact settings win inside it), business hours (theirs, else Settings) and
// the wait before a nudge is due.
import type { BusinessHours } from '../model.js';
import type { Store, Mailbox } from '../store/index.js';
import { calendarOf, inferTimeZone, parseHoursRange, windowHours, type TimeZoneSource } from '../calendar/index.js';
import { computeRhythms, getContactPrefs, waitFor, type Rhythm, type Wait } from '../contacts/index.js';
import { settingsHours, settingsTemplate } from '../settings/index.js';

export interface ContactContext {
  timeZone: string;
  country: string | null;
  source: TimeZoneSource;
  /** Contact's hours, else Settings', else null (the default window). */
  hours: BusinessHours | null;
  rhythm: Rhythm | null;
  wait: Wait;
  /** The follow-up template set in Settings, or null (the built-in texts). */
  template: string | null;
  /** The user's own zone (the account's, else the machine's). */
  userZone: string;
}

export async function contactContext(input: { store: Store; mailbox: Mailbox; address: string; now: Date; defaultTimeZone: string }): Promise<ContactContext> {
  const { store, mailbox, now } = input;
  const key = input.address.toLowerCase();
  const prefs = await getContactPrefs(store, key);
  const defaultHours = await settingsHours(store);
  const userZone = mailbox.account.timeZone ?? input.defaultTimeZone;
  const hours = prefs?.hours ? parseHoursRange(prefs.hours) : defaultHours;
  const rhythm =
    computeRhythms({
      mailboxes: [mailbox],
      now,
      only: [key],
      overrides: prefs ? new Map([[key, prefs]]) : undefined,
      defaultHours,
      defaultTimeZone: userZone,
    }).get(key) ?? null;
  let zone: { timeZone: string; country: string | null; source: TimeZoneSource };
  if (rhythm) zone = { timeZone: rhythm.timeZone, country: rhythm.country, source: rhythm.timeZoneSource };
  else {
    const z = inferTimeZone({
      address: key,
      overrides: prefs,
      dateHeaders: mailbox.messages.filter((r) => r.from[0]?.address === key).map((r) => r.dateHeader),
      accountTimeZone: userZone,
      accountCountry: mailbox.account.country ?? null,
    });
    zone = { timeZone: z.timeZone, country: z.country, source: z.source };
  }
  const calendar = calendarOf({ timeZone: zone.timeZone, country: zone.country, hours });
  const wait = waitFor({ rhythm, waitDays: prefs?.waitDays ?? null, hoursPerDay: windowHours(calendar) });
  return { ...zone, hours, rhythm, wait, template: await settingsTemplate(store), userZone };
}
