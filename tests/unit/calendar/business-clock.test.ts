// The business clock's fast paths against the window's own functions: same answers.
import { describe, expect, it } from 'vitest';
import { businessHoursBetween } from '../../../main/core/calendar/window.js';
import { zoneOffset } from '../../../main/core/calendar/offset.js';
import { businessMs, calendarOf, headerOffset } from '../../../main/core/calendar/business-clock.js';

/** mulberry32: the same cases every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WINDOWS = [
  { timeZone: 'Europe/Berlin', country: 'DE', hours: null },
  { timeZone: 'America/New_York', country: 'US', hours: { start: '08:00', end: '18:00' } },
  { timeZone: 'Asia/Tokyo', country: 'JP', hours: null },
  { timeZone: 'Asia/Riyadh', country: 'SA', hours: null },
  { timeZone: 'Asia/Kolkata', country: 'IN', hours: { start: '10:00', end: '19:00' } },
  { timeZone: 'Australia/Sydney', country: 'AU', hours: null },
  { timeZone: 'America/Sao_Paulo', country: 'BR', hours: null },
  { timeZone: 'Pacific/Auckland', country: 'NZ', hours: null },
  { timeZone: 'Not/AZone', country: null, hours: null },
];

describe('businessMs', () => {
  it('equals businessHoursBetween across zones, DST changes, weekends and holidays', () => {
    const r = rng(7);
    const start = Date.UTC(2024, 0, 1);
    const span = Date.UTC(2026, 11, 31) - start;
    for (let i = 0; i < 600; i++) {
      const w = WINDOWS[i % WINDOWS.length];
      const from = start + Math.floor(r() * span);
      const to = from + Math.floor(r() * (r() < 0.5 ? 3 : 40) * 86_400_000);
      const expected = businessHoursBetween({ ...w, from, to });
      expect(businessMs(calendarOf(w), from, to) / 3_600_000, `${w.timeZone} ${new Date(from).toISOString()} → ${new Date(to).toISOString()}`).toBeCloseTo(expected, 9);
    }
  });

  it('Friday evening to Monday 10:00 is one hour', () => {
    const cal = calendarOf({ timeZone: 'Europe/Berlin', country: 'DE' });
    expect(businessMs(cal, Date.parse('2025-03-07T18:00:00+01:00'), Date.parse('2025-03-10T10:00:00+01:00'))).toBe(3_600_000);
    expect(businessMs(cal, 10, 5)).toBe(0);
  });
});

describe('headerOffset', () => {
  it.each([
    ['Mon, 3 Mar 2025 10:00:00 +0100', 60],
    ['Mon, 3 Mar 2025 10:00:00 -0500 (EST)', -300],
    ['Mon, 3 Mar 2025 10:00:00 +0530', 330],
    ['Mon, 3 Mar 2025 10:00:00 +0000', 0],
    ['Mon, 3 Mar 2025 10:00:00 -0000', null],
    ['Mon, 3 Mar 2025 10:00:00 GMT', null],
    ['Mon, 3 Mar 2025 10:00:00 +2500', null],
    ['Mon, 3 Mar 2025 10:00:00 +01:00', null],
    ['Mon, 3 Mar 2025 10:00:00+0100', null],
    ['Mon, 3 Mar 2025 10:00:00 +0100 (CET)  ', 60],
    ['garbage', null],
    ['', null],
  ])('%s → %s', (raw, expected) => {
    expect(headerOffset(raw)).toBe(expected);
  });
});
