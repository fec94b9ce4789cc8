// Issue 15, "nothing is sent unseen": the undo window (a hold on `scheduledAt`), the preview that
// stores nothing, putting a cancelled follow-up back, the follow-up shown on its Unanswered row,
// and the check before "send now". Over a real store in a temp dir (no server: the quote falls
// back to the subject).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { fixedClock } from '../../../main/core/deps/index.js';
import { writeSettings } from '../../../main/core/settings/index.js';
import type { UnansweredEntry } from '../../../main/core/api.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { markUnanswered, previewFollowUp, restoreFollowUp, sendNowCheck, type FollowUpDeps } from '../../../main/core/followup/index.js';
import { followUpDeps, followUpsOver } from './follow-up-deps.js';
import { PAT, account, budgetThread, entry, mailbox } from './queue-fixtures.js';

const NOW = '2026-03-10T10:00:00Z'; // Tuesday; 11:00 in Berlin, inside Bob's window

let dir: string;
let store: Store;
let deps: FollowUpDeps;
let followUps: ReturnType<typeof followUpsOver>;

async function setUp(records: MessageRecord[], now = NOW): Promise<void> {
  deps = followUpDeps(store, { now: fixedClock(new Date(now)) });
  followUps = followUpsOver(deps);
  for (const f of mailbox([]).folders) await store.saveFolder(f);
  await (await store.messages('work')).put(records);
}
const q1 = () => budgetThread().find((r) => r.messageId === 'q1@acme.test')!;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-hold-'));
  store = await Store.open(dir);
  await store.saveAccount(account);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the undo window (hold)', () => {
  it('without a hold the CLI contract holds: the earliest valid instant ≥ now', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(e.scheduledAt).toBe('2026-03-10T11:00:00+01:00');
    expect(e.holdUntil).toBeUndefined();
  });

  it('hold N: not before N minutes from now, still inside their window, and says why', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW, hold: 10 });
    expect(e.scheduledAt).toBe('2026-03-10T11:10:00+01:00');
    expect(e.holdUntil).toBe('2026-03-10T10:10:00.000Z');
    expect(e.scheduledReason).toMatch(/^held until Tue 10 Mar 11:10 their time so you can undo it; /);
  });

  it('hold true: the undo window set in Settings (default 10 minutes)', async () => {
    await setUp(budgetThread());
    const [first] = await followUps.resend(q1()._id, { now: NOW, hold: true });
    expect(first.holdUntil).toBe('2026-03-10T10:10:00.000Z');
    await followUps.cancel(first.id);
    await writeSettings(store, { undoMinutes: 25 });
    const [second] = await followUps.resend(q1()._id, { now: NOW, hold: true });
    expect(second.scheduledAt).toBe('2026-03-10T11:25:00+01:00');
  });

  it('a hold that ends after their window closes moves it to the next working morning', async () => {
    const late = '2026-03-10T15:55:00Z'; // 16:55 in Berlin, five minutes before the window closes
    await setUp(budgetThread(), late);
    const [e] = await followUps.resend(q1()._id, { now: late, hold: 10 });
    expect(e.scheduledAt).toBe('2026-03-11T09:00:00+01:00');
    expect(e.holdUntil).toBe('2026-03-10T16:05:00.000Z');
  });

  it('an edit made with a hold starts the window again; one made without keeps the time', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    const edited = await followUps.updateFollowUp(e.id, { text: 'Hi Bob,\n\nany news?\n' }, { now: NOW });
    expect(edited.scheduledAt).toBe(e.scheduledAt);
    const held = await followUps.updateFollowUp(e.id, { text: 'Hi Bob,\n\nany news at all?\n', hold: 10 }, { now: '2026-03-10T10:05:00Z' });
    expect(held).toMatchObject({ scheduledAt: '2026-03-10T11:15:00+01:00', holdUntil: '2026-03-10T10:15:00.000Z', text: 'Hi Bob,\n\nany news at all?\n' });
  });

  it('refuses a hold outside 0–120 minutes', async () => {
    await setUp(budgetThread());
    await expect(followUps.resend(q1()._id, { now: NOW, hold: 121 })).rejects.toMatchObject({ code: 'bad-input', message: /0 to 120 whole minutes/ });
  });
});

describe('previewFollowUp', () => {
  it('shows what resend would queue (names, subject, exact text, time) and stores nothing', async () => {
    await setUp(budgetThread());
    const preview = await previewFollowUp(deps, q1()._id, { now: NOW, hold: 10 });
    expect(preview).toMatchObject({
      account: 'work',
      from: { name: 'Pat Lee', address: PAT },
      to: [{ name: 'Bob Maier', address: 'bob@client.de' }],
      cc: [{ name: 'Carla', address: 'carla@client.de' }],
      subject: 'Re: Budget 2026',
      scheduledAt: '2026-03-10T11:10:00+01:00',
      recipientTimeZone: 'Europe/Berlin',
      holdUntil: '2026-03-10T10:10:00.000Z',
      earlier: [],
    });
    expect(await followUps.list()).toEqual([]);
    const [queued] = await followUps.resend(q1()._id, { now: NOW, hold: 10 });
    expect(queued.text).toBe(preview.text);
    expect(preview.text).toMatch(/\n\nBest regards,\nPat Lee\n\n/);
  });

  it('a second preview while one waits asks first (needs-force, no CLI words); forced, it lists the earlier one', async () => {
    await setUp(budgetThread());
    const [first] = await followUps.resend(q1()._id, { now: NOW });
    const refused = await previewFollowUp(deps, q1()._id, { now: NOW }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'needs-force' });
    expect(refused.message).toMatch(/already queued .*: it goes Tue 10 Mar 11:00 their time\.$/);
    expect(refused.message).not.toMatch(/triage |--/);
    const forced = await previewFollowUp(deps, q1()._id, { now: NOW, force: true });
    expect(forced.earlier).toEqual([expect.objectContaining({ id: first.id, state: 'scheduled' })]);
    expect(forced.text).toContain('Just following up once more'); // the second nudge's words
  });

  it('signs with the name set in Settings', async () => {
    await setUp(budgetThread());
    await writeSettings(store, { signOffName: 'Patricia Lee\nCEO' });
    const preview = await previewFollowUp(deps, q1()._id, { now: NOW });
    expect(preview.text).toMatch(/\?\n\nBest regards,\nPatricia Lee CEO\n\nOn /);
  });
});

describe('restoreFollowUp (Undo of Cancel)', () => {
  it('puts a follow-up the user cancelled back at its own time when that is still ahead', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW, hold: 30 });
    await followUps.cancel(e.id);
    const back = await restoreFollowUp(deps, e.id, { hold: 10, now: NOW });
    expect(back).toMatchObject({ status: 'scheduled', scheduledAt: e.scheduledAt, holdUntil: '2026-03-10T10:10:00.000Z' });
    expect(back.statusReason).toBeUndefined();
  });

  it('a time that passed meanwhile becomes their next window after the hold', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    await followUps.cancel(e.id);
    const back = await restoreFollowUp(deps, e.id, { hold: 10, now: '2026-03-10T12:00:00Z' });
    expect(back.scheduledAt).toBe('2026-03-10T13:10:00+01:00');
    expect(back.scheduledReason).toMatch(/^put back by you; held until/);
  });

  it('one cancelled by a reply stays cancelled; so does one whose conversation got another follow-up', async () => {
    await setUp(budgetThread());
    await deps.queue.add(entry({ id: 'by-reply', status: 'cancelled', statusReason: 'reply from bob@client.de on 2026-03-09' }));
    await expect(restoreFollowUp(deps, 'by-reply', { now: NOW })).rejects.toThrow(/because of reply from bob@client.de .*: it stays cancelled/);
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    await followUps.cancel(e.id);
    await followUps.resend(q1()._id, { now: NOW });
    await expect(restoreFollowUp(deps, e.id, { now: NOW })).rejects.toMatchObject({ code: 'needs-force', message: /was queued meanwhile/ });
    await expect(restoreFollowUp(deps, 'nope', { now: NOW })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('markUnanswered: the follow-up on its Unanswered row', () => {
  const row = (over: Partial<UnansweredEntry> = {}): UnansweredEntry => ({
    id: 'r-q1',
    account: 'work',
    messageId: 'q1@acme.test',
    subject: 'Budget 2026',
    to: ['bob@client.de'],
    sentAt: '2026-03-05T10:00:00Z',
    status: 'awaiting',
    ageHours: 100,
    awaitingFrom: ['bob@client.de'],
    outOfOfficeUntil: null,
    threadSize: 2,
    lastActivityAt: '2026-03-05T10:00:00Z',
    conversationKey: 'root@client.de',
    ...over,
  });

  it('the one still to go wins over a sent one; cancelled ones do not count', () => {
    const sent = entry({ id: 'sent1', status: 'sent', sentAt: '2026-03-06T09:00:00Z' });
    const waiting = entry({ id: 'wait1', status: 'scheduled', scheduledAt: '2026-03-11T09:00:00+01:00', holdUntil: '2026-03-10T10:10:00.000Z' });
    const cancelled = entry({ id: 'gone1', status: 'cancelled' });
    const [r] = markUnanswered([row()], [sent, waiting, cancelled]);
    expect(r.followUp).toEqual({ id: 'wait1', state: 'scheduled', scheduledAt: '2026-03-11T09:00:00+01:00', sentAt: null, recipientTimeZone: 'Europe/Berlin', holdUntil: '2026-03-10T10:10:00.000Z' });
    expect(r.followUps).toBe(2);
    const [only] = markUnanswered([row()], [sent, cancelled]);
    expect(only.followUp).toMatchObject({ id: 'sent1', state: 'sent', sentAt: '2026-03-06T09:00:00Z' });
  });

  it('matches the sent follow-up that became the latest mail of the row, and nothing of another account', () => {
    const sent = entry({ id: 'sent1', status: 'sent', sentAt: '2026-03-06T09:00:00Z', conversationKey: 'other-root', messageId: 'fu1.triage@acme.test' });
    expect(markUnanswered([row({ messageId: 'fu1.triage@acme.test', conversationKey: undefined })], [sent])[0].followUp?.id).toBe('sent1');
    expect(markUnanswered([row({ account: 'home' })], [entry({ status: 'scheduled' })])[0]).toMatchObject({ followUp: null, followUps: 0 });
  });
});

describe('sendNowCheck', () => {
  it('02:10 in Sydney is before their business hours, and says when the window opens', async () => {
    await setUp([]);
    await deps.queue.add(entry({ id: 'syd', recipientTimeZone: 'Australia/Sydney', country: 'AU' }));
    const check = await sendNowCheck({ ...deps, now: fixedClock(new Date('2026-03-10T15:10:00Z')) }, 'syd');
    expect(check).toEqual({
      id: 'syd',
      insideWindow: false,
      theirTime: '2026-03-11T02:10:00+11:00',
      timeZone: 'Australia/Sydney',
      hours: '09:00–17:00',
      closedBecause: 'before their business hours',
      nextWindowAt: '2026-03-11T09:00:00+11:00',
    });
    const open = await sendNowCheck({ ...deps, now: fixedClock(new Date('2026-03-10T23:00:00Z')) }, 'syd');
    expect(open).toMatchObject({ insideWindow: true, closedBecause: null });
  });
});

