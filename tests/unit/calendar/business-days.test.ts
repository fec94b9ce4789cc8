import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessDaysBetween, businessHoursBetween } from '../../../main/core/calendar/index.js';

describe('businessHoursBetween / businessDaysBetween', () => {
  it.each([
    { name: 'Friday 18:00 → Monday 10:00 waited 1 business hour', from: '2026-03-06T23:00:00Z', to: '2026-03-09T14:00:00Z', timeZone: 'America/New_York', country: 'US', hours: 1 },
    { name: 'Friday 16:00 → Monday 10:00 across the DST start', from: '2026-03-06T21:00:00Z', to: '2026-03-09T14:00:00Z', timeZone: 'America/New_York', country: 'US', hours: 2 },
    { name: 'Wednesday 16:00 → Monday 10:00 over Thanksgiving and a weekend', from: '2026-11-25T21:00:00Z', to: '2026-11-30T15:00:00Z', timeZone: 'America/New_York', country: 'US', hours: 10 },
    { name: 'within one window', from: '2026-03-10T14:00:00Z', to: '2026-03-10T16:30:00Z', timeZone: 'America/New_York', country: 'US', hours: 2.5 },
    { name: 'a whole working week', from: '2026-03-09T00:00:00Z', to: '2026-03-14T00:00:00Z', timeZone: 'Europe/London', country: 'GB', hours: 40 },
    { name: 'Saudi Thursday 16:00 → Sunday 10:00', from: '2026-03-05T13:00:00Z', to: '2026-03-08T07:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', hours: 2 },
    { name: 'to before from counts nothing', from: '2026-03-10T16:00:00Z', to: '2026-03-10T14:00:00Z', timeZone: 'America/New_York', country: 'US', hours: 0 },
    { name: 'a weekend only counts nothing', from: '2026-03-07T10:00:00Z', to: '2026-03-08T20:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', hours: 0 },
  ])('$name', ({ from, to, timeZone, country, hours }) => {
    expect(businessHoursBetween({ from, to, timeZone, country })).toBeCloseTo(hours, 9);
    expect(businessDaysBetween({ from, to, timeZone, country })).toBeCloseTo(hours / 8, 9);
  });

  it('counts a year without looping forever and with custom hours', () => {
    const days = businessDaysBetween({ from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', timeZone: 'Europe/Berlin', country: 'DE' });
    // 261 weekdays in 2026; 9 national public holidays, of which Unity Day (3 Oct) and Boxing Day
    // (26 Dec) fall on Saturdays.
    expect(days).toBeCloseTo(261 - 7, 9);
    const hours = businessHoursBetween({ from: '2026-03-10T06:00:00Z', to: '2026-03-10T20:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', hours: { start: '08:00', end: '12:00' } });
    expect(hours).toBeCloseTo(4, 9);
  });
});

describe('addBusinessDays', () => {
  it.each([
    { name: 'Tuesday 10:00 + 1 → Wednesday 10:00', from: '2026-03-10T14:00:00Z', days: 1, timeZone: 'America/New_York', country: 'US', at: '2026-03-11T14:00:00Z' },
    { name: 'Friday 16:00 + 1 → Monday 16:00 across the DST start', from: '2026-03-06T21:00:00Z', days: 1, timeZone: 'America/New_York', country: 'US', at: '2026-03-09T20:00:00Z' },
    { name: 'Saturday + 1 → Monday 17:00 (one full window)', from: '2026-03-07T15:00:00Z', days: 1, timeZone: 'America/New_York', country: 'US', at: '2026-03-09T21:00:00Z' },
    { name: 'Wednesday 10:00 + 1 skips Thanksgiving → Friday 10:00', from: '2026-11-25T15:00:00Z', days: 1, timeZone: 'America/New_York', country: 'US', at: '2026-11-27T15:00:00Z' },
    { name: 'Thursday 12:00 Riyadh + 2.5 → Monday 16:00', from: '2026-03-05T09:00:00Z', days: 2.5, timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-03-09T13:00:00Z' },
    { name: 'Thursday 12:00 Berlin + 1 over Good Friday and Easter Monday → Tuesday 12:00', from: '2026-04-02T10:00:00Z', days: 1, timeZone: 'Europe/Berlin', country: 'DE', at: '2026-04-07T10:00:00Z' },
    { name: '0 days is the instant itself', from: '2026-03-07T15:00:00Z', days: 0, timeZone: 'America/New_York', country: 'US', at: '2026-03-07T15:00:00Z' },
  ])('$name', ({ from, days, timeZone, country, at }) => {
    expect(addBusinessDays({ from, days, timeZone, country }).toISOString()).toBe(new Date(at).toISOString());
  });

  it('is the inverse of businessDaysBetween', () => {
    const from = '2026-12-22T15:00:00Z';
    const to = addBusinessDays({ from, days: 3, timeZone: 'Europe/London', country: 'GB' });
    expect(businessDaysBetween({ from, to, timeZone: 'Europe/London', country: 'GB' })).toBeCloseTo(3, 9);
  });

  it('rejects a non-number of days', () => {
    expect(() => addBusinessDays({ from: '2026-03-10T14:00:00Z', days: Number.NaN, timeZone: 'UTC', country: null })).toThrow(/days/);
  });
});
