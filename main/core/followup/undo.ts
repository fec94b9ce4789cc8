// Undo where it is cheap (issue 15): a follow-up the user cancelled is put back, at its own time
// when that is still ahead, else at the recipient's next window after the hold. One cancelled for
// a reason of the conversation (a reply, a bounce) stays cancelled: that reason still holds.
import type { QueueEntry } from '../api.js';
import { TriageError } from '../errors.js';
import { nextSendTime } from '../calendar/index.js';
import { parseNow } from '../triage/index.js';
import type { FollowUpDeps } from './deps.js';
import { holdEnd, holdMinutes, holdNote } from './hold.js';
import { bareId, isWaiting, queueJson, type FollowUpPatch } from './queue.js';
import { when } from './format.js';

/** The reasons edit.ts writes when the user cancels (one follow-up, or a plan's steps). */
const BY_USER = new Set(['cancelled by you', 'plan cancelled by you']);

export async function restoreFollowUp(deps: FollowUpDeps, id: string, options: { hold?: number | boolean; now?: string } = {}): Promise<QueueEntry> {
  const entry = await deps.queue.get(bareId(id));
  if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
  if (entry.status !== 'cancelled') throw new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}, not cancelled: nothing to put back.`);
  if (!BY_USER.has(entry.statusReason ?? '')) {
    throw new TriageError('bad-input', `Follow-up ${entry.id} was cancelled because of ${entry.statusReason ?? 'the conversation'}: it stays cancelled.`);
  }
  const other = (await deps.queue.all()).find(
    (e) => e.id !== entry.id && e.account === entry.account && e.conversationKey === entry.conversationKey && isWaiting(e) && (!entry.planId || e.planId !== entry.planId),
  );
  if (other) {
    throw new TriageError('needs-force', `Another follow-up of "${entry.subject}" was queued meanwhile (it goes ${when(other.scheduledAt, other.recipientTimeZone)} their time): this one stays cancelled.`);
  }
  const now = parseNow(options.now, deps.now());
  const until = holdEnd(now, await holdMinutes(deps.store, options.hold));
  const earliest = until ?? now;
  const change: FollowUpPatch = { status: 'scheduled', statusReason: null, holdUntil: until?.toISOString() ?? null };
  if (Date.parse(entry.scheduledAt) < earliest.getTime()) {
    const t = nextSendTime({ timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours, now: earliest });
    Object.assign(change, {
      scheduledAt: t.local,
      scheduledRule: t.rule,
      scheduledReason: `put back by you; ${until ? `${holdNote(until, t.timeZone)}; ` : ''}${t.reason}`,
    });
  }
  return queueJson(await deps.queue.update(entry.id, change, now));
}
