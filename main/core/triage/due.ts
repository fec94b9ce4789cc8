// When a follow-up is due (issue 8, item 2), and the unanswered list with due dates and hints.
// Pure: the caller loads the entries, the mailboxes, the contacts' settings and the clock.
//
// The wait (contacts/wait.ts: the user's setting, else the contact's rhythm, else one business
// day) is counted in the main recipient's business days (their zone, their country's weekend and
// public holidays, their hours) from the moment the mail was sent. An out-of-office return date
// moves the due time to the first window after it.
// The main recipient is the first person the mail waits for (awaitingFrom, To before Cc), the
// one whose zone the follow-up queue schedules by.
import type { UnansweredEntry } from '../api.js';
import type { BusinessHours } from '../calendar/index.js';
import { DEFAULT_HOURS, parseHoursRange, addBusinessDays, nextSendTime, approxOffset, calendarOf, clock, windowHours } from '../calendar/index.js';
import type { MessageRecord } from '../model.js';
import { hintsFor } from './hints.js';
import { ownAddresses, type Mailbox } from '../store/index.js';
import { computeRhythms, waitFor, type ContactPrefs, type Rhythm, type Wait, type WaitInput } from '../contacts/index.js';

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

/** The user's per-contact settings by address, as contacts/prefs.ts stores them. */
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
