// The recipient's business window (issue 6, item 2; issue 8 items 1-2): the earliest instant
// ≥ now inside start–end local time, on a working day of the country (CLDR weekend) that is not
// one of its public holidays (date-holidays), correct across DST changes because every window
// edge is a wall-clock time converted with the IANA zone of that very day.
import { DateTime } from 'luxon';
import { zoneOffset } from './offset.js';
import { calendarFor, parseHours, type BusinessHours, type Calendar, type DayInfo } from './calendar.js';
import { countryForZone, normalizeCountry, normalizeZone } from './zones.js';

export { DEFAULT_HOURS, type BusinessHours } from './calendar.js';

export type Instant = Date | string | number;

export interface WindowOptions {
  /** The recipient's IANA zone; an unknown one falls back to UTC (and says so). */
  timeZone: string;
  /** ISO 3166 alpha-2 for weekend and holidays; null → the zone's country, else none. */
  country: string | null;
  /** Local business hours, default 09:00–17:00. */
  hours?: BusinessHours | null;
}

export type SendRule = 'open-now' | 'before-hours' | 'after-hours' | 'weekend' | 'holiday' | 'out-of-office' | 'no-window';

export interface SendTime {
  at: Date;
  /** Plain words: 'inside the window now', 'next working day 09:00 (weekend)'... */
  reason: string;
  /** The rule that decided most (out-of-office > holiday > weekend > after-hours > before-hours). */
  rule: SendRule;
  /** `at` in the recipient's zone, ISO-8601 with offset (for `scheduledAt`). */
  local: string;
  /** The zone actually used (UTC when the given one is unknown). */
  timeZone: string;
}

export interface NextSendTimeInput extends WindowOptions {
  now: Instant;
  /** E.g. an out-of-office return date; a bare 'YYYY-MM-DD' is that day's local midnight. */
  notBefore?: Instant | null;
}

/** How far ahead nextSendTime looks: far beyond any real run of closed days (Eid + weekend). */
export const MAX_SEARCH_DAYS = 60;
// businessHoursBetween clamps spans longer than this (a bogus year-1970 date must not loop long).
const MAX_SPAN_DAYS = 366 * 30;

type Cause = 'after-hours' | 'before-hours' | 'weekend' | 'holiday';

export function nextSendTime(input: NextSendTimeInput): SendTime {
  const { calendar, unknownZone } = resolve(input);
  const nowMs = toMs(input.now, 'now', calendar.zone);
  const notBeforeMs = input.notBefore == null ? null : toMs(input.notBefore, 'notBefore', calendar.zone);
  const away = notBeforeMs !== null && notBeforeMs > nowMs;
  const t0 = away ? notBeforeMs : nowMs;
  const causes = new Set<Cause>();
  const holidays: string[] = [];
  const first = calendar.dayOf(t0);
  for (let i = 0; i <= MAX_SEARCH_DAYS; i++) {
    const info = calendar.day(first + i);
    const slot = info.free.find(([, end]) => end > t0);
    if (slot) {
      const at = Math.max(slot[0], t0);
      if (at > t0) {
        if (at > info.windowStart) addHolidays(info, causes, holidays); // a part-day holiday
        else if (i === 0) causes.add('before-hours');
      }
      return result(calendar, unknownZone, at, t0, away ? notBeforeMs : null, causes, holidays);
    }
    if (info.weekend) causes.add('weekend');
    else if (i === 0 && t0 >= info.windowEnd) causes.add('after-hours');
    else addHolidays(info, causes, holidays);
  }
  const reason = `no business window within ${MAX_SEARCH_DAYS} days: the earliest time instead`;
  return {
    at: new Date(t0),
    reason: withZoneNote(reason, unknownZone),
    rule: 'no-window',
    local: localIso(calendar.zone, t0),
    timeZone: calendar.zone,
  };
}

export interface IsInsideWindowInput extends WindowOptions {
  at: Instant;
}

/** Whether `at` is inside the recipient's window (working day, not a holiday, within hours). */
export function isInsideWindow(input: IsInsideWindowInput): boolean {
  const { calendar } = resolve(input);
  const ms = toMs(input.at, 'at', calendar.zone);
  return calendar.day(calendar.dayOf(ms)).free.some(([a, b]) => ms >= a && ms < b);
}

export interface BetweenInput extends WindowOptions {
  from: Instant;
  to: Instant;
}

/**
 * Business hours between two instants: only window time of working, non-holiday days counts
 * (Friday 18:00 → Monday 10:00 is 1 hour with 09:00–17:00). 0 when `to` is not after `from`.
 */
export function businessHoursBetween(input: BetweenInput): number {
  const { calendar } = resolve(input);
  return businessMs(calendar, toMs(input.from, 'from', calendar.zone), toMs(input.to, 'to', calendar.zone)) / 3_600_000;
}

/** The same, in business days (one day = one full window: 8 h with 09:00–17:00). */
export function businessDaysBetween(input: BetweenInput): number {
  const { calendar } = resolve(input);
  const ms = businessMs(calendar, toMs(input.from, 'from', calendar.zone), toMs(input.to, 'to', calendar.zone));
  return ms / calendar.windowMs;
}

export interface AddBusinessDaysInput extends WindowOptions {
  from: Instant;
  /** Business days (fractions allowed); one day = one full window of business time. */
  days: number;
}

/**
 * The instant when `days` business days of window time have passed since `from` (Tuesday 10:00
 * + 1 → Wednesday 10:00; Friday 16:00 + 1 → Monday 16:00; Saturday + 1 → Monday 17:00).
 * `days` ≤ 0 gives `from` itself.
 */
export function addBusinessDays(input: AddBusinessDaysInput): Date {
  const { calendar } = resolve(input);
  const from = toMs(input.from, 'from', calendar.zone);
  if (typeof input.days !== 'number' || !Number.isFinite(input.days)) {
    throw new RangeError(`days must be a finite number, got ${String(input.days)}`);
  }
  if (input.days <= 0) return new Date(from);
  let remaining = Math.round(input.days * calendar.windowMs);
  const first = calendar.dayOf(from);
  const limit = Math.min(MAX_SPAN_DAYS, Math.ceil(input.days * 7) + 366);
  let last = from;
  for (let i = 0; i <= limit; i++) {
    for (const [a, b] of calendar.day(first + i).free) {
      const start = Math.max(a, from);
      if (b <= start) continue;
      if (remaining <= b - start) return new Date(start + remaining);
      remaining -= b - start;
      last = b;
    }
  }
  return new Date(last);
}

function businessMs(calendar: Calendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  const first = calendar.dayOf(from);
  const lastDay = Math.min(calendar.dayOf(to), first + MAX_SPAN_DAYS);
  let total = 0;
  for (let d = first; d <= lastDay; d++) {
    const info = calendar.day(d);
    if (info.freeMs === 0) continue;
    if (d > first && d < lastDay) {
      total += info.freeMs;
      continue;
    }
    for (const [a, b] of info.free) {
      const lo = Math.max(a, from);
      const hi = Math.min(b, to);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

function resolve(options: WindowOptions): { calendar: Calendar; unknownZone: string | null } {
  const zone = normalizeZone(options.timeZone);
  const unknownZone = zone ? null : String(options.timeZone);
  const effectiveZone = zone ?? 'UTC';
  // No country given: the zone's own country (Europe/Berlin → DE) is the best guess.
  const country = normalizeCountry(options.country) ?? (zone ? countryForZone(zone) : null);
  return { calendar: calendarFor(effectiveZone, country, parseHours(options.hours)), unknownZone };
}

function toMs(value: Instant, field: string, zone: string): number {
  let ms = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    ms = day
      ? DateTime.fromObject({ year: +day[1], month: +day[2], day: +day[3] }, { zone }).toMillis()
      : Date.parse(value);
  }
  if (!Number.isFinite(ms)) throw new RangeError(`${field} is not a valid instant: ${JSON.stringify(value)}`);
  return ms;
}

function addHolidays(info: DayInfo, causes: Set<Cause>, names: string[]): void {
  if (info.holidays.length === 0) return;
  causes.add('holiday');
  for (const n of info.holidays) if (!names.includes(n)) names.push(n);
}

function result(
  calendar: Calendar,
  unknownZone: string | null,
  at: number,
  t0: number,
  returnMs: number | null,
  causes: Set<Cause>,
  holidays: string[],
): SendTime {
  const zone = calendar.zone;
  const parts: string[] = [];
  if (returnMs !== null) parts.push(`after out-of-office return ${localIso(zone, returnMs).slice(0, 10)}`);
  if (holidays.length > 0) parts.push(`after public holiday ${holidays.join(' and ')}`);
  if (at === t0) {
    if (returnMs === null) parts.push('inside the window now');
  } else {
    const clock = localIso(zone, at).slice(11, 16);
    const sameDay = calendar.dayOf(at) === calendar.dayOf(t0);
    const why = (['after-hours', 'before-hours', 'weekend'] as const)
      .filter((c) => causes.has(c) && !(c === 'before-hours' && returnMs !== null))
      .map((c) => (c === 'weekend' ? 'weekend' : c.replace('-', ' business ')));
    const when = sameDay ? (returnMs !== null ? 'that day' : 'later today') : 'next working day';
    parts.push(`${when} ${clock}${why.length > 0 ? ` (${why.join(', ')})` : ''}`);
  }
  const rule: SendRule =
    returnMs !== null
      ? 'out-of-office'
      : causes.has('holiday')
        ? 'holiday'
        : causes.has('weekend')
          ? 'weekend'
          : causes.has('after-hours')
            ? 'after-hours'
            : causes.has('before-hours')
              ? 'before-hours'
              : 'open-now';
  return {
    at: new Date(at),
    reason: withZoneNote(parts.join('; '), unknownZone),
    rule,
    local: localIso(zone, at),
    timeZone: zone,
  };
}

function withZoneNote(reason: string, unknownZone: string | null): string {
  return unknownZone === null ? reason : `${reason} (unknown time zone ${JSON.stringify(unknownZone)}: used UTC)`;
}

/** ISO-8601 local time with offset ('2026-03-09T09:00:00-04:00'; 'Z' for the UTC zone). */
function localIso(zone: string, ms: number): string {
  const offset = zoneOffset(zone, ms);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, ms % 1000 === 0 ? 19 : 23);
  if (zone === 'UTC') return `${wall}Z`;
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}
