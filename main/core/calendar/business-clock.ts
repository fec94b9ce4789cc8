// The clock arithmetic rhythms need many thousands of times per run, built on the memoised
// business calendar (calendar.ts), so the answers are the send window's.
//
// Why not call businessHoursBetween for every reply: it converts both instants to local days with
// a zone offset memoised per (zone, quarter-hour), and nearly every message's instant is a
// quarter-hour of its own, so each call costs two luxon/Intl conversions (~7 µs each).
// - businessMs sums the overlap of [from, to) with each day's open intervals: those are instants
//   already, so no instant needs a local day (tests/unit/calendar/business-clock.test.ts checks it against
//   businessHoursBetween, DST and holidays included).
// The zone inference has its own file: rhythm-zone.ts.
import { calendarFor, parseHours, DEFAULT_HOURS, type BusinessHours, type Calendar } from './calendar.js';
import { countryForZone, normalizeCountry, normalizeZone } from './zones.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Longer spans are counted up to this many days (a bogus 1970 date must not loop for long). */
const MAX_SPAN_DAYS = 400;

export interface WindowSpec {
  timeZone: string;
  /** ISO 3166 alpha-2; null → the zone's country (as the follow-up window does). */
  country: string | null;
  hours?: BusinessHours | null;
}

/** The calendar the follow-up window uses for these options (same fallbacks: unknown zone → UTC). */
export function calendarOf(spec: WindowSpec): Calendar {
  const zone = normalizeZone(spec.timeZone) ?? 'UTC';
  const country = normalizeCountry(spec.country) ?? (zone === 'UTC' ? null : countryForZone(zone));
  return calendarFor(zone, country, parseHours(spec.hours ?? DEFAULT_HOURS));
}

/** Business time between two instants in ms: the open window time of working, non-holiday days. */
export function businessMs(calendar: Calendar, from: number, to: number): number {
  if (!(to > from)) return 0;
  // A local day's window lies within [d·DAY − 14 h, d·DAY + 36 h] (offsets run −12 h … +14 h).
  const first = Math.floor(from / DAY_MS) - 1;
  const last = Math.min(Math.floor(to / DAY_MS) + 1, first + MAX_SPAN_DAYS);
  let total = 0;
  for (let d = first; d <= last; d++) {
    const info = calendar.day(d);
    if (info.freeMs === 0) continue;
    for (const [a, b] of info.free) {
      const lo = a > from ? a : from;
      const hi = b < to ? b : to;
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

export const msToHours = (ms: number) => ms / HOUR_MS;

/** The length of one business day of this calendar in hours (8 for 09:00–17:00). */
export function windowHours(calendar: Calendar): number {
  return calendar.windowMs / HOUR_MS;
}

/**
 * The zone's offset (minutes east) on the local day around `ms`, read off the calendar's memoised
 * day (its window start is a wall-clock time converted with the zone): exact except for the
 * hours around a DST change, which is all a histogram of local hours needs.
 */
export function approxOffset(calendar: Calendar, ms: number): number {
  const d = Math.floor(ms / DAY_MS);
  const info = calendar.day(d);
  return Math.round((d * DAY_MS + calendar.startMinute * MINUTE_MS - info.windowStart) / MINUTE_MS);
}

/**
 * The "+hhmm" at the end of a raw Date header (RFC 5322 §3.3), a trailing comment "(CET)"
 * allowed: minutes east, or null for "-0000" (unknown, §3.3), zone names and anything else.
 * Read by hand: it runs once per message, and a regex costs several times more.
 */
export function headerOffset(raw: string | null): number | null {
  if (!raw) return null;
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) <= 32) end--;
  if (end > 0 && raw.charCodeAt(end - 1) === 41 /* ) */) {
    const open = raw.lastIndexOf('(', end - 1);
    if (open < 0) return null;
    end = open;
    while (end > 0 && raw.charCodeAt(end - 1) <= 32) end--;
  }
  if (end < 6) return null;
  const sign = raw.charCodeAt(end - 5);
  if ((sign !== 43 && sign !== 45) || raw.charCodeAt(end - 6) > 32) return null; // "+"/"-" after a space
  let digits = 0;
  for (let k = end - 4; k < end; k++) {
    const c = raw.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return null;
    digits = digits * 10 + c;
  }
  const hours = Math.floor(digits / 100);
  const minutes = digits % 100;
  if (minutes > 59 || hours > 14) return null;
  const total = hours * 60 + minutes;
  if (total === 0 && sign === 45) return null;
  return sign === 45 ? -total : total;
}

/** 'HH:MM' of minutes after midnight. */
export function clock(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
