// The rhythm's zone inference for many contacts against inferTimeZone: same answers.
import { describe, expect, it } from 'vitest';
import { inferTimeZone } from '../../../main/core/calendar/timezone.js';
import { zoneOffset } from '../../../main/core/calendar/offset.js';
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
