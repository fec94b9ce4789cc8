// Zone offsets at an instant, memoised. luxon's IANAZone.offset() formats a date with Intl on every
// call (~7 µs on this machine class); inference and business-hour counting ask for the same
// quarter-hours again and again. Every modern transition falls on a whole quarter-hour of UTC
// (Lord Howe and Nepal included), so a quarter-hour bucket is exact.
import { DateTime, IANAZone } from 'luxon';

const QUARTER_HOUR = 15 * 60_000;
const MAX_ENTRIES = 200_000;
const cache = new Map<string, Map<number, number>>();
let entries = 0;

/** Minutes east of UTC of `zone` (a valid IANA name) at `ms`. */
export function zoneOffset(zone: string, ms: number): number {
  let perZone = cache.get(zone);
  if (!perZone) {
    perZone = new Map();
    cache.set(zone, perZone);
  }
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let offset = perZone.get(bucket);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(bucket * QUARTER_HOUR);
    if (entries >= MAX_ENTRIES) {
      cache.clear();
      entries = 0;
      perZone = new Map();
      cache.set(zone, perZone);
    }
    perZone.set(bucket, offset);
    entries++;
  }
  return offset;
}

const DAY = 86_400_000;

/** Days since 1970-01-01 of the local date at `ms` in `zone`. */
export function localDayNumber(zone: string, ms: number): number {
  return Math.floor((ms + zoneOffset(zone, ms) * 60_000) / DAY);
}

/**
 * The instant of a wall-clock time in `zone`, given as "naive" milliseconds (the wall clock read
 * as if it were UTC). A time skipped by a DST jump moves forward by the jump (luxon's rule:
 * 02:30 on a spring-forward night is 03:30); a repeated time takes its first occurrence.
 */
export function wallClockToInstant(zone: string, naiveMs: number): number {
  return DateTime.fromMillis(naiveMs, { zone: 'utc' }).setZone(zone, { keepLocalTime: true }).toMillis();
}

/** The wall clock at `ms` in `zone`, as naive milliseconds. */
export function instantToWallClock(zone: string, ms: number): number {
  return ms + zoneOffset(zone, ms) * 60_000;
}

export { DAY };
