import { describe, expect, it } from 'vitest';
import { annotateUnanswered, dueFor } from '../../../main/core/triage/due.js';
import { findUnanswered } from '../../../main/core/triage/unanswered.js';
import type { ContactPrefs } from '../../../main/core/contacts/prefs.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { mailbox } from '../../fixtures/eml/fixtures.js';
import { USER, exchange, mail } from '../support/rhythm-history.js';

const BERLIN = { timeZone: 'Europe/Berlin', country: 'DE', hours: null };

describe('dueFor', () => {
  it('one business day of the recipient: Friday 16:00 → Monday 16:00', () => {
    const d = dueFor({ ...BERLIN, sentAt: '2025-03-07T15:00:00Z', hoursPerDay: 8 });
    expect(d.dueAt).toBe('2025-03-10T15:00:00.000Z');
    expect(d.dueReason).toBe('default wait of 1 business day: due 2025-03-10 16:00 their time (Europe/Berlin)');
  });

  it('never counts their weekend: Thursday in Riyadh → Sunday', () => {
    const d = dueFor({ timeZone: 'Asia/Riyadh', country: 'SA', sentAt: '2025-03-06T08:00:00Z', hoursPerDay: 8 });
    expect(d.dueAt).toBe('2025-03-09T08:00:00.000Z'); // Thu 11:00 → Sun 11:00 (Fri–Sat weekend)
  });

  it('an out-of-office return date moves it to the first window after', () => {
    const d = dueFor({ ...BERLIN, sentAt: '2025-03-03T09:00:00Z', hoursPerDay: 8, outOfOfficeUntil: '2025-03-17' });
    expect(d.dueAt).toBe('2025-03-17T08:00:00.000Z');
    expect(d.dueReason).toContain('away until 2025-03-17');
  });
});

describe('annotateUnanswered: due dates, due first, hints', () => {
  // Histories: Anna answers within 2 hours (5 replies), Bob after 4 business days (4 replies),
  // Dave twice only, Erik once (the user set 3 days for him).
  const history: MessageRecord[] = [
    ...['03', '04', '05', '06', '07'].flatMap((d) => exchange('anna@alpha.de', `2025-02-${d} 10:00 +0100`, `2025-02-${d} 11:00 +0100`)),
    ...['10', '17', '24'].flatMap((d) => exchange('bob@beta.de', `2025-02-${d} 10:00 +0100`, `2025-02-${String(Number(d) + 4)} 10:00 +0100`)),
    ...exchange('bob@beta.de', '2025-03-03 10:00 +0100', '2025-03-07 10:00 +0100'),
    ...exchange('dave@delta.de', '2025-02-03 10:00 +0100', '2025-02-10 10:00 +0100'),
    ...exchange('dave@delta.de', '2025-02-17 10:00 +0100', '2025-02-24 10:00 +0100'),
    ...exchange('erik@epsilon.de', '2025-04-17 16:00 +0200', '2025-04-22 10:00 +0200'),
  ];
  // Monday 28 April 2025, 10:00 Berlin: four mails nobody answered.
  const waiting = ['anna@alpha.de', 'bob@beta.de', 'dave@delta.de', 'erik@epsilon.de'].map((to) =>
    mail({ from: `Pat <${USER}>`, to, subject: `Open question for ${to}`, at: '2025-04-28 10:00 +0200' }),
  );
  const mb = mailbox([...history, ...waiting]);
  const now = new Date('2025-04-30T12:00:00Z');
  const prefs = new Map<string, ContactPrefs>([['erik@epsilon.de', { address: 'erik@epsilon.de', waitDays: 3 }]]);
  const entries = annotateUnanswered({ entries: findUnanswered({ mailboxes: [mb], now }), mailboxes: [mb], now, prefs });
  const by = Object.fromEntries(entries.map((e) => [e.to[0], e]));

  it('a quick contact: their rhythm, raised to the 1-day minimum', () => {
    expect(by['anna@alpha.de']).toMatchObject({ dueAt: '2025-04-29T08:00:00.000Z', due: true, waitBasis: 'rhythm', recipientTimeZone: 'Europe/Berlin' });
  });

  it('a slow contact: 4 business days, Labour Day (1 May) not counted', () => {
    expect(by['bob@beta.de']).toMatchObject({ dueAt: '2025-05-05T08:00:00.000Z', due: false, waitDays: 4, waitBasis: 'rhythm' });
    expect(by['bob@beta.de'].dueReason).toBe('their rhythm: 80% of their 4 replies came within 4 business days: due 2025-05-05 10:00 their time (Europe/Berlin)');
  });

  it('two replies are too few: the default applies', () => {
    expect(by['dave@delta.de']).toMatchObject({ dueAt: '2025-04-29T08:00:00.000Z', due: true, waitBasis: 'default' });
  });

  it('the user’s wait for a contact wins', () => {
    expect(by['erik@epsilon.de']).toMatchObject({ dueAt: '2025-05-02T08:00:00.000Z', due: false, waitDays: 3, waitBasis: 'user' });
    expect(by['erik@epsilon.de'].dueReason).toMatch(/^you set 3 business days for this contact/);
  });

  it('due entries first, then the others; each group newest first', () => {
    const byId = (a: string, b: string) => (by[a].id < by[b].id ? -1 : 1);
    // All four went out at the same minute: the id breaks the tie.
    expect(entries.map((e) => e.to[0])).toEqual([...['anna@alpha.de', 'dave@delta.de'].sort(byId), ...['bob@beta.de', 'erik@epsilon.de'].sort(byId)]);
  });

  it('every entry carries hints (none here: sent Monday 10:00 in the window, one person, no attachment)', () => {
    for (const e of entries) expect(e.hints).toEqual([]);
  });

  it('a bounced mail is never due: the address needs fixing first', () => {
    const entry = findUnanswered({ mailboxes: [mb], now }).find((x) => x.to[0] === 'dave@delta.de')!;
    const [e] = annotateUnanswered({ entries: [{ ...entry, status: 'bounced' }], mailboxes: [mb], now });
    expect(e).toMatchObject({ due: false, dueAt: '2025-04-29T08:00:00.000Z' });
    expect(e.dueReason).toMatch(/^bounced: check the address before following up/);
  });

  it('a contact’s hours from the user move the due time', () => {
    const p = new Map<string, ContactPrefs>([['dave@delta.de', { address: 'dave@delta.de', hours: '11:00-15:00' }]]);
    const [e] = annotateUnanswered({ entries: findUnanswered({ mailboxes: [mb], now }).filter((x) => x.to[0] === 'dave@delta.de'), mailboxes: [mb], now, prefs: p });
    // Sent Monday 10:00, before their window: one business day is Monday 11:00–15:00.
    expect(e).toMatchObject({ dueAt: '2025-04-28T13:00:00.000Z', recipientHours: '11:00-15:00', due: true });
    expect(e.hints).toEqual(['sent at 10:00 their time (Europe/Berlin), outside their business hours 11:00–15:00: it arrived while they were away']);
  });
});
