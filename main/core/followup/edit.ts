// The queue as the user sees and changes it: list, cancel (one, or a plan's waiting steps), and
// change the text or time of a follow-up that has not gone yet.
import type { CancelResult, FollowUpUpdate, QueueEntry } from '../api.js';
import { TriageError } from '../errors.js';
import { nextSendTime } from '../calendar/index.js';
import { parseNow } from '../triage/index.js';
import type { FollowUpDeps } from './deps.js';
import { when } from './format.js';
import { checkText } from './resend.js';
import { NO_FAILURES } from './retry.js';
import { holdEnd, holdMinutes, timeAfterHold } from './hold.js';
import { CANCELLABLE, bareId, queueJson, sortForDisplay, type FollowUp, type FollowUpPatch, type ScheduleRule } from './queue.js';

export async function listQueue(deps: Pick<FollowUpDeps, 'queue' | 'log'>): Promise<QueueEntry[]> {
  const entries = await deps.queue.all();
  for (const p of deps.queue.problems) deps.log.warn(p);
  return sortForDisplay(entries).map(queueJson);
}

async function entryNamed(deps: Pick<FollowUpDeps, 'queue'>, id: string): Promise<FollowUp> {
  const entry = await deps.queue.get(bareId(id));
  if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
  return entry;
}

/** Why an entry that is not cancellable any more cannot be cancelled or changed: the truth, and what to do. */
function tooLate(entry: FollowUp, what: 'cancelled' | 'changed'): TriageError {
  if (entry.status === 'sent') return new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}: it cannot be ${what}.`);
  if (entry.status === 'sending') {
    return new TriageError('bad-input', `Follow-up ${entry.id} is already being sent (it may be on its way right now): it cannot be ${what}. If it did not go out, it can be ${what} then.`, {
      cli: '"triage send-due" settles it.',
    });
  }
  if (CANCELLABLE.has(entry.status)) return new TriageError('bad-input', `Follow-up ${entry.id} changed meanwhile: look at it again and try again.`, { cli: 'See "triage queue".' });
  return new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}: only a scheduled, held or failed follow-up can be ${what}.`);
}

/**
 * Cancel one follow-up. With `plan`: every step of its plan that has not gone yet (scheduled,
 * held or failed; the named one too), listed in `cancelledSteps`. A plan step cancelled alone
 * lists the plan's other steps still waiting in `planWaiting`.
 *
 * Through the send guard (`deps.sending`): a send-due running in this process finishes first, so
 * "cancelled" is only ever said of a follow-up that will not go, and one that went is refused as
 * sent. The change itself is a compare-and-set (queue.ts), should anything else write meanwhile.
 */
export async function cancelFollowUp(deps: FollowUpDeps, id: string, options: { plan?: boolean } = {}): Promise<CancelResult> {
  return deps.sending(() => cancelNow(deps, id, options));
}

async function cancelNow(deps: FollowUpDeps, id: string, options: { plan?: boolean }): Promise<CancelResult> {
  const entry = await entryNamed(deps, id);
  const now = deps.now();
  const { queue } = deps;
  const cancel = (e: FollowUp, reason: string) => queue.transition(e.id, { from: CANCELLABLE }, { status: 'cancelled', statusReason: reason }, now);
  if (options.plan) {
    if (!entry.planId) throw new TriageError('bad-input', `Follow-up ${entry.id} is not part of a plan: cancel it on its own.`, { cli: 'Cancel it without --plan.' });
    const steps = (await queue.planSteps(entry.planId)).filter((s) => CANCELLABLE.has(s.status));
    const cancelledSteps: string[] = [];
    for (const s of steps) if (await cancel(s, 'plan cancelled by you')) cancelledSteps.push(s.id);
    const current = (await queue.get(entry.id)) ?? entry;
    const inFlight = (await queue.planSteps(entry.planId)).filter((s) => s.status === 'sending').map((s) => s.id);
    return { ...queueJson(current), cancelledSteps, ...(inFlight.length ? { inFlight } : {}) };
  }
  if (entry.status === 'cancelled') return queueJson(entry);
  const current = CANCELLABLE.has(entry.status) ? await cancel(entry, 'cancelled by you') : null;
  if (!current) {
    const now = (await queue.get(entry.id)) ?? entry;
    if (now.status === 'cancelled') return queueJson(now);
    throw tooLate(now, 'cancelled');
  }
  const result: CancelResult = queueJson(current);
  // A failed attempt that may have got through (connection lost after the data): say so.
  if (entry.status === 'failed' && entry.maybeAccepted) {
    result.note = 'its last attempt may have reached the server (the connection was lost after the message was sent): look in your Sent folder';
  }
  if (!entry.planId) return result;
  const planWaiting = (await queue.planSteps(entry.planId)).filter((s) => CANCELLABLE.has(s.status)).map((s) => s.id);
  return { ...result, planWaiting };
}

/**
 * Change a follow-up that has not gone yet (scheduled, held or failed): its text (not empty, at
 * most MAX_TEXT_CHARS), and/or the time it goes. A time outside the recipient's business window
 * (or already past) moves to the next window, and `scheduledReason` says so. A held one with a
 * new time is scheduled again (the user chose the time). The Message-ID stays: a failed attempt
 * that may have been accepted is still recognised (sender.ts). Through the send guard and a
 * compare-and-set, like `cancelFollowUp`: an edit that is accepted is what goes out.
 */
export async function updateFollowUp(deps: FollowUpDeps, id: string, change: FollowUpUpdate = {}, options: { now?: string } = {}): Promise<QueueEntry> {
  return deps.sending(() => updateNow(deps, id, change, options));
}

async function updateNow(deps: FollowUpDeps, id: string, change: FollowUpUpdate, options: { now?: string }): Promise<QueueEntry> {
  const entry = await entryNamed(deps, id);
  if (!CANCELLABLE.has(entry.status)) throw tooLate(entry, 'changed');
  const text = change?.text;
  const at = change?.scheduledAt;
  if (text === undefined && at === undefined) throw new TriageError('bad-input', 'Nothing to change: give a new text or a new time.');
  const now = parseNow(options.now, deps.now());
  // The user acted on it: past failures are forgotten, one refused for good is armed again.
  const changes: FollowUpPatch = { ...NO_FAILURES };
  if (text !== undefined) changes.text = checkText(text);
  if (at !== undefined) {
    const wanted = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : NaN;
    if (!Number.isFinite(wanted)) throw new TriageError('bad-input', `The new time must be an ISO-8601 instant like 2026-11-23T09:00:00Z, not "${String(at)}".`);
    const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
    const t = nextSendTime({ ...window, now: Math.max(wanted, now.getTime()) });
    const asked = `${when(new Date(wanted).toISOString(), t.timeZone)} their time`;
    let reason: string;
    let rule: ScheduleRule = t.rule;
    if (wanted < now.getTime()) reason = `set by you for ${asked}, which had passed: ${t.rule === 'open-now' ? 'now, inside the window' : `moved to the next window, ${t.reason}`}`;
    else if (t.at.getTime() === wanted) {
      reason = 'set by you';
      rule = 'user';
    } else reason = `set by you for ${asked}, outside their business window: moved to ${t.reason}`;
    Object.assign(changes, { scheduledAt: t.local, scheduledReason: reason, scheduledRule: rule });
    if (entry.status === 'held') Object.assign(changes, { status: 'scheduled', statusReason: null });
  }
  // The app holds an edited follow-up again for the undo window (hold.ts).
  const until = holdEnd(now, await holdMinutes(deps.store, change?.hold));
  if (until) {
    const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
    const held = timeAfterHold({ ...window, scheduledAt: changes.scheduledAt ?? entry.scheduledAt, until });
    if (held.reason) Object.assign(changes, { scheduledAt: held.scheduledAt, scheduledReason: held.reason, scheduledRule: held.rule });
    changes.holdUntil = until.toISOString();
  }
  const updated = await deps.queue.transition(entry.id, { from: CANCELLABLE, rev: entry.rev ?? 0 }, changes, now);
  if (!updated) throw tooLate((await deps.queue.get(entry.id)) ?? entry, 'changed');
  return queueJson(updated);
}
