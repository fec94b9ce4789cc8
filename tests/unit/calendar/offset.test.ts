// calendar/offset.ts keeps zone offsets per week, day and quarter-hour instead of asking Intl
// (through luxon) at every instant. It must give luxon's answers exactly: offsets at and around
// every transition of the curated zones and some odd ones (half- and quarter-hour zones, negative
// DST, a skipped day, a two-hour DST), and luxon's wall-clock rule in gaps and overlaps.
import { describe, expect, it } from 'vitest';
import { DateTime, IANAZone } from 'luxon';
import { wallClockToInstant, zoneOffset } from '../../../main/core/calendar/offset.js';
import { ZONES } from '../../../main/core/calendar/zones.js';

const MIN = 60_000;
const DAY = 86_400_000;
const ODD = ['Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Europe/Dublin', 'Pacific/Apia', 'Antarctica/Troll', 'Africa/Casablanca', 'America/Caracas', 'Asia/Tehran', 'Pacific/Chatham'];
const zones = [...new Set([...ZONES.map((z) => z.zone), ...ODD])];

/** Every instant (to the minute) where the zone's offset changed between `from` and `to`. */
function transitions(zone: string, from: number, to: number): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  let prev = z.offset(from);
  for (let t = from + DAY; t <= to; t += DAY) {
    const o = z.offset(t);
    if (o === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > MIN) {
      const mid = lo + Math.floor((hi - lo) / 2 / MIN) * MIN;
      if (z.offset(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push(hi);
    prev = o;
  }
  return out;
}

const luxonWall = (zone: string, naive: number) => DateTime.fromMillis(naive, { zone: 'utc' }).setZone(zone, { keepLocalTime: true }).toMillis();

describe('zoneOffset and wallClockToInstant give luxon\'s answers', () => {
  it.each(zones)('%s, 2000-2035: at every transition, around it, and on a spread of instants', (zone) => {
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2035, 0, 1);
    const z = IANAZone.create(zone);
    const probes: number[] = [];
    for (const t of transitions(zone, from, to)) {
      for (const d of [-16, -15, -1, 0, 1, 14, 15, 16, 60, 120, -60, -120]) probes.push(t + d * MIN);
    }
    // Odd instants (not on a quarter-hour), every ~9.3 days.
    for (let t = from + 7 * MIN + 13_000; t < to; t += 9 * DAY + 7 * 3_600_000 + 11 * MIN) probes.push(t);
    const wrongOffsets = probes.filter((t) => zoneOffset(zone, t) !== z.offset(t));
    expect(wrongOffsets.map((t) => new Date(t).toISOString())).toEqual([]);
    // Wall clocks: the same probes read as naive local times (gaps and overlaps among them).
    const wrongWalls = probes.filter((t) => wallClockToInstant(zone, t) !== luxonWall(zone, t));
    expect(wrongWalls.map((t) => new Date(t).toISOString())).toEqual([]);
  });

  it("in a spring-forward gap a wall time moves forward by the jump; in a fall-back overlap it is luxon's choice", () => {
    // Europe/Berlin 2026-03-29: 02:00 CET → 03:00 CEST; 2026-10-25: 03:00 CEST → 02:00 CET.
    expect(new Date(wallClockToInstant('Europe/Berlin', Date.UTC(2026, 2, 29, 2, 30))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(wallClockToInstant('Europe/Berlin', Date.UTC(2026, 9, 25, 2, 30))).toISOString()).toBe('2026-10-25T01:30:00.000Z');
    // America/New_York 2026-11-01: 02:00 EDT → 01:00 EST: the first 01:30 (EDT).
    expect(new Date(wallClockToInstant('America/New_York', Date.UTC(2026, 10, 1, 1, 30))).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
});
