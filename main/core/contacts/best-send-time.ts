// The best hour for a follow-up (issue 8, item 3): when the contact's own mail shows a clear
// active period of their day, the follow-up goes at its start on the next working day, inside the
// business window; the window, weekend, holiday and out-of-office rules of nextSendTime still
// decide the day. Without such a period it is nextSendTime's answer unchanged.
import { DAY, wallClockToInstant, zoneOffset, MAX_SEARCH_DAYS, nextSendTime, type BusinessHours, type Instant, type SendRule, type SendTime, calendarOf } from '../calendar/index.js';
import type { ActivePeriod } from '../api.js';
import { ACTIVE_SPAN_MINUTES } from './rhythm-stats.js';

export type BestSendRule = SendRule | 'best-hour';

export interface BestSendTime extends Omit<SendTime, 'rule'> {
  /** 'best-hour' when the contact's active period moved the time, else nextSendTime's rule. */
  rule: BestSendRule;
  /** What the window rules alone gave (nextSendTime). */
  window: SendTime;
}

export interface BestSendTimeInput {
  /** The contact's rhythm (only its active period is used); null/undefined: the window alone. */
  rhythm?: { activePeriod: ActivePeriod | null } | null;
  now: Instant;
  timeZone: string;
  country: string | null;
  hours?: BusinessHours | null;
  /** An out-of-office return date: nothing before it (as nextSendTime). */
  notBefore?: Instant | null;
}

export function bestSendTime(input: BestSendTimeInput): BestSendTime {
  const { timeZone, country, hours } = input;
  const window = nextSendTime({ timeZone, country, hours, now: input.now, notBefore: input.notBefore ?? null });
  const plain: BestSendTime = { ...window, window };
  const period = input.rhythm?.activePeriod;
  if (!period || window.rule === 'no-window') return plain;

  // The zone nextSendTime really used (UTC for an unknown one), so both agree on the days.
  const calendar = calendarOf({ timeZone: window.timeZone, country, hours });
  const zone = calendar.zone;
  let t = window.at.getTime();
  /** Days passed over for the weekend or a holiday, in nextSendTime's words. */
  const skipped: string[] = [];
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++) {
    const day = calendar.dayOf(t);
    const info = calendar.day(day);
    const start = wallClockToInstant(zone, day * DAY + period.startMinute * 60_000);
    const end = wallClockToInstant(zone, day * DAY + (period.startMinute + ACTIVE_SPAN_MINUTES) * 60_000);
    for (const [a, b] of info.free) {
      const lo = Math.max(a, start, t);
      if (Math.min(b, end) > lo) return result(lo, window, period, i > 0 || lo > window.at.getTime(), skipped);
    }
    // Not today: the earliest window time of a later day (weekend and holidays skipped there).
    const next = nextSendTime({ timeZone: zone, country, hours, now: wallClockToInstant(zone, (day + 1) * DAY) });
    if (next.rule === 'no-window') break;
    for (const what of skippedDays(next)) if (!skipped.includes(what)) skipped.push(what);
    t = next.at.getTime();
  }
  return { ...plain, reason: `${window.reason}; their usual hours ${period.start}–${period.end} never meet the business window` };
}

/** What a later day's nextSendTime passed over: 'the weekend', 'public holiday Good Friday'. */
function skippedDays(t: SendTime): string[] {
  const out: string[] = [];
  const holiday = /after public holiday ([^;]+)/.exec(t.reason);
  if (holiday) out.push(`public holiday ${holiday[1]}`);
  if (/\bweekend\b/.test(t.reason)) out.push('the weekend');
  return out;
}

function result(at: number, window: SendTime, period: ActivePeriod, moved: boolean, skipped: string[]): BestSendTime {
  const share = `${Math.round(period.share * 100)}% of their ${period.messages} mails`;
  if (!moved) return { ...window, reason: `${window.reason}; inside their usual hours ${period.start}–${period.end} (${share})`, window };
  const local = localIso(window.timeZone, at);
  const sameDay = local.slice(0, 10) === window.local.slice(0, 10);
  const notes = [...(window.rule === 'open-now' ? [] : [`the window alone: ${window.reason}`]), ...(skipped.length ? [`skipped ${skipped.join(', ')}`] : [])];
  const reason = `their usual hours ${period.start}–${period.end} (${share}): ${sameDay ? 'that day' : local.slice(0, 10)} ${local.slice(11, 16)}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  return { at: new Date(at), reason, rule: 'best-hour', local, timeZone: window.timeZone, window };
}

/** ISO-8601 local time with offset, as SendTime.local ('Z' in UTC). */
function localIso(zone: string, ms: number): string {
  const offset = zoneOffset(zone, ms);
  const text = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (zone === 'UTC') return `${text}Z`;
  const abs = Math.abs(offset);
  return `${text}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
