// The undo window (issue 15, "nothing is sent unseen"): a follow-up queued or edited in the app
// leaves no sooner than the window after that, so the user can read it once more and take it
// back. It is a lower bound on `scheduledAt` (send-due sends nothing before `scheduledAt`), kept
// in `holdUntil` for the countdown; the recipient's window still decides the instant after it.
import type { BusinessHours } from '../model.js';
import type { Store } from '../store/index.js';
import { TriageError } from '../errors.js';
import { nextSendTime, type SendRule } from '../calendar/index.js';
import { SETTINGS_LIMITS, undoMinutes } from '../settings/index.js';
import { when } from './format.js';

/** Minutes to hold: `true` is the Settings' undo window, a number is taken as given, else none. */
export async function holdMinutes(store: Store, hold: number | boolean | undefined): Promise<number> {
  if (hold === undefined || hold === false) return 0;
  if (hold === true) return undoMinutes(store);
  if (!Number.isInteger(hold) || hold < 0 || hold > SETTINGS_LIMITS.maxUndoMinutes) {
    throw new TriageError('bad-input', `The hold is 0 to ${SETTINGS_LIMITS.maxUndoMinutes} whole minutes, not ${String(hold)}.`);
  }
  return hold;
}

/** The end of a hold of `minutes` from `now`, or null for none. */
export function holdEnd(now: Date, minutes: number): Date | null {
  return minutes > 0 ? new Date(now.getTime() + minutes * 60_000) : null;
}

/** What the schedule reason says about a hold. */
export function holdNote(until: Date, zone: string): string {
  return `held until ${when(until.toISOString(), zone)} their time so you can undo it`;
}

export interface HeldTime {
  scheduledAt: string;
  /** Set when the hold moved the time (with the window rule that placed it). */
  reason: string | null;
  rule: SendRule | null;
}

/**
 * `scheduledAt` kept when it is at or after the hold's end, else the recipient's first window
 * instant after the hold (their zone, weekend, holidays, hours).
 */
export function timeAfterHold(input: { scheduledAt: string; until: Date; timeZone: string; country: string | null; hours: BusinessHours | null }): HeldTime {
  if (Date.parse(input.scheduledAt) >= input.until.getTime()) return { scheduledAt: input.scheduledAt, reason: null, rule: null };
  const t = nextSendTime({ timeZone: input.timeZone, country: input.country, hours: input.hours, now: input.until });
  return { scheduledAt: t.local, reason: `${holdNote(input.until, t.timeZone)}; ${t.reason}`, rule: t.rule };
}
