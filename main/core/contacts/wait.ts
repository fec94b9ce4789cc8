// How long to wait for a contact's answer before a follow-up is due (issue 8, item 2), counted
// in the contact's business days: what the user set for them (contact prefs `waitDays`), else,
// with at least MIN_MEASURED_REPLIES measured replies, their 80th-percentile reply delay kept
// within 1–10 business days, else one business day. Pure. triage/due.ts turns it into a due time;
// the follow-up plan spaces its steps by it.
import type { Rhythm, Wait } from '../api.js';

export type { Wait };

export const DEFAULT_WAIT_DAYS = 1;
export const MIN_MEASURED_REPLIES = 3;
export const MIN_RHYTHM_WAIT_DAYS = 1;
export const MAX_RHYTHM_WAIT_DAYS = 10;


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
