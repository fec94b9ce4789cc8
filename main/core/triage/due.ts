// When a follow-up is due (issue 8, item 2), and the unanswered list with due dates and hints.
// Pure: the caller loads the entries, the mailboxes, the contacts' settings and the clock.
//
// The wait, counted in the main recipient's business days (their zone, their country's weekend
// and public holidays, their hours) from the moment the mail was sent:
// - what the user set for the contact (contact prefs `waitDays`), else
// - with at least 3 measured replies, the contact's 80th-percentile reply delay, kept within
//   1–10 business days, else
// - 1 business day (about 24 h, never counting their weekend or holidays).
// An out-of-office return date moves the due time to the first window after it.
// The main recipient is the first person the mail waits for (awaitingFrom, To before Cc), the
// one whose zone the follow-up queue schedules by.
import type { UnansweredEntry } from '../api.js';
import type { BusinessHours } from '../calendar/calendar.js';
import { DEFAULT_HOURS } from '../calendar/calendar.js';
import { parseHoursRange, type ContactPrefs } from '../contacts/prefs.js';
import { addBusinessDays, nextSendTime } from '../calendar/window.js';
import type { MessageRecord } from '../store/types.js';
import { hintsFor } from './hints.js';
import { ownAddresses, type Mailbox } from '../store/mailbox.js';
import { computeRhythms, type Rhythm } from '../contacts/rhythm.js';
import { approxOffset, calendarOf, clock, windowHours } from '../calendar/business-clock.js';

export const DEFAULT_WAIT_DAYS = 1;
export const MIN_MEASURED_REPLIES = 3;
export const MIN_RHYTHM_WAIT_DAYS = 1;
export const MAX_RHYTHM_WAIT_DAYS = 10;

export type WaitBasis = 'user' | 'rhythm' | 'default';

export interface Wait {
  /** Business days of the recipient. */
  days: number;
  basis: WaitBasis;
  /** Why, in plain words. */
  reason: string;
}

export interface WaitInput {
  rhythm?: Pick<Rhythm, 'answered' | 'p80ReplyHours'> | null;
  /** What the user set for the contact, in business days. */
  waitDays?: number | null;
  /** Length of one of their business days in hours (8 for 09:00–17:00). */
  hoursPerDay: number;
}

const days = (n: number) => `${Number(n.toFixed(1))} business day${n === 1 ? '' : 's'}`;

export function waitFor({ rhythm, waitDays, hoursPerDay }: WaitInput): Wait {
  if (typeof waitDays === 'number' && Number.isFinite(waitDays) && waitDays >= 0) {
    return { days: waitDays, basis: 'user', reason: `you set ${days(waitDays)} for this contact` };
  }
  if (rhythm && rhythm.answered >= MIN_MEASURED_REPLIES && rhythm.p80ReplyHours !== null) {
    const measured = rhythm.p80ReplyHours / hoursPerDay;
    const kept = Math.min(MAX_RHYTHM_WAIT_DAYS, Math.max(MIN_RHYTHM_WAIT_DAYS, measured));
    const note = kept > measured ? ` (at least ${days(MIN_RHYTHM_WAIT_DAYS)})` : kept < measured ? ` (at most ${days(MAX_RHYTHM_WAIT_DAYS)})` : '';
    return {
      days: kept,
      basis: 'rhythm',
      reason: `their rhythm: 80% of their ${rhythm.answered} replies came within ${days(measured)}${note}`,
    };
  }
  const few = rhythm && rhythm.answered > 0 ? ` (only ${rhythm.answered} measured repl${rhythm.answered === 1 ? 'y' : 'ies'})` : '';
  return { days: DEFAULT_WAIT_DAYS, basis: 'default', reason: `default wait of ${days(DEFAULT_WAIT_DAYS)}${few}` };
}

export interface DueInput extends WaitInput {
  sentAt: Date | string | number;
  timeZone: string;
  country: string | null;
  hours?: BusinessHours | null;
  outOfOfficeUntil?: string | null;
}

export interface Due {
  /** ISO-8601 UTC. */
  dueAt: string;
  dueReason: string;
  wait: Wait;
}

export function dueFor(input: DueInput): Due {
  const wait = waitFor(input);
  const window = { timeZone: input.timeZone, country: input.country, hours: input.hours ?? null };
  let at = addBusinessDays({ ...window, from: input.sentAt, days: wait.days }).getTime();
  let away = '';
  if (input.outOfOfficeUntil) {
    const back = nextSendTime({ ...window, now: at, notBefore: input.outOfOfficeUntil }).at.getTime();
    if (back > at) {
      at = back;
      away = `; away until ${input.outOfOfficeUntil.slice(0, 10)}`;
    }
  }
  const calendar = calendarOf(window);
  const zone = calendar.zone;
  const local = new Date(at + approxOffset(calendar, at) * 60_000).toISOString();
  return {
    dueAt: new Date(at).toISOString(),
    dueReason: `${wait.reason}${away}: due ${local.slice(0, 10)} ${local.slice(11, 16)} their time (${zone})`,
    wait,
  };
}

/** The user's per-contact settings by address, as contact-prefs.ts stores them. */
export type ContactPrefsMap = ReadonlyMap<string, ContactPrefs>;

export interface AnnotateInput {
  entries: UnansweredEntry[];
  mailboxes: Mailbox[];
  now: Date;
  prefs?: ContactPrefsMap;
  /** The app's business hours (Settings); default 09:00–17:00. */
  defaultHours?: BusinessHours | null;
  /** Zone of accounts that have none set. */
  defaultTimeZone?: string;
  /** Message text by record _id, where fetched (long-mail hints; automatic mail). */
  bodies?: Map<string, string>;
  /** Rhythms computed already (else computed for the main recipients). */
  rhythms?: ReadonlyMap<string, Rhythm>;
}

/** The first person the mail waits for. */
export function mainRecipient(entry: Pick<UnansweredEntry, 'awaitingFrom' | 'to'>): string | null {
  return entry.awaitingFrom?.[0] ?? entry.to[0] ?? null;
}

/**
 * Each entry with `dueAt`, `dueReason`, `due` (dueAt ≤ now; never for a bounced mail), `hints`,
 * and the main recipient with the zone that decided; due entries first, then the rest, each
 * newest first.
 */
export function annotateUnanswered(input: AnnotateInput): UnansweredEntry[] {
  const { entries, now } = input;
  if (!entries.length) return [];
  const recipients = new Set<string>();
  for (const e of entries) {
    const r = mainRecipient(e);
    if (r) recipients.add(r);
  }
  const rhythms =
    input.rhythms ??
    computeRhythms({
      mailboxes: input.mailboxes,
      now,
      only: recipients,
      overrides: input.prefs,
      defaultHours: input.defaultHours,
      defaultTimeZone: input.defaultTimeZone,
      bodies: input.bodies,
    });
  const records = recordsOf(input.mailboxes, entries);
  const context = new Map(input.mailboxes.map((mb) => [mb.account.name, { own: ownAddresses(mb.account), mb }]));

  const out = entries.map((entry) => {
    const recipient = mainRecipient(entry);
    const rhythm = recipient ? rhythms.get(recipient) : undefined;
    const prefs = recipient ? input.prefs?.get(recipient) : undefined;
    const hours = hoursOf(prefs, rhythm, input.defaultHours);
    const mb = context.get(entry.account);
    const timeZone = rhythm?.timeZone ?? mb?.mb.account.timeZone ?? input.defaultTimeZone ?? 'UTC';
    const country = rhythm?.country ?? null;
    const calendar = calendarOf({ timeZone, country, hours });
    const due = dueFor({
      sentAt: entry.sentAt,
      rhythm,
      waitDays: prefs?.waitDays ?? null,
      hoursPerDay: windowHours(calendar),
      timeZone,
      country,
      hours,
      outOfOfficeUntil: typeof entry.outOfOfficeUntil === 'string' ? entry.outOfOfficeUntil : null,
    });
    const record = records.get(entry.id);
    // The people it waits for (lists and no-reply addresses are left out by findUnanswered).
    const people = new Set([...(entry.awaitingFrom ?? entry.to), ...(Array.isArray(entry.bouncedRecipients) ? (entry.bouncedRecipients as string[]) : [])]);
    const hints = record && mb
      ? hintsFor({
          record,
          sentAt: entry.sentAt,
          own: mb.own,
          isPerson: (a) => people.has(a),
          timeZone,
          country,
          hours,
          text: input.bodies?.get(record._id) ?? record.bodyText ?? null,
        })
      : [];
    // A bounced mail needs the address fixed, not a nudge (the queue cancels those too).
    const bounced = entry.status === 'bounced';
    return {
      ...entry,
      dueAt: due.dueAt,
      dueReason: bounced ? `bounced: check the address before following up (${due.dueReason})` : due.dueReason,
      due: !bounced && Date.parse(due.dueAt) <= now.getTime(),
      waitDays: Math.round(due.wait.days * 100) / 100,
      waitBasis: due.wait.basis,
      recipient,
      recipientTimeZone: calendar.zone,
      recipientHours: `${clock(calendar.startMinute)}-${clock(calendar.endMinute)}`,
      hints,
    };
  });
  return dueFirst(out);
}

/** Due entries first, then the others; each group newest first (issue 4: the list is newest first). */
export function dueFirst<T extends { due?: unknown; sentAt: string; id: string }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => {
    if (Boolean(a.due) !== Boolean(b.due)) return a.due ? -1 : 1;
    return a.sentAt > b.sentAt ? -1 : a.sentAt < b.sentAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

function hoursOf(prefs: ContactPrefs | undefined, rhythm: Rhythm | undefined, fallback: BusinessHours | null | undefined): BusinessHours {
  if (prefs?.hours) {
    try {
      return parseHoursRange(prefs.hours);
    } catch {
      /* validated on the way in; a hand-edited store falls back */
    }
  }
  return rhythm?.hours ?? fallback ?? DEFAULT_HOURS;
}

/** The sent records the entries name, by record _id. */
function recordsOf(mailboxes: Mailbox[], entries: UnansweredEntry[]): Map<string, MessageRecord> {
  const wanted = new Set(entries.map((e) => e.id));
  const out = new Map<string, MessageRecord>();
  for (const mb of mailboxes) {
    for (const r of mb.messages) if (wanted.has(r._id)) out.set(r._id, r);
  }
  return out;
}
