// The lists' analyses split in two: a core that does not depend on the clock (threading, contacts,
// rhythms, due dates, hints, Junk verdicts), computed once per state of the store and kept on disk
// (store/snapshot-file.ts), and the little that does (ages, "due", --min-age, the order due first),
// applied to it per query in microseconds.
//
// Why the core is the same for every clock at or after its horizon (the latest INTERNALDATE in the
// store): the clock enters the analyses in three places only:
//   - findUnanswered: the age filter and ageHours (re-applied here);
//   - annotateUnanswered: `due` (re-applied here) and the rhythms' cutoff, which skips mail that
//     arrived after `now` (contacts/rhythm.ts: `r.internalDate > nowIso`);
//   - junkVerdicts: known contacts as of `now`, the same cutoff (contacts/known.ts).
// At or after the horizon the cutoff skips nothing, so the core is computed with a clock past any
// date and is valid for any query whose ISO `now` is >= the horizon (the very string comparison
// the cutoffs make). An earlier `now` (a replay with --now) is analysed from scratch, as before.
// tests/unit/triage/snapshot.test.ts compares the two ways on fixtures and a synthetic store.
import type { JunkEntry, UnansweredEntry } from '../api.js';
import type { BusinessHours } from '../calendar/index.js';
import type { Mailbox } from '../store/index.js';
import type { ContactPrefsMap } from './due.js';
import type { TrustOverrides } from '../contacts/index.js';
import { findUnanswered } from './unanswered.js';
import { annotateUnanswered, dueFirst } from './due.js';
import { junkVerdicts } from './junk.js';

/** Later than any INTERNALDATE a store holds (a four-digit year: ISO strings compare as dates). */
const PAST_EVERYTHING = new Date('9999-12-31T23:59:59.999Z');
const HOUR_MS = 3_600_000;

export interface UnansweredCore {
  /** The latest INTERNALDATE of the store ('' when empty): valid for a `now` at or after it. */
  horizon: string;
  /** Every entry of any age, annotated; ageHours and due are the query's (unansweredAt). */
  entries: UnansweredEntry[];
}

export interface JunkCore {
  horizon: string;
  entries: JunkEntry[];
}

/** The latest INTERNALDATE over the mailboxes, as the cutoffs compare it (string order). */
export function horizonOf(mailboxes: Mailbox[]): string {
  let max = '';
  for (const mb of mailboxes) for (const r of mb.messages) if (r.internalDate > max) max = r.internalDate;
  return max;
}

/** Whether a core answers a query at `now`. */
export function coreCovers(core: { horizon: string }, now: Date): boolean {
  return now.toISOString() >= core.horizon;
}

export interface UnansweredCoreInput {
  mailboxes: Mailbox[];
  bodies: Map<string, string>;
  dismissed: Set<string>;
  prefs: ContactPrefsMap;
  defaultHours: BusinessHours | null;
  defaultTimeZone: string;
}

export function unansweredCore(input: UnansweredCoreInput): UnansweredCore {
  const { mailboxes, bodies } = input;
  const found = findUnanswered({ mailboxes, now: PAST_EVERYTHING, minAgeHours: -Infinity, bodies, dismissed: input.dismissed });
  const entries = annotateUnanswered({
    entries: found,
    mailboxes,
    now: PAST_EVERYTHING,
    bodies,
    prefs: input.prefs,
    defaultHours: input.defaultHours,
    defaultTimeZone: input.defaultTimeZone,
  });
  return { horizon: horizonOf(mailboxes), entries };
}

/**
 * The list at `now`: what findUnanswered's age filter and annotateUnanswered's `due` make of the
 * core (the same arithmetic), due first, each group newest first.
 */
export function unansweredAt(core: UnansweredCore, now: Date, minAgeHours: number): UnansweredEntry[] {
  const t = now.getTime();
  const out: UnansweredEntry[] = [];
  for (const e of core.entries) {
    const age = (t - Date.parse(e.sentAt)) / HOUR_MS;
    if (age < minAgeHours) continue;
    out.push({ ...e, ageHours: Math.round(age * 10) / 10, due: e.status !== 'bounced' && e.dueAt !== undefined && Date.parse(e.dueAt) <= t });
  }
  return dueFirst(out);
}

export function junkCore({ mailboxes, overrides }: { mailboxes: Mailbox[]; overrides: TrustOverrides }): JunkCore {
  return { horizon: horizonOf(mailboxes), entries: junkVerdicts({ mailboxes, overrides, now: PAST_EVERYTHING.toISOString() }) };
}
