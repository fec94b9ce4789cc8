// Before "send now" (issue 15): would it reach the recipient inside their business hours? The
// app asks first and says so ("02:10 in Sydney, after their business hours") before the user
// confirms; send-now itself still sends whatever the answer.
import { DateTime } from 'luxon';
import type { SendNowCheck } from '../api.js';
import { TriageError } from '../errors.js';
import { DEFAULT_HOURS, isInsideWindow, nextSendTime, type SendRule } from '../calendar/index.js';
import type { FollowUpDeps } from './deps.js';
import { bareId } from './queue.js';

const CLOSED: Partial<Record<SendRule, string>> = {
  weekend: 'it is the weekend there',
  holiday: 'it is a public holiday there',
  'after-hours': 'after their business hours',
  'before-hours': 'before their business hours',
  'no-window': 'they have no business hours in the coming weeks',
};

export async function sendNowCheck(deps: Pick<FollowUpDeps, 'queue' | 'now'>, id: string): Promise<SendNowCheck> {
  const entry = await deps.queue.get(bareId(id));
  if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
  const now = deps.now();
  const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
  const inside = isInsideWindow({ ...window, at: now });
  const next = nextSendTime({ ...window, now });
  const hours = entry.hours ?? DEFAULT_HOURS;
  return {
    id: entry.id,
    insideWindow: inside,
    theirTime: DateTime.fromJSDate(now, { zone: next.timeZone }).toISO({ suppressMilliseconds: true }) ?? now.toISOString(),
    timeZone: next.timeZone,
    hours: `${hours.start}–${hours.end}`,
    closedBecause: inside ? null : (CLOSED[next.rule] ?? 'outside their business hours'),
    nextWindowAt: next.local,
  };
}
