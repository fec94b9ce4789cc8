// The pictures' data (contacts/picture.ts): the week heat maps on the contact's clock, the reply
// delays binned with their median and 80th percentile, the business window and holidays of the
// week shown, the planned follow-up placed on it, and the same in words.
import { describe, expect, it } from 'vitest';
import { computeRhythms, delayHistogram, rhythmPicture, type RhythmSamples } from '../../../main/core/contacts/index.js';
import { mailbox } from '../../fixtures/eml/fixtures.js';
import { exchange } from '../support/rhythm-history.js';

const NOW = new Date('2025-05-01T00:00:00Z');

// Carla answers only on Tuesdays at 14:00 Berlin time: after 36, 21 and 7 business hours.
const carla = [
  ...exchange('Carla Gamma <carla@gamma.de>', '2025-02-12 10:00 +0100', '2025-02-18 14:00 +0100'),
  ...exchange('carla@gamma.de', '2025-02-21 09:00 +0100', '2025-02-25 14:00 +0100'),
  ...exchange('carla@gamma.de', '2025-03-03 15:00 +0100', '2025-03-04 14:00 +0100'),
];
// Erik answered once, across Easter 2025 (Good Friday and Easter Monday are holidays in DE).
const erik = exchange('erik@epsilon.de', '2025-04-17 16:00 +0200', '2025-04-22 10:00 +0200');

function pictureOf(address: string, planned: Parameters<typeof rhythmPicture>[0]['planned'] = null) {
  const samples = new Map<string, RhythmSamples>();
  const rhythm = computeRhythms({ mailboxes: [mailbox([...carla, ...erik])], now: NOW, samples, only: [address] }).get(address)!;
  return rhythmPicture({ rhythm, samples: samples.get(address), planned, now: NOW, userTimeZone: 'Europe/London' });
}

describe('delayHistogram', () => {
  it('bins business hours up to a day, then business days; median and p80 are carried', () => {
    const h = delayHistogram([0.5, 7, 21, 36, 200], 8, 21, 36);
    expect(h.bins.map((b) => b.label)).toEqual(['< 1 h', '1 h–2 h', '2 h–4 h', '4 h–1 d', '1 d–2 d', '2 d–3 d', '3 d–5 d', '5 d–10 d', '> 10 d']);
    expect(h.bins.map((b) => b.count)).toEqual([1, 0, 0, 1, 0, 1, 1, 0, 1]);
    expect(h).toMatchObject({ replies: 5, medianHours: 21, p80Hours: 36, hoursPerDay: 8 });
  });

  it('a short business day (3 h) keeps the edges increasing', () => {
    const h = delayHistogram([2.5], 3, 2.5, 2.5);
    const edges = h.bins.map((b) => b.fromHours);
    expect(edges).toEqual([...edges].sort((a, b) => a - b));
    expect(new Set(edges).size).toBe(edges.length);
    expect(h.bins.find((b) => b.count === 1)!.label).toBe('2 h–1 d');
  });
});

describe('rhythmPicture', () => {
  it('Carla: her mails and replies on Tuesdays at 14:00 her time; delays 7, 21, 36 h', () => {
    const p = pictureOf('carla@gamma.de');
    expect(p.timeZone).toBe('Europe/Berlin');
    expect(p.wrote[1][14]).toBe(3); // Tuesday (index 1, Monday first), 14:00–15:00
    expect(p.answered[1][14]).toBe(3);
    expect(p.wrote.flat().reduce((a, b) => a + b, 0)).toBe(3);
    expect(p.delays.bins.filter((b) => b.count).map((b) => [b.label, b.count])).toEqual([
      ['4 h–1 d', 1],
      ['2 d–3 d', 1],
      ['3 d–5 d', 1],
    ]);
    expect(p.delays).toMatchObject({ medianHours: 21, p80Hours: 36, replies: 3 });
    // Nothing planned: the week of `now` (Thursday 1 May 2025, a holiday in DE).
    expect(p.planned).toBeNull();
    expect(p.days[3]).toMatchObject({ date: '2025-05-01', holidays: [expect.any(String)], open: [] });
    expect(p.summary[1]).toBe('They answered 3 mails of yours, most often on Tuesdays at 14:00; half of the replies came within 2.6 d of their business time and 80% within 4.5 d.');
  });

  it('the week of a queued follow-up, with its holidays, window and weekend drawn on it', () => {
    const p = pictureOf('erik@epsilon.de', { at: '2025-04-22T09:00:00+02:00', source: 'queued', followUpId: 'f1', reason: 'after public holiday' });
    expect(p.days.map((d) => d.date)).toEqual(['2025-04-21', '2025-04-22', '2025-04-23', '2025-04-24', '2025-04-25', '2025-04-26', '2025-04-27']);
    expect(p.days[0].holidays.length).toBe(1); // Easter Monday
    expect(p.days[0].open).toEqual([]);
    expect(p.days[1].open).toEqual([{ start: 540, end: 1020 }]);
    expect(p.days.map((d) => d.weekend)).toEqual([false, false, false, false, false, true, true]);
    expect(p.planned).toEqual({ at: '2025-04-22T09:00:00+02:00', source: 'queued', followUpId: 'f1', reason: 'after public holiday', dayIndex: 1, minute: 540 });
    expect(p.summary[2]).toMatch(/^Their business hours are 09:00–17:00 on Mon, Tue, Wed, Thu, Fri; the week of Mon 21 Apr has a public holiday: Mon 21 Apr \(.+\)\.$/);
    expect(p.summary[3]).toBe('The follow-up goes Tue 22 Apr 09:00 their time, Tue 22 Apr 08:00 your time (Europe/London).');
  });

  it('a contact who never wrote: an empty week, and says so', () => {
    const samples = new Map<string, RhythmSamples>();
    const rhythm = computeRhythms({ mailboxes: [mailbox([])], now: NOW, samples, only: ['nobody@example.fr'] }).get('nobody@example.fr')!;
    const p = rhythmPicture({ rhythm, samples: samples.get('nobody@example.fr'), planned: null, now: NOW, userTimeZone: 'UTC' });
    expect(p.wrote.flat().every((x) => x === 0)).toBe(true);
    expect(p.delays.replies).toBe(0);
    expect(p.summary[0]).toMatch(/^No mail written by them yet/);
    expect(p.summary[1]).toMatch(/not answered any of your mails yet/);
  });
});
