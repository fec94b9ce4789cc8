import { describe, expect, it } from 'vitest';
import { nextSendTime } from '../../../main/core/calendar/window.js';
import { bestSendTime } from '../../../main/core/contacts/best-send-time.js';
import type { ActivePeriod } from '../../../main/core/api.js';

const MORNING: ActivePeriod = { start: '08:00', end: '10:00', startMinute: 480, share: 0.7, messages: 20 };
const BERLIN = { timeZone: 'Europe/Berlin', country: 'DE' };
const EARLY = { start: '07:00', end: '17:00' };

describe('bestSendTime', () => {
  it.each([
    // [what, now, hours, expected local time, rule]
    ['after their active period: next working day at its start', '2025-03-04T10:00:00Z', EARLY, '2025-03-05T08:00:00+01:00', 'best-hour'],
    ['before it, the same day', '2025-03-04T06:10:00Z', EARLY, '2025-03-04T08:00:00+01:00', 'best-hour'],
    ['inside it and inside the window: now', '2025-03-05T08:30:00Z', EARLY, '2025-03-05T09:30:00+01:00', 'open-now'],
    ['the window 09–17 cuts the period to 09:00–10:00', '2025-03-04T10:00:00Z', null, '2025-03-05T09:00:00+01:00', 'best-hour'],
    ['Friday afternoon: Monday at 08:00', '2025-03-07T14:00:00Z', EARLY, '2025-03-10T08:00:00+01:00', 'best-hour'],
    ['Thursday before Easter: Tuesday (Good Friday, weekend, Easter Monday skipped)', '2025-04-17T10:00:00Z', EARLY, '2025-04-22T08:00:00+02:00', 'best-hour'],
  ])('%s', (_what, now, hours, local, rule) => {
    const t = bestSendTime({ rhythm: { activePeriod: MORNING }, now, ...BERLIN, hours });
    expect(t.local).toBe(local);
    expect(t.rule).toBe(rule);
    expect(t.timeZone).toBe('Europe/Berlin');
  });

  it('says which rules decided', () => {
    const t = bestSendTime({ rhythm: { activePeriod: MORNING }, now: '2025-04-17T10:00:00Z', ...BERLIN, hours: EARLY });
    expect(t.reason).toContain('their usual hours 08:00–10:00 (70% of their 20 mails): 2025-04-22 08:00');
    expect(t.reason).toMatch(/Good Friday/);
    expect(t.reason).toMatch(/Easter Monday/);
    expect(t.window.rule).toBe('open-now');
  });

  it('without an active period it is nextSendTime', () => {
    const input = { now: '2025-03-07T17:30:00Z', ...BERLIN, hours: null };
    const t = bestSendTime({ ...input, rhythm: { activePeriod: null } });
    const w = nextSendTime(input);
    expect({ at: t.at, rule: t.rule, reason: t.reason, local: t.local }).toEqual({ at: w.at, rule: w.rule, reason: w.reason, local: w.local });
    expect(bestSendTime({ ...input, rhythm: null }).at).toEqual(w.at);
  });

  it('an out-of-office return date still holds', () => {
    const t = bestSendTime({ rhythm: { activePeriod: MORNING }, now: '2025-03-04T10:00:00Z', ...BERLIN, hours: EARLY, notBefore: '2025-03-10' });
    expect(t.local).toBe('2025-03-10T08:00:00+01:00');
    expect(t.rule).toBe('best-hour');
    expect(t.window.rule).toBe('out-of-office');
  });

  it('a period that never meets the window: the window’s answer, said so', () => {
    const night: ActivePeriod = { start: '22:00', end: '00:00', startMinute: 1320, share: 0.8, messages: 12 };
    const t = bestSendTime({ rhythm: { activePeriod: night }, now: '2025-03-04T10:00:00Z', ...BERLIN, hours: null });
    expect(t.local).toBe('2025-03-04T11:00:00+01:00');
    expect(t.reason).toMatch(/never meet the business window/);
  });

  it('their weekend: Saudi Arabia, Thursday evening → Sunday at the period', () => {
    const t = bestSendTime({ rhythm: { activePeriod: MORNING }, now: '2025-03-06T16:00:00Z', timeZone: 'Asia/Riyadh', country: 'SA', hours: EARLY });
    expect(t.local).toBe('2025-03-09T08:00:00+03:00');
  });
});
