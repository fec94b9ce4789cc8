// Sentences the CLI prints about follow-ups: when one goes, in their time and in the user's.
import type { QueueEntry, TimeZoneSource } from '../core/api.js';
import { when } from '../core/followup/index.js';

const SOURCE_WORDS: Record<TimeZoneSource, string> = {
  user: 'set by you',
  'date-offsets': 'from their Date headers',
  'date-offsets+cctld': 'from their Date headers and domain',
  cctld: 'from their domain',
  account: "your account's zone",
};

/** One sentence for `resend` and `queue edit`: when it goes, in their time and in the user's. */
export function describeScheduled(entry: QueueEntry, userZone: string): string {
  const source = SOURCE_WORDS[entry.timeZoneSource] ?? String(entry.timeZoneSource);
  return (
    `Follow-up ${entry.id}${entry.planId ? ` (step ${entry.step} of ${entry.planSize ?? '?'})` : ''} to ${entry.to.join(', ')} goes ${when(entry.scheduledAt, entry.recipientTimeZone)} their time ` +
    `(${entry.recipientTimeZone}, ${source}), ${when(entry.scheduledAt, userZone)} yours (${userZone}): ${entry.scheduledReason}.`
  );
}
