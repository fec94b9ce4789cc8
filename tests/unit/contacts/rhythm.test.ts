import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyAutomated, isHumanAnswer } from '../../../main/core/mail/autoreply.js';
import { computeRhythms, mayBeAutomatic } from '../../../main/core/contacts/rhythm.js';
import { activePeriod, median, percentile } from '../../../main/core/contacts/rhythm-stats.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { emlText, mailbox, rec } from '../../fixtures/eml/fixtures.js';
import { USER, exchange, mail } from '../support/rhythm-history.js';

const NOW = '2025-05-01T00:00:00Z';

// Anna answers within 2 hours: 1.5, 1, 2, 1.75 and 0.33 business hours.
const anna = [
  ...exchange('Anna Alpha <anna@alpha.de>', '2025-02-03 10:00 +0100', '2025-02-03 11:30 +0100'),
  ...exchange('anna@alpha.de', '2025-02-04 14:00 +0100', '2025-02-04 15:00 +0100'),
  ...exchange('anna@alpha.de', '2025-02-05 09:30 +0100', '2025-02-05 11:30 +0100'),
  ...exchange('anna@alpha.de', '2025-02-06 13:00 +0100', '2025-02-06 14:45 +0100'),
  ...exchange('anna@alpha.de', '2025-02-07 10:00 +0100', '2025-02-07 10:20 +0100'),
];
// ... and her out-of-office note one minute after the first mail is no reply.
const annaAuto = mail({
  from: 'anna@alpha.de',
  to: USER,
  subject: 'Automatic reply: Topic',
  at: '2025-02-03 10:01 +0100',
  irt: anna[0].messageId,
  headers: ['Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All'],
});

// Bob answers after 4 business days: Monday 10:00 → Friday 10:00 (7 + 8 + 8 + 8 + 1 = 32 hours).
const bob = ['2025-02-10', '2025-02-17', '2025-02-24', '2025-03-03'].flatMap((monday) => {
  const friday = `2025-${monday.slice(5, 7)}-${String(Number(monday.slice(8)) + 4).padStart(2, '0')}`;
  return exchange('Bob Beta <bob@beta.de>', `${monday} 10:00 +0100`, `${friday} 10:00 +0100`);
});

// Carla answers only on Tuesdays at 14:00, whenever the mail came.
const carla = [
  ...exchange('carla@gamma.de', '2025-02-12 10:00 +0100', '2025-02-18 14:00 +0100'), // Wed → Tue: 7+8+8+8+5 = 36 h
  ...exchange('carla@gamma.de', '2025-02-21 09:00 +0100', '2025-02-25 14:00 +0100'), // Fri → Tue: 8+8+5 = 21 h
  ...exchange('carla@gamma.de', '2025-03-03 15:00 +0100', '2025-03-04 14:00 +0100'), // Mon → Tue: 2+5 = 7 h
];

// Dave answered twice: too few to learn from.
const dave = [
  ...exchange('dave@delta.de', '2025-02-03 10:00 +0100', '2025-02-10 10:00 +0100'),
  ...exchange('dave@delta.de', '2025-02-17 10:00 +0100', '2025-02-24 10:00 +0100'),
];

// Erik: Thursday before Easter 16:00 → Tuesday after Easter Monday 10:00. Good Friday, the
// weekend and Easter Monday (public holidays in DE) do not count: 1 + 1 = 2 hours.
const erik = exchange('erik@epsilon.de', '2025-04-17 16:00 +0200', '2025-04-22 10:00 +0200');

describe('computeRhythms: reply delays in the contact’s business hours', () => {
  const records: MessageRecord[] = [...anna, annaAuto, ...bob, ...carla, ...dave, ...erik];
  const rhythms = computeRhythms({ mailboxes: [mailbox(records)], now: NOW });

  it('a contact who always answers within 2 hours; the auto-reply is not an answer', () => {
    const r = rhythms.get('anna@alpha.de')!;
    expect(r).toMatchObject({ answered: 5, medianReplyHours: 1.5, p80ReplyHours: 1.75, timeZone: 'Europe/Berlin', country: 'DE', name: 'Anna Alpha' });
    expect(r.timeZoneSource).toBe('date-offsets+cctld');
    // Her own mail: the five replies, not the automatic one.
    expect(r.messages).toBe(5);
    expect(r.lastWroteAt).toBe('2025-02-07T09:20:00.000Z');
  });

  it('a contact who answers after 4 business days', () => {
    expect(rhythms.get('bob@beta.de')).toMatchObject({ answered: 4, medianReplyHours: 32, p80ReplyHours: 32, medianReplyDays: 4, p80ReplyDays: 4 });
  });

  it('a contact who answers only on Tuesdays, in their local hours', () => {
    const r = rhythms.get('carla@gamma.de')!;
    expect(r).toMatchObject({ answered: 3, medianReplyHours: 21, p80ReplyHours: 36 });
    expect(r.weekdayShare).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(r.hourShare[14]).toBe(1);
  });

  it('a contact with two replies has two measured', () => {
    expect(rhythms.get('dave@delta.de')).toMatchObject({ answered: 2, medianReplyHours: 40, p80ReplyHours: 40 });
  });

  it('a delay across a weekend and two public holidays counts 2 business hours', () => {
    expect(rhythms.get('erik@epsilon.de')).toMatchObject({ answered: 1, medianReplyHours: 2, p80ReplyHours: 2 });
  });

  it('every known contact, and nobody else', () => {
    expect([...rhythms.keys()].sort()).toEqual(['anna@alpha.de', 'bob@beta.de', 'carla@gamma.de', 'dave@delta.de', 'erik@epsilon.de']);
    expect(rhythms.get('anna@alpha.de')!.known).toBe(true);
  });
});

describe('computeRhythms: what counts as a reply', () => {
  it('a reply to someone else in the thread did not answer the user', () => {
    const [mine, bobsReply] = exchange('bob@beta.de', '2025-03-03 10:00 +0100', '2025-03-03 12:00 +0100');
    const fay = mail({ from: 'fay@zeta.de', to: 'bob@beta.de', cc: USER, subject: 'Re: x', at: '2025-03-03 13:00 +0100', irt: bobsReply.messageId, refs: [mine.messageId, bobsReply.messageId] });
    const rhythms = computeRhythms({ mailboxes: [mailbox([mine, bobsReply, fay])], now: NOW, only: ['fay@zeta.de', 'bob@beta.de'] });
    expect(rhythms.get('bob@beta.de')!.answered).toBe(1);
    expect(rhythms.get('fay@zeta.de')).toMatchObject({ answered: 0, medianReplyHours: null, messages: 1 });
  });

  it('a reply without threading headers joins by subject after the user’s mail to that person', () => {
    const records = exchange('gus@eta.de', '2025-03-04 09:00 +0100', '2025-03-04 12:00 +0100', { subject: 'Quote for the roof', threaded: false });
    const r = computeRhythms({ mailboxes: [mailbox(records)], now: NOW }).get('gus@eta.de')!;
    expect(r).toMatchObject({ answered: 1, medianReplyHours: 3 });
  });

  it('a reply in Junk still counts as an answer, but not as their own mail', () => {
    const [mine, reply] = exchange('hana@theta.de', '2025-03-04 09:00 +0100', '2025-03-04 10:00 +0100');
    reply.locations = [{ folder: 'Junk', uid: 99, flags: [] }];
    const r = computeRhythms({ mailboxes: [mailbox([mine, reply])], now: NOW }).get('hana@theta.de')!;
    expect(r).toMatchObject({ answered: 1, medianReplyHours: 1, messages: 0 });
  });

  it('mail after `now` is not looked at', () => {
    const r = computeRhythms({ mailboxes: [mailbox(anna)], now: '2025-02-05T00:00:00Z' }).get('anna@alpha.de')!;
    expect(r.answered).toBe(2);
  });

  it('the user’s hours and zone for the contact change how delays are counted', () => {
    const overrides = new Map([['bob@beta.de', { hours: '08:00-18:00', timeZone: 'America/New_York' }]]);
    const r = computeRhythms({ mailboxes: [mailbox(bob)], now: NOW, overrides }).get('bob@beta.de')!;
    expect(r).toMatchObject({ timeZone: 'America/New_York', timeZoneSource: 'user', hours: { start: '08:00', end: '18:00' } });
    // Monday 04:00 New York → Friday 04:00: Mon 08–18 (10) + Tue–Thu (30) = 40 h, 4 days of 10 h.
    expect(r).toMatchObject({ medianReplyHours: 40, medianReplyDays: 4 });
  });

  it('a contact the user only wrote to has a rhythm with nothing measured', () => {
    const r = computeRhythms({ mailboxes: [mailbox(exchange('ivy@iota.jp', '2025-03-04 09:00 +0100', null))], now: NOW }).get('ivy@iota.jp')!;
    expect(r).toMatchObject({ answered: 0, messages: 0, lastWroteAt: null, timeZone: 'Asia/Tokyo', timeZoneSource: 'cctld' });
  });
});

describe('rhythm statistics', () => {
  it('median and nearest-rank 80th percentile', () => {
    expect(median([])).toBeNull();
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 0.8)).toBe(4);
    expect(percentile([7, 21, 36], 0.8)).toBe(36);
    expect(percentile([5], 0.8)).toBe(5);
  });

  it('an active period needs 10 mails, more than half within two hours', () => {
    const morning = [8 * 60 + 5, 8 * 60 + 20, 8 * 60 + 40, 9 * 60, 9 * 60 + 30, 9 * 60 + 50, 13 * 60, 15 * 60, 16 * 60, 20 * 60];
    expect(activePeriod(morning)).toMatchObject({ start: '08:00', end: '10:00', startMinute: 480, share: 0.6, messages: 10 });
    expect(activePeriod(morning.slice(0, 9))).toBeNull(); // 9 mails
    const spread = [60, 180, 300, 420, 540, 660, 780, 900, 1020, 1140];
    expect(activePeriod(spread)).toBeNull();
    // Exactly half is not "most".
    expect(activePeriod([480, 490, 500, 510, 520, 700, 800, 900, 1000, 1100])).toBeNull();
    // Around midnight.
    expect(activePeriod([23 * 60 + 30, 23 * 60 + 45, 10, 20, 30, 40, 600, 700, 800, 900])).toMatchObject({ start: '23:30', end: '01:30' });
  });

  it('their active period in their own local time, from their Date offsets', () => {
    const records: MessageRecord[] = [];
    // 12 mails of Kenji's in Tokyo (+0900), 8 of them between 07:10 and 08:50.
    const times = ['07:10', '07:30', '07:45', '08:00', '08:15', '08:30', '08:40', '08:50', '11:00', '14:00', '16:00', '19:00'];
    times.forEach((t, i) => {
      const [mine, reply] = exchange('kenji@kappa.jp', `2025-03-${String(3 + i).padStart(2, '0')} 02:00 +0100`, `2025-03-${String(4 + i).padStart(2, '0')} ${t} +0900`);
      records.push(mine, reply);
    });
    const r = computeRhythms({ mailboxes: [mailbox(records)], now: NOW }).get('kenji@kappa.jp')!;
    expect(r.timeZone).toBe('Asia/Tokyo');
    expect(r.activePeriod).toMatchObject({ start: '07:00', end: '09:00', messages: 12 });
    expect(r.hourShare[7]).toBeCloseTo(3 / 12, 3);
  });
});

describe('mayBeAutomatic: the cheap screen before classifyAutomated', () => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/eml');
  it('passes every fixture that classifyAutomated calls automatic', () => {
    let automatic = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
      const r = rec(name);
      const human = isHumanAnswer(classifyAutomated(r, emlText(name)));
      if (!human) {
        automatic++;
        expect(mayBeAutomatic(r), name).toBe(true);
      }
    }
    expect(automatic).toBeGreaterThan(5);
  });

  it('a new mail from a person with none of the signs needs no classification', () => {
    expect(mayBeAutomatic(mail({ from: 'anna@alpha.de', to: USER, subject: 'Lunch on Friday', at: '2025-03-03 10:00 +0100' }))).toBe(false);
  });
});
