// Public holidays of a country as wall-clock intervals, from date-holidays (type 'public' only:
// 'bank', 'optional', 'school' and 'observance' days are working days for most people).
//
// date-holidays quirks handled here:
// - Constructing an instance costs ~1-10 ms (US, IL are the slow ones): one per country, cached.
// - `start`/`end` are computed in the country's first zone (America/New_York for all of the US),
//   so they are wrong for other zones of the same country. The wall-clock `date` string is used
//   instead: "YYYY-MM-DD hh:mm:ss", with " -0600" appended by the Hijri and Hebrew calendars,
//   meaning the day starts at 18:00 the evening before.
// - Islamic holidays span several days (SA's Eid al-Fitr: 4 days): the length is end - start.
// - Some public holidays start at noon or 14:00 (CN, IS, GT...): only that part of the day is off.
// - Substitute days ("Independence Day (substitute day)") are separate public entries.
// - Unknown countries give an empty list, not an error.
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';

export interface HolidayInterval {
  /** Wall-clock start and end, as naive milliseconds (the local time read as if it were UTC). */
  start: number;
  end: number;
  name: string;
}

/**
 * date-holidays, loaded on first use: its import builds moment-timezone's zone tables (~90 ms of
 * CPU in a bundled command's start, measured with --cpu-prof), which a command that only reads a
 * snapshot of the lists never needs. Its CommonJS build, required by path like the freemail lists.
 */
let holidaysClass: typeof Holidays | null = null;
export function holidaysLibrary(): typeof Holidays {
  return (holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays);
}

const HOUR = 3_600_000;
const instances = new Map<string, Holidays | null>();
const years = new Map<string, HolidayInterval[]>();

function instanceFor(country: string): Holidays | null {
  if (instances.has(country)) return instances.get(country) ?? null;
  let instance: Holidays | null = null;
  try {
    const Library = holidaysLibrary();
    const candidate = new Library(country, { languages: 'en', types: ['public'] });
    instance = candidate.getRules().length > 0 ? candidate : null;
  } catch {
    instance = null;
  }
  instances.set(country, instance);
  return instance;
}

/** The public holidays of `country` (ISO alpha-2) that start in `year`, sorted by start. */
export function publicHolidays(country: string, year: number): readonly HolidayInterval[] {
  const key = `${country}|${year}`;
  const hit = years.get(key);
  if (hit) return hit;
  const instance = instanceFor(country);
  const list: HolidayInterval[] = [];
  if (instance) {
    let raw: ReturnType<Holidays['getHolidays']> = [];
    try {
      raw = instance.getHolidays(year, 'en');
    } catch {
      raw = [];
    }
    for (const h of raw) {
      if (h.type !== 'public') continue;
      const interval = toInterval(h);
      if (interval) list.push(interval);
    }
    list.sort((a, b) => a.start - b.start);
  }
  years.set(key, list);
  return list;
}

function toInterval(h: { date: string; start: Date; end: Date; name: string }): HolidayInterval | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?/.exec(h.date);
  if (!m) return null;
  let start = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (m[7]) {
    const shift = (+m[8] * 60 + +m[9]) * 60_000;
    start += m[7] === '-' ? -shift : shift;
  }
  let hours = (h.end.getTime() - h.start.getTime()) / HOUR;
  if (!Number.isFinite(hours) || hours <= 0) hours = 24;
  // A DST change inside the holiday (in the zone date-holidays used) makes 23 or 25 hours.
  const days = Math.round(hours / 24);
  if (days >= 1 && Math.abs(hours - days * 24) <= 1) hours = days * 24;
  return { start, end: start + hours * HOUR, name: String(h.name) };
}
