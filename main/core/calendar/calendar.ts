// A business calendar: for one (zone, country, hours), each local day's window as instants, minus
// weekend and public holidays. Days are computed once and memoised; everything in window.ts is a
// walk over these days.
import { publicHolidays } from './holidays.js';
import { DAY, localDayNumber, wallClockToInstant } from './offset.js';
import { weekendDays } from './workweek.js';

import type { BusinessHours } from '../model.js';

export type { BusinessHours };

export const DEFAULT_HOURS: Readonly<BusinessHours> = Object.freeze({ start: '09:00', end: '17:00' });

export interface DayInfo {
  /** Local date as days since 1970-01-01. */
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  weekend: boolean;
  /** The window's start and end instants (ms), whether or not the day is a working day. */
  windowStart: number;
  windowEnd: number;
  /** The open parts of the window (ms instants, sorted); empty on weekends and whole holidays. */
  free: ReadonlyArray<readonly [number, number]>;
  freeMs: number;
  /** Public holidays that close some of the window. */
  holidays: readonly string[];
}

export interface Calendar {
  zone: string;
  country: string | null;
  startMinute: number;
  endMinute: number;
  /** Length of a full window in ms (one business day). */
  windowMs: number;
  day(dayNumber: number): DayInfo;
  dayOf(ms: number): number;
}

/** 'HH:MM' → minutes after midnight; throws a RangeError naming the field when malformed. */
export function parseClock(text: unknown, field: string, allow24 = false): number {
  const m = typeof text === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(text.trim()) : null;
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const valid = m && Number(m[2]) < 60 && (minutes < 24 * 60 || (allow24 && minutes === 24 * 60));
  if (!valid) throw new RangeError(`${field} must be a time of day like "09:00", got ${JSON.stringify(text)}`);
  return minutes;
}

const parsedHours = new Map<string, { start: number; end: number }>();

export function parseHours(hours: BusinessHours | null | undefined): { start: number; end: number } {
  const h = hours ?? DEFAULT_HOURS;
  const key = `${h.start}|${h.end}`;
  const hit = parsedHours.get(key);
  if (hit) return hit;
  const parsed = parseHoursUncached(h);
  if (parsedHours.size < 1000) parsedHours.set(key, parsed);
  return parsed;
}

function parseHoursUncached(h: BusinessHours): { start: number; end: number } {
  const start = parseClock(h.start, 'hours.start');
  const end = parseClock(h.end, 'hours.end', true);
  if (end <= start) {
    throw new RangeError(`hours.end (${h.end}) must be after hours.start (${h.start}); windows across midnight are not supported`);
  }
  return { start, end };
}

const MAX_CALENDARS = 500;
const MAX_DAYS_PER_CALENDAR = 20_000;
const calendars = new Map<string, Calendar>();

/** The memoised calendar of a valid zone, a normalised country (or null) and parsed hours. */
export function calendarFor(zone: string, country: string | null, hours: { start: number; end: number }): Calendar {
  const key = `${zone}|${country ?? ''}|${hours.start}-${hours.end}`;
  let cal = calendars.get(key);
  if (!cal) {
    if (calendars.size >= MAX_CALENDARS) calendars.clear();
    cal = createCalendar(zone, country, hours.start, hours.end);
    calendars.set(key, cal);
  }
  return cal;
}

function createCalendar(zone: string, country: string | null, startMinute: number, endMinute: number): Calendar {
  const weekend = weekendDays(country);
  const days = new Map<number, DayInfo>();
  const compute = (dayNumber: number): DayInfo => {
    const midnight = dayNumber * DAY; // naive wall clock
    const weekday = ((((dayNumber + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
    const openNaive = midnight + startMinute * 60_000;
    const closeNaive = midnight + endMinute * 60_000;
    const windowStart = wallClockToInstant(zone, openNaive);
    const windowEnd = wallClockToInstant(zone, closeNaive);
    const isWeekend = weekend.includes(weekday);
    let segments: Array<[number, number]> = [[openNaive, closeNaive]];
    const names: string[] = [];
    if (!isWeekend && country) {
      const year = new Date(midnight).getUTCFullYear();
      for (const y of [year - 1, year, year + 1]) {
        for (const h of publicHolidays(country, y)) {
          if (h.end <= openNaive || h.start >= closeNaive) continue;
          if (!names.includes(h.name)) names.push(h.name);
          segments = subtract(segments, h.start, h.end);
        }
      }
    }
    const free: Array<readonly [number, number]> = [];
    if (!isWeekend) {
      for (const [a, b] of segments) {
        const from = a === openNaive ? windowStart : wallClockToInstant(zone, a);
        const to = b === closeNaive ? windowEnd : wallClockToInstant(zone, b);
        if (to > from) free.push([from, to]);
      }
    }
    const freeMs = free.reduce((sum, [a, b]) => sum + (b - a), 0);
    return { day: dayNumber, weekday, weekend: isWeekend, windowStart, windowEnd, free, freeMs, holidays: names };
  };
  return {
    zone,
    country,
    startMinute,
    endMinute,
    windowMs: (endMinute - startMinute) * 60_000,
    day(dayNumber) {
      let info = days.get(dayNumber);
      if (!info) {
        if (days.size >= MAX_DAYS_PER_CALENDAR) days.clear();
        info = compute(dayNumber);
        days.set(dayNumber, info);
      }
      return info;
    },
    dayOf(ms) {
      return localDayNumber(zone, ms);
    },
  };
}

function subtract(segments: Array<[number, number]>, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of segments) {
    if (end <= a || start >= b) {
      out.push([a, b]);
      continue;
    }
    if (start > a) out.push([a, start]);
    if (end < b) out.push([end, b]);
  }
  return out;
}
