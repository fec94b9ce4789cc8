// Zone offsets at an instant, memoised. luxon's IANAZone.offset() formats a date with Intl on every
// call (~7 µs on this machine class); inference, rhythms and business-hour counting ask for
// offsets at tens of thousands of different instants per analysis (a CPU profile of
// `triage unanswered` at 100k messages: luxon's partsOffset 9% of the process, from
// inferContactZone's scoring and wallClockToInstant).
//
// Offsets change a few times a year, so they are kept per UTC week: Intl is asked at the week's
// first and last minute, and when both agree the week has one offset. A week with a change is
// looked at per day the same way, a day with a change per quarter-hour, and a quarter-hour with a
// change per minute (Newfoundland changed at 00:01 local until 2011: not every transition falls
// on a quarter-hour). The one thing assumed: no zone changes its offset and back again within one
// span (true of the zones tests/unit/calendar/offset.test.ts compares with luxon, 2000-2035).
import { IANAZone } from 'luxon';

const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Each span size and the size of its parts. */
const FINER = new Map([
  [WEEK, DAY],
  [DAY, QUARTER_HOUR],
  [QUARTER_HOUR, MINUTE],
]);
const MAX_ENTRIES = 200_000;

/** A span's offset when it has one, else its finer parts. */
type Span = number | Map<number, Span>;

interface ZoneCache {
  zone: IANAZone;
  weeks: Map<number, Span>;
}

const cache = new Map<string, ZoneCache>();
let entries = 0;

function intlOffset(z: ZoneCache, ms: number): number {
  entries++;
  return z.zone.offset(ms);
}

/** The offset at `ms` within the span [start, start + size), refined down to minutes. */
function offsetIn(z: ZoneCache, spans: Map<number, Span>, start: number, size: number, ms: number): number {
  let span = spans.get(start);
  if (span === undefined) {
    if (size === MINUTE) span = intlOffset(z, start);
    else {
      const first = intlOffset(z, start);
      span = first === intlOffset(z, start + size - MINUTE) ? first : new Map<number, Span>();
    }
    spans.set(start, span);
  }
  if (typeof span === 'number') return span;
  const finer = FINER.get(size)!;
  return offsetIn(z, span, start + Math.floor((ms - start) / finer) * finer, finer, ms);
}

/** Minutes east of UTC of `zone` (a valid IANA name) at `ms`. */
export function zoneOffset(zone: string, ms: number): number {
  if (entries >= MAX_ENTRIES) {
    cache.clear();
    entries = 0;
  }
  let z = cache.get(zone);
  if (!z) {
    z = { zone: IANAZone.create(zone), weeks: new Map() };
    cache.set(zone, z);
  }
  return offsetIn(z, z.weeks, Math.floor(ms / WEEK) * WEEK, WEEK, ms);
}

/** Days since 1970-01-01 of the local date at `ms` in `zone`. */
export function localDayNumber(zone: string, ms: number): number {
  return Math.floor((ms + zoneOffset(zone, ms) * 60_000) / DAY);
}

/**
 * The instant of a wall-clock time in `zone`, given as "naive" milliseconds (the wall clock read
 * as if it were UTC). A time skipped by a DST jump moves forward by the jump (luxon's rule:
 * 02:30 on a spring-forward night is 03:30); of a repeated time, luxon's choice (the offset in
 * force at the naive instant read as UTC: Berlin's second 02:30, New York's first 01:30).
 * The same steps as luxon's DateTime.setZone(zone, { keepLocalTime: true }) (its fixOffset), on
 * the memoised offsets instead of a DateTime per call.
 */
export function wallClockToInstant(zone: string, naiveMs: number): number {
  const o = zoneOffset(zone, naiveMs);
  let utc = naiveMs - o * 60_000;
  const o2 = zoneOffset(zone, utc);
  if (o === o2) return utc;
  utc -= (o2 - o) * 60_000;
  const o3 = zoneOffset(zone, utc);
  if (o2 === o3) return utc;
  // A wall time in a gap: luxon keeps the time and takes the larger offset's instant.
  return naiveMs - Math.min(o2, o3) * 60_000;
}

/** The wall clock at `ms` in `zone`, as naive milliseconds. */
export function instantToWallClock(zone: string, ms: number): number {
  return ms + zoneOffset(zone, ms) * 60_000;
}

export { DAY };
