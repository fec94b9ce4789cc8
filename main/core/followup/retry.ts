// When a follow-up that failed is tried again. The app runs send-due every minute; without a
// wait, a failing entry was due on every run until it was two business days late, and a wrong
// SMTP password became thousands of failed logins, enough for a provider to lock the account.
//
// - A temporary failure (a 4xx reply, a server that cannot be reached, an IMAP error while
//   handling it) waits 1, 2, 4, 8 … minutes after the n-th failure in a row, at most an hour:
//   8 tries in the first three hours, then one an hour (the late-send rule holds it after two
//   business days). The clock is the command's (--now), like every due check.
// - A permanent one (RFC 5321 §4.2.1: a 5yz reply "the same request will fail again"; a failed
//   login) is not tried again by send-due at all: the user fixes it and says "send now", or
//   changes the follow-up, which arms it again.
import type { FollowUp, FollowUpPatch } from './queue.js';

export const FIRST_WAIT_MS = 60_000;
export const MAX_WAIT_MS = 60 * 60_000;

/** The wait after the n-th failure in a row (n ≥ 1). */
export function retryWaitMs(failures: number): number {
  const n = Math.max(1, Math.floor(failures));
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(n - 1, 30));
}

/** The fields that record one more failure at `now`. */
export function failedOnce(entry: Pick<FollowUp, 'failures'>, now: Date, permanent: boolean): FollowUpPatch {
  const failures = (entry.failures ?? 0) + 1;
  return permanent
    ? { failures, permanentFailure: true, nextAttemptAt: null }
    : { failures, permanentFailure: null, nextAttemptAt: new Date(now.getTime() + retryWaitMs(failures)).toISOString() };
}

/** The fields that forget past failures: after a send, or when the user acts on the follow-up. */
export const NO_FAILURES: FollowUpPatch = { failures: null, nextAttemptAt: null, permanentFailure: null };

/** Whether send-due leaves the entry alone for now: refused for good, or still waiting after a failure. */
export function backingOff(entry: Pick<FollowUp, 'status' | 'permanentFailure' | 'nextAttemptAt'>, now: Date): boolean {
  if (entry.permanentFailure && entry.status === 'failed') return true;
  return !!entry.nextAttemptAt && Date.parse(entry.nextAttemptAt) > now.getTime();
}
