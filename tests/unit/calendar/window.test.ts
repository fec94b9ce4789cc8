import { describe, expect, it } from 'vitest';
import {
  MAX_SEARCH_DAYS,
  isInsideWindow,
  nextSendTime,
  type SendRule,
} from '../../../main/core/calendar/index.js';

// Every instant is fixed; every expectation was worked out by hand from the zone's rules for 2026
// (US DST 8 Mar – 1 Nov, EU 29 Mar – 25 Oct, Sydney ends 5 Apr / starts 4 Oct, Israel ends 25 Oct,
// Brazil without DST since 2019) and checked against date-holidays 3.37 (holidays.test.ts).
interface Case {
  name: string;
  now: string;
  timeZone: string;
  country: string | null;
  notBefore?: string;
  hours?: { start: string; end: string };
  at: string;
  local: string;
  rule: SendRule;
  reason?: string[];
  notReason?: string[];
}

const cases: Case[] = [
  // United States: New York
  { name: 'NY window open now', now: '2026-03-10T14:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-03-10T14:00:00Z', local: '2026-03-10T10:00:00-04:00', rule: 'open-now', reason: ['inside the window now'] },
  { name: 'NY early morning → 09:00 today', now: '2026-03-10T11:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-03-10T13:00:00Z', local: '2026-03-10T09:00:00-04:00', rule: 'before-hours', reason: ['later today 09:00', 'before business hours'] },
  { name: 'NY evening → next morning', now: '2026-03-10T22:30:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-03-11T13:00:00Z', local: '2026-03-11T09:00:00-04:00', rule: 'after-hours', reason: ['next working day 09:00', 'after business hours'] },
  { name: 'NY 17:00 is already closed (end exclusive)', now: '2026-03-10T21:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-03-11T13:00:00Z', local: '2026-03-11T09:00:00-04:00', rule: 'after-hours' },
  { name: 'NY Friday evening over the DST start (Sun 8 Mar)', now: '2026-03-06T23:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-03-09T13:00:00Z', local: '2026-03-09T09:00:00-04:00', rule: 'weekend', reason: ['weekend'] },
  { name: 'NY Friday evening over the DST end (Sun 1 Nov)', now: '2026-10-30T22:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-11-02T14:00:00Z', local: '2026-11-02T09:00:00-05:00', rule: 'weekend' },
  { name: 'NY Memorial Day (Monday 25 May)', now: '2026-05-22T21:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-05-26T13:00:00Z', local: '2026-05-26T09:00:00-04:00', rule: 'holiday', reason: ['after public holiday Memorial Day', 'weekend'] },
  { name: 'NY Thanksgiving (Thursday 26 Nov)', now: '2026-11-25T23:30:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-11-27T14:00:00Z', local: '2026-11-27T09:00:00-05:00', rule: 'holiday', reason: ['after public holiday Thanksgiving Day'] },
  { name: 'NY Independence Day observed on Friday 3 Jul', now: '2026-07-02T22:00:00Z', timeZone: 'America/New_York', country: 'US', at: '2026-07-06T13:00:00Z', local: '2026-07-06T09:00:00-04:00', rule: 'holiday', reason: ['Independence Day (substitute day)'] },
  // United States: Los Angeles
  { name: 'LA Friday evening over the DST start', now: '2026-03-07T02:00:00Z', timeZone: 'America/Los_Angeles', country: 'US', at: '2026-03-09T16:00:00Z', local: '2026-03-09T09:00:00-07:00', rule: 'weekend' },
  { name: 'LA on the DST-end Sunday', now: '2026-11-01T18:00:00Z', timeZone: 'America/Los_Angeles', country: 'US', at: '2026-11-02T17:00:00Z', local: '2026-11-02T09:00:00-08:00', rule: 'weekend' },
  { name: 'LA window open now', now: '2026-06-17T20:00:00Z', timeZone: 'America/Los_Angeles', country: 'US', at: '2026-06-17T20:00:00Z', local: '2026-06-17T13:00:00-07:00', rule: 'open-now' },
  // Germany
  { name: 'DE Good Friday and Easter Monday', now: '2026-04-02T15:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', at: '2026-04-07T07:00:00Z', local: '2026-04-07T09:00:00+02:00', rule: 'holiday', reason: ['Good Friday', 'Easter Monday'] },
  { name: 'DE Friday evening over the DST start (Sun 29 Mar)', now: '2026-03-27T17:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', at: '2026-03-30T07:00:00Z', local: '2026-03-30T09:00:00+02:00', rule: 'weekend' },
  { name: 'DE on the DST-end Sunday (25 Oct)', now: '2026-10-25T10:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', at: '2026-10-26T08:00:00Z', local: '2026-10-26T09:00:00+01:00', rule: 'weekend' },
  { name: 'DE Unity Day 3 Oct 2026 is a Saturday: just the weekend', now: '2026-10-02T16:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', at: '2026-10-05T07:00:00Z', local: '2026-10-05T09:00:00+02:00', rule: 'weekend', notReason: ['holiday'] },
  { name: 'DE country derived from the zone when null', now: '2026-04-03T08:00:00Z', timeZone: 'Europe/Berlin', country: null, at: '2026-04-07T07:00:00Z', local: '2026-04-07T09:00:00+02:00', rule: 'holiday' },
  { name: 'DE custom hours 08:00–16:00', now: '2026-03-10T15:30:00Z', timeZone: 'Europe/Berlin', country: 'DE', hours: { start: '08:00', end: '16:00' }, at: '2026-03-11T07:00:00Z', local: '2026-03-11T08:00:00+01:00', rule: 'after-hours', reason: ['08:00'] },
  // United Kingdom
  { name: 'UK Good Friday and Easter Monday', now: '2026-04-02T16:30:00Z', timeZone: 'Europe/London', country: 'GB', at: '2026-04-07T08:00:00Z', local: '2026-04-07T09:00:00+01:00', rule: 'holiday', reason: ['Good Friday'] },
  { name: 'UK early May bank holiday (Monday 4 May)', now: '2026-05-01T17:00:00Z', timeZone: 'Europe/London', country: 'GB', at: '2026-05-05T08:00:00Z', local: '2026-05-05T09:00:00+01:00', rule: 'holiday', reason: ['Early May bank holiday'] },
  { name: 'UK Friday evening over the DST end', now: '2026-10-23T17:00:00Z', timeZone: 'Europe/London', country: 'GB', at: '2026-10-26T09:00:00Z', local: '2026-10-26T09:00:00+00:00', rule: 'weekend' },
  { name: 'UK Christmas, weekend and Boxing Day substitute (Mon 28 Dec)', now: '2026-12-24T17:00:00Z', timeZone: 'Europe/London', country: 'GB', at: '2026-12-29T09:00:00Z', local: '2026-12-29T09:00:00+00:00', rule: 'holiday', reason: ['Christmas Day', 'Boxing Day (substitute day)'] },
  // Japan
  { name: 'JP Golden Week (4–6 May)', now: '2026-05-01T09:00:00Z', timeZone: 'Asia/Tokyo', country: 'JP', at: '2026-05-07T00:00:00Z', local: '2026-05-07T09:00:00+09:00', rule: 'holiday', reason: ['Greenery Day', "Children's Day"] },
  { name: 'JP window open now', now: '2026-06-16T02:00:00Z', timeZone: 'Asia/Tokyo', country: 'JP', at: '2026-06-16T02:00:00Z', local: '2026-06-16T11:00:00+09:00', rule: 'open-now' },
  // India (+05:30; CLDR weekend is Sunday only)
  { name: 'IN evening → 09:00 IST next day', now: '2026-03-09T12:00:00Z', timeZone: 'Asia/Kolkata', country: 'IN', at: '2026-03-10T03:30:00Z', local: '2026-03-10T09:00:00+05:30', rule: 'after-hours' },
  { name: 'IN Republic Day (Monday 26 Jan)', now: '2026-01-25T06:30:00Z', timeZone: 'Asia/Kolkata', country: 'IN', at: '2026-01-27T03:30:00Z', local: '2026-01-27T09:00:00+05:30', rule: 'holiday', reason: ['Republic Day', 'weekend'] },
  { name: 'IN Saturday is a working day in CLDR', now: '2026-03-07T04:30:00Z', timeZone: 'Asia/Kolkata', country: 'IN', at: '2026-03-07T04:30:00Z', local: '2026-03-07T10:00:00+05:30', rule: 'open-now' },
  // Saudi Arabia (Friday–Saturday weekend)
  { name: 'SA Thursday evening → Sunday', now: '2026-03-05T15:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-03-08T06:00:00Z', local: '2026-03-08T09:00:00+03:00', rule: 'weekend' },
  { name: 'SA Friday noon → Sunday', now: '2026-03-06T09:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-03-08T06:00:00Z', local: '2026-03-08T09:00:00+03:00', rule: 'weekend', reason: ['weekend'] },
  { name: 'SA Sunday is a working day', now: '2026-03-08T08:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-03-08T08:00:00Z', local: '2026-03-08T11:00:00+03:00', rule: 'open-now' },
  { name: 'SA National Day (Wednesday 23 Sep)', now: '2026-09-22T15:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-09-24T06:00:00Z', local: '2026-09-24T09:00:00+03:00', rule: 'holiday', reason: ['National Day'] },
  { name: 'SA Eid al-Fitr spans Thursday to Sunday', now: '2026-03-19T06:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', at: '2026-03-23T06:00:00Z', local: '2026-03-23T09:00:00+03:00', rule: 'holiday', reason: ['Eid al-Fitr'] },
  // Brazil (no DST since 2019)
  { name: 'BR November 2026: no DST any more', now: '2026-11-06T21:00:00Z', timeZone: 'America/Sao_Paulo', country: 'BR', at: '2026-11-09T12:00:00Z', local: '2026-11-09T09:00:00-03:00', rule: 'weekend' },
  { name: 'BR 2018: All Souls (Fri) and the DST start (Sun 4 Nov)', now: '2018-11-01T21:00:00Z', timeZone: 'America/Sao_Paulo', country: 'BR', at: '2018-11-05T11:00:00Z', local: '2018-11-05T09:00:00-02:00', rule: 'holiday', reason: ["All Souls' Day"] },
  { name: 'BR Tiradentes (Tuesday 21 Apr)', now: '2026-04-20T21:00:00Z', timeZone: 'America/Sao_Paulo', country: 'BR', at: '2026-04-22T12:00:00Z', local: '2026-04-22T09:00:00-03:00', rule: 'holiday', reason: ["Tiradentes' Day"] },
  // Australia: Sydney (southern hemisphere)
  { name: 'AU Friday evening over the DST start (Sun 4 Oct)', now: '2026-10-02T08:00:00Z', timeZone: 'Australia/Sydney', country: 'AU', at: '2026-10-04T22:00:00Z', local: '2026-10-05T09:00:00+11:00', rule: 'weekend' },
  { name: 'AU Easter with the DST end (Sun 5 Apr)', now: '2026-04-02T07:00:00Z', timeZone: 'Australia/Sydney', country: 'AU', at: '2026-04-06T23:00:00Z', local: '2026-04-07T09:00:00+10:00', rule: 'holiday', reason: ['Good Friday', 'Easter Monday'] },
  { name: 'AU window open now (winter)', now: '2026-07-15T00:00:00Z', timeZone: 'Australia/Sydney', country: 'AU', at: '2026-07-15T00:00:00Z', local: '2026-07-15T10:00:00+10:00', rule: 'open-now' },
  // A DST change on a working day: Israel's ends on Sunday 25 Oct 2026 (Sunday works there)
  { name: 'IL on the DST-end Sunday, 09:00 local is still 09:00', now: '2026-10-25T05:30:00Z', timeZone: 'Asia/Jerusalem', country: 'IL', at: '2026-10-25T07:00:00Z', local: '2026-10-25T09:00:00+02:00', rule: 'before-hours' },
  // A public holiday that starts at 13:00 (Iceland's Christmas Eve)
  { name: 'IS Christmas Eve morning is open', now: '2026-12-24T10:00:00Z', timeZone: 'Atlantic/Reykjavik', country: 'IS', at: '2026-12-24T10:00:00Z', local: '2026-12-24T10:00:00+00:00', rule: 'open-now' },
  { name: 'IS Christmas Eve afternoon is closed', now: '2026-12-24T13:30:00Z', timeZone: 'Atlantic/Reykjavik', country: 'IS', at: '2026-12-28T09:00:00Z', local: '2026-12-28T09:00:00+00:00', rule: 'holiday', reason: ['Christmas Eve', 'Christmas Day'] },
  // Unknown zone
  { name: 'unknown zone falls back to UTC', now: '2026-03-10T20:00:00Z', timeZone: 'Mars/Olympus_Mons', country: null, at: '2026-03-11T09:00:00Z', local: '2026-03-11T09:00:00Z', rule: 'after-hours', reason: ['unknown time zone', 'UTC'] },
  // Out-of-office return dates
  { name: 'OOO return date (local midnight) → that day 09:00', now: '2026-11-20T15:00:00Z', timeZone: 'America/New_York', country: 'US', notBefore: '2026-12-01', at: '2026-12-01T14:00:00Z', local: '2026-12-01T09:00:00-05:00', rule: 'out-of-office', reason: ['after out-of-office return 2026-12-01'] },
  { name: 'OOO return on a Saturday → Monday', now: '2026-11-20T15:00:00Z', timeZone: 'America/New_York', country: 'US', notBefore: '2026-12-05', at: '2026-12-07T14:00:00Z', local: '2026-12-07T09:00:00-05:00', rule: 'out-of-office', reason: ['2026-12-05', 'weekend'] },
  { name: 'OOO return instant inside the window', now: '2026-11-20T15:00:00Z', timeZone: 'America/New_York', country: 'US', notBefore: '2026-12-01T15:30:00Z', at: '2026-12-01T15:30:00Z', local: '2026-12-01T10:30:00-05:00', rule: 'out-of-office' },
  { name: 'OOO return already past is ignored', now: '2026-03-10T14:00:00Z', timeZone: 'America/New_York', country: 'US', notBefore: '2026-01-01', at: '2026-03-10T14:00:00Z', local: '2026-03-10T10:00:00-04:00', rule: 'open-now' },
];

describe('nextSendTime', () => {
  it.each(cases)('$name', (c) => {
    const r = nextSendTime({ now: c.now, timeZone: c.timeZone, country: c.country, notBefore: c.notBefore, hours: c.hours });
    expect(r.at.toISOString()).toBe(new Date(c.at).toISOString());
    expect(r.local).toBe(c.local);
    expect(r.rule).toBe(c.rule);
    for (const words of c.reason ?? []) expect(r.reason).toContain(words);
    for (const words of c.notReason ?? []) expect(r.reason).not.toContain(words);
  });

  it('accepts a Date for now and returns now itself inside the window', () => {
    const now = new Date('2026-03-10T14:00:00Z');
    const r = nextSendTime({ now, timeZone: 'America/New_York', country: 'US' });
    expect(r.at.getTime()).toBe(now.getTime());
    expect(r.timeZone).toBe('America/New_York');
  });

  it('normalises zone spelling and old names', () => {
    expect(nextSendTime({ now: '2026-03-10T12:00:00Z', timeZone: 'asia/calcutta', country: 'IN' }).timeZone).toBe('Asia/Kolkata');
  });

  it('rejects a malformed window and a bogus now, naming the field', () => {
    expect(() => nextSendTime({ now: '2026-03-10T12:00:00Z', timeZone: 'UTC', country: null, hours: { start: '17:00', end: '09:00' } })).toThrow(/hours.end/);
    expect(() => nextSendTime({ now: '2026-03-10T12:00:00Z', timeZone: 'UTC', country: null, hours: { start: '9am', end: '17:00' } })).toThrow(/hours.start/);
    expect(() => nextSendTime({ now: 'yesterday', timeZone: 'UTC', country: null })).toThrow(/now/);
  });

  it('holds every promise on random instants: ≥ now, inside the window, and the earliest such minute', () => {
    const zones: Array<[string, string]> = [
      ['America/New_York', 'US'], ['America/Los_Angeles', 'US'], ['Europe/Berlin', 'DE'], ['Europe/London', 'GB'],
      ['Asia/Tokyo', 'JP'], ['Asia/Kolkata', 'IN'], ['Asia/Riyadh', 'SA'], ['America/Sao_Paulo', 'BR'],
      ['Australia/Sydney', 'AU'], ['Asia/Kathmandu', 'NP'],
    ];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 400; i++) {
      const [timeZone, country] = zones[i % zones.length];
      const now = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 2 * 365 * 24 * 60) * 60_000);
      const r = nextSendTime({ now, timeZone, country });
      expect(r.at.getTime()).toBeGreaterThanOrEqual(now.getTime());
      expect(isInsideWindow({ at: r.at, timeZone, country })).toBe(true);
      if (r.at.getTime() > now.getTime()) {
        expect(isInsideWindow({ at: new Date(r.at.getTime() - 60_000), timeZone, country })).toBe(false);
        expect(isInsideWindow({ at: now, timeZone, country })).toBe(false);
      }
      expect(r.at.getTime() - now.getTime()).toBeLessThan(MAX_SEARCH_DAYS * 86_400_000);
    }
  });
});

describe('isInsideWindow', () => {
  it.each([
    { at: '2026-03-10T14:00:00Z', timeZone: 'America/New_York', country: 'US', inside: true },
    { at: '2026-03-10T12:59:59Z', timeZone: 'America/New_York', country: 'US', inside: false },
    { at: '2026-03-10T13:00:00Z', timeZone: 'America/New_York', country: 'US', inside: true },
    { at: '2026-03-10T21:00:00Z', timeZone: 'America/New_York', country: 'US', inside: false },
    { at: '2026-11-26T15:00:00Z', timeZone: 'America/New_York', country: 'US', inside: false }, // Thanksgiving
    { at: '2026-03-06T09:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', inside: false }, // Friday
    { at: '2026-03-08T09:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', inside: true }, // Sunday
    { at: '2026-03-07T09:00:00Z', timeZone: 'Europe/Berlin', country: 'DE', inside: false }, // Saturday
  ])('$at in $timeZone → $inside', ({ at, timeZone, country, inside }) => {
    expect(isInsideWindow({ at, timeZone, country })).toBe(inside);
  });
});
