import { describe, expect, it } from 'vitest';
import { intlWeekInfoSupported, publicHolidays, weekendDays } from '../../../main/core/calendar/index.js';

// Guards for the facts the scheduling tables rely on: if a date-holidays or ICU update changes
// them, this file says so before the scheduling cases fail for a less obvious reason.
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('public holidays from date-holidays (wall clock)', () => {
  it.each([
    { country: 'US', date: '2026-05-25', name: 'Memorial Day' },
    { country: 'US', date: '2026-11-26', name: 'Thanksgiving Day' },
    { country: 'US', date: '2026-07-03', name: 'Independence Day (substitute day)' },
    { country: 'DE', date: '2026-04-03', name: 'Good Friday' },
    { country: 'DE', date: '2026-10-03', name: 'National Holiday' }, // Unity Day, a Saturday in 2026
    { country: 'GB', date: '2026-04-03', name: 'Good Friday' },
    { country: 'GB', date: '2026-05-04', name: 'Early May bank holiday' },
    { country: 'GB', date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    { country: 'JP', date: '2026-05-06', name: 'Constitution Day (substitute day)' },
    { country: 'IN', date: '2026-01-26', name: 'Republic Day' },
    { country: 'SA', date: '2026-09-23', name: 'National Day' },
    { country: 'BR', date: '2026-04-21', name: "Tiradentes' Day" },
    { country: 'AU', date: '2026-04-06', name: 'Easter Monday' },
  ])('$country $date $name', ({ country, date, name }) => {
    const hit = publicHolidays(country, 2026).find((h) => h.name === name && day(h.start) === date);
    expect(hit, `${name} on ${date}`).toBeDefined();
    expect(hit!.end - hit!.start).toBe(24 * 3_600_000);
  });

  it('reads Hijri holidays as starting the evening before and spanning several days', () => {
    const eid = publicHolidays('SA', 2026).find((h) => h.name.includes('Eid al-Fitr'))!;
    expect(new Date(eid.start).toISOString()).toBe('2026-03-18T18:00:00.000Z'); // 18:00 wall clock
    expect(new Date(eid.end).toISOString()).toBe('2026-03-22T18:00:00.000Z');
  });

  it('keeps part-day public holidays (Iceland, Christmas Eve from 13:00)', () => {
    const eve = publicHolidays('IS', 2026).find((h) => h.name === 'Christmas Eve')!;
    expect(new Date(eve.start).toISOString()).toBe('2026-12-24T13:00:00.000Z');
    expect(new Date(eve.end).toISOString()).toBe('2026-12-25T00:00:00.000Z');
  });

  it('gives nothing, not an error, for an unknown country', () => {
    expect(publicHolidays('ZZ', 2026)).toEqual([]);
  });

  it('keeps only public holidays (no bank or observance days)', () => {
    expect(publicHolidays('DE', 2026).map((h) => h.name)).not.toContain('Christmas Eve');
  });
});

describe('weekend days from CLDR week data', () => {
  it('ICU week data is available on this runtime', () => {
    expect(intlWeekInfoSupported()).toBe(true);
  });

  it.each([
    { country: 'US', weekend: [6, 7] },
    { country: 'DE', weekend: [6, 7] },
    { country: 'SA', weekend: [5, 6] },
    { country: 'AE', weekend: [6, 7] }, // moved to Saturday–Sunday in 2022
    { country: 'IL', weekend: [5, 6] },
    { country: 'IR', weekend: [5] },
    { country: 'IN', weekend: [7] },
    { country: 'QA', weekend: [5, 6] },
    { country: 'AF', weekend: [4, 5] },
    { country: null, weekend: [6, 7] },
  ])('$country → $weekend', ({ country, weekend }) => {
    expect([...weekendDays(country)]).toEqual(weekend);
  });
});
