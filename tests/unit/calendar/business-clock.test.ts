// The fast paths of rhythms against the follow-up module's own functions: same answers.
import { describe, expect, it } from 'vitest';
import { businessHoursBetween } from '../../../main/core/calendar/window.js';
import { inferTimeZone } from '../../../main/core/calendar/timezone.js';
import { zoneOffset } from '../../../main/core/calendar/offset.js';
import { businessMs, calendarOf, headerOffset } from '../../../main/core/calendar/business-clock.js';
import { inferContactZone, weekInstant, weeklyHeaders, type ZoneObservation } from '../../../main/core/contacts/rhythm-zone.js';

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

describe('inferContactZone', () => {
  const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Chicago', 'America/Bogota', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'Africa/Cairo', 'Asia/Riyadh', 'America/Santiago'];
  const ADDRESSES = ['x@firma.de', 'x@example.com', 'x@corp.co.uk', 'x@shop.io', 'x@uni.edu.au', 'x@mail.com.br', 'x@corp.in', 'x@gmail.com', 'x@empresa.cl'];

  it('is what inferTimeZone says for the same weekly evidence', () => {
    const r = rng(11);
    let fast = 0;
    for (let i = 0; i < 400; i++) {
      const zone = ZONES[Math.floor(r() * ZONES.length)];
      const years = 1 + Math.floor(r() * 3);
      const n = Math.floor(r() * 60);
      const observations: ZoneObservation[] = [];
      for (let k = 0; k < n; k++) {
        const ms = Date.UTC(2026 - Math.floor(r() * years), 0, 1) + Math.floor(r() * 365 * 86_400_000);
        const noise = r();
        // Exchange's +0000, travel, and the person's own clock.
        const offset = noise < 0.1 ? 0 : noise < 0.15 ? -300 : zoneOffset(zone, ms);
        observations.push({ ms, offset });
      }
      const overrides = r() < 0.1 ? { country: 'DE' } : r() < 0.05 ? { timeZone: 'Asia/Tokyo' } : null;
      const input = { address: ADDRESSES[Math.floor(r() * ADDRESSES.length)], observations, overrides, accountTimeZone: 'Europe/Paris', accountCountry: 'FR' };
      const expected = inferTimeZone({ ...input, dateHeaders: weeklyHeaders(observations) });
      const got = inferContactZone(input);
      expect(got, `${zone} ${input.address} ${n} observations`).toEqual(expected);
      if (got.source.startsWith('date-offsets') && !overrides) fast++;
    }
    expect(fast).toBeGreaterThan(200);
  });

  it('a week is read at its Wednesday noon, a weekend at its Sunday noon', () => {
    expect(new Date(weekInstant(Date.parse('2025-03-03T23:00:00Z'))).toISOString()).toBe('2025-03-05T12:00:00.000Z');
    expect(new Date(weekInstant(Date.parse('2025-03-07T10:00:00Z'))).toISOString()).toBe('2025-03-05T12:00:00.000Z');
    expect(new Date(weekInstant(Date.parse('2025-03-08T10:00:00Z'))).toISOString()).toBe('2025-03-09T12:00:00.000Z');
    expect(new Date(weekInstant(Date.parse('2025-03-09T23:59:00Z'))).toISOString()).toBe('2025-03-09T12:00:00.000Z');
  });

  it('US Eastern from a winter/summer pattern, not Bogotá', () => {
    const observations = [
      { ms: Date.parse('2025-01-15T15:00:00Z'), offset: -300 },
      { ms: Date.parse('2025-02-12T15:00:00Z'), offset: -300 },
      { ms: Date.parse('2025-07-16T14:00:00Z'), offset: -240 },
      { ms: Date.parse('2025-08-13T14:00:00Z'), offset: -240 },
    ];
    expect(inferContactZone({ address: 'x@example.com', observations, accountTimeZone: 'UTC' })).toMatchObject({ timeZone: 'America/New_York', source: 'date-offsets' });
  });
});
