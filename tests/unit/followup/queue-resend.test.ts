// `resend`, `queue cancel` and confirming a held follow-up, over a real store in a temp dir
// (no server: the quote falls back to the subject, which is one of the cases).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { EnvSecretStore } from '../../../main/core/deps/secrets.js';
import { setContactPrefs } from '../../../main/core/contacts/prefs.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { followUpDeps, followUpsOver } from './follow-up-deps.js';
import { PAT, account, budgetThread, entry, mail, mailbox } from './queue-fixtures.js';

const NOW = '2026-03-10T10:00:00Z'; // Tuesday; 11:00 in Berlin, 10:00 in London

let dir: string;
let store: Store;
let followUps: ReturnType<typeof followUpsOver>;
let warnings: string[];

async function setUp(records: MessageRecord[]): Promise<void> {
  for (const f of mailbox([]).folders) await store.saveFolder(f);
  await (await store.messages('work')).put(records);
}

const q1 = () => budgetThread().find((r) => r.messageId === 'q1@acme.test')!;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-queue-'));
  store = await Store.open(dir);
  await store.saveAccount(account);
  warnings = [];
  followUps = followUpsOver(followUpDeps(store, { warn: (m) => warnings.push(m) }));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resend', () => {
  it('queues a threaded follow-up to the original recipients, in the recipient’s zone', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(e).toMatchObject({
      account: 'work',
      originalMessageId: 'q1@acme.test',
      to: ['bob@client.de'],
      cc: ['carla@client.de'], // the user's own address in Cc is dropped
      recipient: 'bob@client.de',
      from: { name: 'Pat Lee', address: PAT },
      subject: 'Re: Budget 2026',
      inReplyTo: 'q1@acme.test',
      references: ['root@client.de', 'q1@acme.test'],
      conversationKey: 'root@client.de',
      recipientTimeZone: 'Europe/Berlin',
      timeZoneSource: 'date-offsets+cctld',
      country: 'DE',
      scheduledAt: '2026-03-10T11:00:00+01:00',
      scheduledRule: 'open-now',
      status: 'scheduled',
      attempts: 0,
      step: 1,
      planId: null,
    });
    expect(e.messageId).toMatch(/\.triage@acme\.test$/);
    // Signed with the user's display name (Settings has none), before the quote (issue 15).
    expect(e.text).toMatch(/^Hi Bob,\n\n.*"Budget 2026".*\?\n\nBest regards,\nPat Lee\n\nOn Thu, 5 Mar 2026 at 10:00, Pat Lee <pat@acme\.test> wrote:\n> \[Subject: Budget 2026\]\n$/s);
    // The display names of To and Cc are kept for the headers; `to` stays the bare addresses.
    expect(e.toNamed).toEqual([{ name: 'Bob Maier', address: 'bob@client.de' }]);
    expect(e.ccNamed).toEqual([{ name: 'Carla', address: 'carla@client.de' }]);
    expect(e.holdUntil).toBeUndefined(); // the CLI's contract: no hold unless asked
    expect(warnings.join('\n')).toMatch(/could not fetch the text of "Budget 2026".*quoting its subject only/);
    expect(await followUps.list()).toEqual([e]);
  });

  it('takes a Message-ID, with or without angle brackets', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend('<q1@acme.test>', { now: NOW });
    expect(e.originalId).toBe(q1()._id);
  });

  it('schedules outside the window for the next one: evening in Berlin → 09:00 next day', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: '2026-03-10T19:30:00Z' });
    expect(e.scheduledAt).toBe('2026-03-11T09:00:00+01:00');
    expect(e.scheduledReason).toMatch(/next working day 09:00 \(after business hours\)/);
  });

  it('honours the contact’s own zone and hours', async () => {
    await setUp(budgetThread());
    await setContactPrefs(store, 'bob@client.de', { timeZone: 'America/New_York', hours: '08:00-16:00' });
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(e).toMatchObject({ recipientTimeZone: 'America/New_York', timeZoneSource: 'user', scheduledAt: '2026-03-10T08:00:00-04:00', hours: { start: '08:00', end: '16:00' } });
  });

  it('falls back to the account’s zone for a stranger without ccTLD', async () => {
    await setUp([mail({ id: 'q9@acme.test', from: PAT, to: 'dana@example.com', subject: 'Hi', date: 'Thu, 05 Mar 2026 10:00:00 +0000', folder: 'Sent' })]);
    const [e] = await followUps.resend('q9@acme.test', { now: NOW });
    expect(e).toMatchObject({ recipientTimeZone: 'Europe/London', timeZoneSource: 'account', scheduledAt: '2026-03-10T10:00:00+00:00' });
  });

  it('waits for an out-of-office return date', async () => {
    const ooo = mail({ id: 'ooo@client.de', from: 'bob@client.de', to: PAT, subject: 'Automatic reply: Budget 2026', date: 'Thu, 05 Mar 2026 11:01:00 +0100', irt: 'q1@acme.test', headers: ['Auto-Submitted: auto-replied'] });
    ooo.bodyText = 'Content-Type: text/plain\r\n\r\nI am out of the office until 16 March 2026.\r\n';
    await setUp([...budgetThread(), ooo]);
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(e).toMatchObject({ scheduledAt: '2026-03-16T09:00:00+01:00', scheduledRule: 'out-of-office' });
  });

  it('refuses mail that is not the user’s', async () => {
    await setUp(budgetThread());
    await expect(followUps.resend('bob-old-1@client.de', { now: NOW })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/was sent by bob@client\.de, not by you/) });
  });

  it('refuses a conversation that got an answer (in Junk too)', async () => {
    await setUp([...budgetThread(), mail({ id: 'r1@client.de', from: 'bob@client.de', to: PAT, subject: 'Re: Budget 2026', date: 'Mon, 09 Mar 2026 15:00:00 +0100', irt: 'q1@acme.test', folder: 'Junk' })]);
    await expect(followUps.resend(q1()._id, { now: NOW })).rejects.toThrow('"Budget 2026" already got an answer from bob@client.de on 2026-03-09: no follow-up needed.');
  });

  it('refuses an account without SMTP server, and the sample mailbox', async () => {
    await setUp(budgetThread());
    const { smtp: _none, ...noSmtp } = account;
    await store.saveAccount(noSmtp);
    await expect(followUps.resend(q1()._id, { now: NOW })).rejects.toThrow(/Account work has no SMTP server/);
    await store.saveAccount({ ...account, demo: true });
    await expect(followUps.resend(q1()._id, { now: NOW })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses unknown ids, plans of 0 or 6 and a cap of 0', async () => {
    await setUp(budgetThread());
    await expect(followUps.resend('nope', { now: NOW })).rejects.toMatchObject({ code: 'not-found' });
    for (const plan of [0, 6, 1.5]) await expect(followUps.resend(q1()._id, { now: NOW, plan })).rejects.toThrow(/A plan has 1 to 5 follow-ups/);
    await expect(followUps.resend(q1()._id, { now: NOW, cap: 0 })).rejects.toThrow(/limit per conversation is a whole number from 1 to 10/);
    await expect(followUps.resend(q1()._id, { now: NOW, text: '  ' })).rejects.toThrow(/must not be empty/);
  });

  it('refuses a second one while one waits, unless forced', async () => {
    await setUp(budgetThread());
    const [first] = await followUps.resend(q1()._id, { now: NOW });
    await expect(followUps.resend(q1()._id, { now: NOW })).rejects.toMatchObject({ code: 'needs-force', message: expect.stringContaining(`already queued (${first.id}`) });
    const [second] = await followUps.resend(q1()._id, { now: NOW, force: true });
    expect(second.step).toBe(2);
    expect(second.text).toContain('Just following up once more');
  });

  it('stops at the cap of 2 per conversation (sent + scheduled), unless forced', async () => {
    await setUp(budgetThread());
    for (const id of ['s1', 's2']) await followUps.queue.add(entry({ id, status: 'sent', sentAt: '2026-03-09T10:00:00Z', conversationKey: 'root@client.de' }));
    await expect(followUps.resend(q1()._id, { now: NOW })).rejects.toMatchObject({ message: '"Budget 2026" was already followed up 2 times (the limit is 2).', cli: 'Use --force to queue another.' });
    const [third] = await followUps.resend(q1()._id, { now: NOW, force: true });
    expect(third.step).toBe(3);
    // Cancelled ones do not count.
    const fresh = await followUps.cancel(third.id);
    expect(fresh.status).toBe('cancelled');
  });
});

describe('queue cancel', () => {
  it('cancels scheduled, failed and held ones; never a sent one', async () => {
    await setUp(budgetThread());
    for (const status of ['scheduled', 'failed', 'held'] as const) {
      await followUps.queue.add(entry({ id: `c-${status}`, status }));
      expect(await followUps.cancel(`c-${status}`)).toMatchObject({ status: 'cancelled', statusReason: 'cancelled by you' });
    }
    await followUps.queue.add(entry({ id: 'c-sent', status: 'sent', sentAt: '2026-03-09T10:00:00Z' }));
    await expect(followUps.cancel('c-sent')).rejects.toThrow(/already sent on 2026-03-09T10:00:00Z/);
    await followUps.queue.add(entry({ id: 'c-sending', status: 'sending' }));
    await expect(followUps.cancel('c-sending')).rejects.toThrow(/is already being sent \(it may be on its way right now\)/);
    await expect(followUps.cancel('nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('confirming a held follow-up', () => {
  it('moves it to the next valid window from now; it is not held again for the old lateness', async () => {
    await setUp(budgetThread());
    await followUps.queue.add(entry({ id: 'h1', status: 'held', scheduledAt: '2026-03-02T10:00:00+01:00', statusReason: 'late' }));
    // Saturday: the next window is Monday 09:00 Berlin; nothing is due, so nothing is sent.
    const results = await followUps.sendDue({ now: '2026-03-14T12:00:00Z', confirm: ['h1'] });
    expect(results).toEqual([expect.objectContaining({ id: 'h1', action: 'confirmed', status: 'scheduled', scheduledAt: '2026-03-16T09:00:00+01:00' })]);
    expect((await followUps.queue.get('h1'))?.statusReason).toBeUndefined();
    await expect(followUps.sendDue({ now: '2026-03-14T12:00:00Z', confirm: ['h1'] })).rejects.toThrow(/is scheduled, not held/);
  });
});
