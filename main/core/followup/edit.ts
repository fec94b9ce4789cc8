// The queue as the user sees and changes it: list, cancel (one, or a plan's waiting steps), and
// change the text or time of a follow-up that has not gone yet.
import type { CancelResult, FollowUpUpdate, QueueEntry } from '../api.js';
import { TriageError } from '../errors.js';
import { nextSendTime } from '../calendar/index.js';
import { parseNow } from '../triage/index.js';
import type { FollowUpDeps } from './deps.js';
import { when } from './format.js';
import { checkText } from './resend.js';
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

/**
 * Cancel one follow-up. With `plan`: every step of its plan that has not gone yet (scheduled,
 * held or failed; the named one too), listed in `cancelledSteps`. A plan step cancelled alone
 * lists the plan's other steps still waiting in `planWaiting`.
 */
export async function cancelFollowUp(deps: FollowUpDeps, id: string, options: { plan?: boolean } = {}): Promise<CancelResult> {
  const entry = await entryNamed(deps, id);
  const now = deps.now();
  const { queue } = deps;
  if (options.plan) {
    if (!entry.planId) throw new TriageError('bad-input', `Follow-up ${entry.id} is not part of a plan: cancel it alone.`, { cli: 'Cancel it without --plan.' });
    const steps = (await queue.planSteps(entry.planId)).filter((s) => CANCELLABLE.has(s.status));
    const cancelledSteps: string[] = [];
    for (const s of steps) {
      await queue.update(s.id, { status: 'cancelled', statusReason: 'plan cancelled by you' }, now);
      cancelledSteps.push(s.id);
    }
    const current = (await queue.get(entry.id)) ?? entry;
    const inFlight = (await queue.planSteps(entry.planId)).filter((s) => s.status === 'sending').map((s) => s.id);
    return { ...queueJson(current), cancelledSteps, ...(inFlight.length ? { inFlight } : {}) };
  }
  if (entry.status === 'sent') throw new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}: it cannot be cancelled.`);
  if (entry.status === 'sending') {
    throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now: wait a minute, then cancel it if it did not go.`, { cli: 'Run "triage send-due" to settle it first.' });
  }
  const current = entry.status === 'cancelled' ? entry : await queue.update(entry.id, { status: 'cancelled', statusReason: 'cancelled by you' }, now);
  if (!entry.planId) return queueJson(current);
  const planWaiting = (await queue.planSteps(entry.planId)).filter((s) => CANCELLABLE.has(s.status)).map((s) => s.id);
  return { ...queueJson(current), planWaiting };
}

/**
 * Change a follow-up that has not gone yet (scheduled, held or failed): its text (not empty, at
 * most MAX_TEXT_CHARS), and/or the time it goes. A time outside the recipient's business window
 * (or already past) moves to the next window, and `scheduledReason` says so. A held one with a
 * new time is scheduled again (the user chose the time). The Message-ID stays: a failed attempt
 * that may have been accepted is still recognised (sender.ts).
 */
export async function updateFollowUp(deps: FollowUpDeps, id: string, change: FollowUpUpdate = {}, options: { now?: string } = {}): Promise<QueueEntry> {
  const entry = await entryNamed(deps, id);
  if (entry.status === 'sending') {
    throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now: wait a minute, then change it if it did not go.`, { cli: 'Run "triage send-due" to settle it first.' });
  }
  if (!CANCELLABLE.has(entry.status)) throw new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}: only a scheduled, held or failed follow-up can be changed.`);
  const text = change?.text;
  const at = change?.scheduledAt;
  if (text === undefined && at === undefined) throw new TriageError('bad-input', 'Nothing to change: give a new text or a new time.');
  const now = parseNow(options.now, deps.now());
  const changes: FollowUpPatch = {};
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
  return queueJson(await deps.queue.update(entry.id, changes, now));
}
