// Issue 8 in the queue: the best hour when a follow-up is queued, plans of N follow-ups (spacing,
// templates, the cap, a reply or an out-of-office after step 1, cancelling one step or all), and
// the app's edit and send-now. Over a real store in a temp dir, no server: where send-due would
// sync, the sync is stubbed; the one SMTP attempt goes to a closed port and fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { EnvSecretStore } from '../../../main/core/deps/secrets.js';
import { TriageService } from '../../../main/core/service.js';
import { cliMessage } from '../../../main/core/errors.js';
import { setContactPrefs } from '../../../main/core/contacts/prefs.js';
import type { FollowUpDeps } from '../../../main/core/followup/index.js';
import { planGaps, planTemplateStep } from '../../../main/core/followup/plan.js';
import type { QueueEntry } from '../../../main/core/api.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { PAT, account, budgetThread, entry, mail, mailbox } from './queue-fixtures.js';
import { followUpDeps, followUpsOver } from './follow-up-deps.js';

const NOW = '2026-03-10T10:00:00Z'; // Tuesday; 11:00 in Berlin (Bob), 10:00 in London (Pat)
const BOB = 'bob@client.de';

let dir: string;
let store: Store;
let service: TriageService;
let deps: FollowUpDeps;
let followUps: ReturnType<typeof followUpsOver>;

async function setUp(records: MessageRecord[]): Promise<void> {
  for (const f of mailbox([]).folders) await store.saveFolder(f);
  await (await store.messages('work')).put(records);
}

/** What a sync leaves behind: new records, and every folder's lastSyncAt. */
async function synced(at: string, records: MessageRecord[] = []): Promise<void> {
  await (await store.messages('work')).put(records);
  for (const f of await store.foldersOf('work')) await store.saveFolder({ ...f, lastSyncAt: at });
}

/** Step `e` went out at `at`: marked sent, and its copy in Sent (as the next sync would bring it). */
async function sendStep(e: QueueEntry, at: string, rfcDate: string): Promise<void> {
  await followUps.queue.update(e.id, { status: 'sent', sentAt: at }, new Date(at));
  await (await store.messages('work')).put([
    mail({ id: e.messageId, from: `Pat Lee <${PAT}>`, to: `Bob Maier <${BOB}>`, subject: e.subject, date: rfcDate, irt: 'q1@acme.test', refs: ['root@client.de', 'q1@acme.test'], folder: 'Sent' }),
  ]);
}

const q1 = () => budgetThread().find((r) => r.messageId === 'q1@acme.test')!;
/** The sync before sending found nothing new. */
const stubSync = () => (deps.sync = vi.fn().mockResolvedValue({ account: 'work', folders: [], ms: 0 }));
const stored = async (id: string) => (await followUps.queue.get(id))!;

/** Bob writes between 10:05 and 11:55 his time (+0100), 12 times: a clear active period 10:00–12:00. */
function bobMornings(): MessageRecord[] {
  const times = ['10:05', '10:20', '10:30', '10:45', '11:00', '11:10', '11:30', '11:40', '10:15', '10:50', '11:20', '11:55'];
  return times.map((t, i) =>
    mail({ id: `bob-m${i}@client.de`, from: `Bob Maier <${BOB}>`, to: PAT, subject: `Note ${i}`, date: `Mon, ${String(2 + i).padStart(2, '0')} Feb 2026 ${t}:00 +0100` }),
  );
}

/** Three of Pat's mails that Bob answered two business days later each (16 business hours). */
function slowBob(): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (const [sent, answered] of [
    ['Mon, 12 Jan 2026 10:00:00 +0100', 'Wed, 14 Jan 2026 10:00:00 +0100'],
    ['Mon, 19 Jan 2026 10:00:00 +0100', 'Wed, 21 Jan 2026 10:00:00 +0100'],
    ['Mon, 26 Jan 2026 10:00:00 +0100', 'Wed, 28 Jan 2026 10:00:00 +0100'],
  ]) {
    const n = out.length;
    out.push(mail({ id: `p${n}@acme.test`, from: `Pat Lee <${PAT}>`, to: `Bob Maier <${BOB}>`, subject: `Topic ${n}`, date: sent, folder: 'Sent' }));
    out.push(mail({ id: `b${n}@client.de`, from: `Bob Maier <${BOB}>`, to: PAT, subject: `Re: Topic ${n}`, date: answered, irt: `p${n}@acme.test`, refs: [`p${n}@acme.test`] }));
  }
  return out;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-plan-'));
  store = await Store.open(dir);
  await store.saveAccount(account);
  service = new TriageService({ store, secrets: new EnvSecretStore({}), now: () => new Date(NOW) });
  deps = followUpDeps(store, { now: () => new Date(NOW) });
  followUps = followUpsOver(deps);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('best hour when a follow-up is queued', () => {
  it('goes at the start of the contact’s active period on the next working day, and says so', async () => {
    await setUp([...budgetThread(), ...bobMornings()]);
    // 14:00 in Berlin: today's 10:00–12:00 has passed → Wednesday 10:00, not 14:00 today.
    const [e] = await followUps.resend(q1()._id, { now: '2026-03-10T13:00:00Z' });
    expect(e).toMatchObject({ scheduledAt: '2026-03-11T10:00:00+01:00', scheduledRule: 'best-hour', recipientTimeZone: 'Europe/Berlin', country: 'DE' });
    expect(e.scheduledReason).toMatch(/^best hour: their usual hours 10:00–12:00 \(\d+% of their 14 mails\): 2026-03-11 10:00/);
    // The queue and `triage contact` agree on the zone.
    const contact = await service.contact(BOB);
    expect([contact.timeZone, contact.timeZoneSource, contact.country]).toEqual([e.recipientTimeZone, e.timeZoneSource, e.country]);
  });

  it('inside the active period now: at once, with the window’s rule', async () => {
    await setUp([...budgetThread(), ...bobMornings()]);
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(e).toMatchObject({ scheduledAt: '2026-03-10T11:00:00+01:00', scheduledRule: 'open-now' });
    expect(e.scheduledReason).toMatch(/inside the window now; inside their usual hours 10:00–12:00/);
  });

  it('the contact’s own settings still win: their zone and hours', async () => {
    await setUp([...budgetThread(), ...bobMornings()]);
    await setContactPrefs(store, BOB, { timeZone: 'America/New_York', hours: '08:00-16:00' });
    const [e] = await followUps.resend(q1()._id, { now: '2026-03-10T19:00:00Z' }); // 15:00 in New York
    expect(e).toMatchObject({ recipientTimeZone: 'America/New_York', timeZoneSource: 'user', hours: { start: '08:00', end: '16:00' } });
    // His mail read on New York's clock (its +0100 offsets are ignored for his zone, not his hours):
    // whatever the period, the time is inside his 08:00–16:00 on a working day.
    const local = e.scheduledAt.slice(11, 16);
    expect(local >= '08:00' && local < '16:00').toBe(true);
  });
});

describe('plans: spacing and texts', () => {
  it('gaps grow: 2, 4, 7, 11, 16 × the wait (kept within 1–3 business days), at most 25', () => {
    expect(planGaps(3, 1)).toEqual([2, 4, 7]);
    expect(planGaps(5, 1)).toEqual([2, 4, 7, 11, 16]);
    expect(planGaps(3, 2.5)).toEqual([5, 10, 18]);
    expect(planGaps(3, 0)).toEqual([2, 4, 7]); // a wait of 0 days still spaces the steps
    expect(planGaps(5, 10)).toEqual([6, 12, 21, 25, 25]);
    expect(() => planGaps(6, 1)).toThrow(RangeError);
    expect([1, 2, 3].map((s) => planTemplateStep(s, 3, 0))).toEqual([1, 2, 3]);
    expect([1, 2].map((s) => planTemplateStep(s, 2, 0))).toEqual([1, 3]);
    expect(planTemplateStep(1, 1, 0)).toBe(1);
    expect(planTemplateStep(1, 2, 1)).toBe(2); // followed up before: no "first nudge" again
  });

  it('a plan of 3 with the default wait: step 1 now (the mail is old enough), then 4 and 7 business days later', async () => {
    await setUp(budgetThread());
    const steps = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    expect(steps.map((s) => [s.step, s.planSize, s.planGapDays, s.scheduledAt, s.status])).toEqual([
      [1, 3, 2, '2026-03-10T11:00:00+01:00', 'scheduled'],
      [2, 3, 4, '2026-03-16T11:00:00+01:00', 'scheduled'],
      [3, 3, 7, '2026-03-25T11:00:00+01:00', 'scheduled'],
    ]);
    expect(new Set(steps.map((s) => s.planId)).size).toBe(1);
    expect(steps[0].planId).toMatch(/^p[0-9a-f]+$/);
    expect(new Set(steps.map((s) => s.messageId)).size).toBe(3);
    expect(steps[0].scheduledReason).toMatch(
      /^plan step 1 of 3, your mail is more than 2 business days old; inside the window now; gaps 2, 4, 7 business days \(2, 4, 7 × 1: default wait of 1 business day/,
    );
    expect(steps[1].scheduledReason).toMatch(/^plan step 2 of 3, 4 business days after step 1; inside the window now/);
    expect(steps[0].text).toContain('Did you have a chance to look at it?');
    expect(steps[1].text).toContain('Just following up once more on "Budget 2026"');
    expect(steps[2].text).toContain('will not follow up again');
    for (const s of steps) expect(s).toMatchObject({ inReplyTo: 'q1@acme.test', to: [BOB], recipientTimeZone: 'Europe/Berlin' });
    expect((await followUps.list()).map((e) => e.id)).toEqual(steps.map((s) => s.id));
  });

  it('scaled by the contact’s rhythm: replies after 2 business days → gaps 4, 8, 14 (holidays skipped)', async () => {
    await setUp([...budgetThread(), ...slowBob()]);
    const steps = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    expect(steps.map((s) => [s.planGapDays, s.scheduledAt])).toEqual([
      [4, '2026-03-11T11:00:00+01:00'], // Thu 5 Mar 11:00 + 4 business days: after now
      [8, '2026-03-23T11:00:00+01:00'],
      [14, '2026-04-14T11:00:00+02:00'], // Good Friday and Easter Monday are not business days in DE
    ]);
    expect(steps[0].scheduledReason).toMatch(/4 business days after your mail.*gaps 4, 8, 14 business days \(2, 4, 7 × 2: their rhythm: 80% of their 3 replies came within 2 business days\)/);
  });

  it('a wait the user set for the contact wins: 3 days → gaps 6, 12, 21', async () => {
    await setUp([...budgetThread(), ...slowBob()]);
    await setContactPrefs(store, BOB, { waitDays: 3 });
    const steps = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    expect(steps.map((s) => s.planGapDays)).toEqual([6, 12, 21]);
    expect(steps[0].scheduledReason).toContain('you set 3 business days for this contact');
  });

  it('the steps go at the contact’s best hour', async () => {
    await setUp([...budgetThread(), ...bobMornings()]);
    const steps = await followUps.resend(q1()._id, { now: '2026-03-10T13:00:00Z', plan: 2 });
    expect(steps.map((s) => [s.scheduledAt, s.scheduledRule])).toEqual([
      ['2026-03-11T10:00:00+01:00', 'best-hour'],
      // 4 business days after Wed 10:00 is Tue 10:00: at the start of their hours already.
      ['2026-03-17T10:00:00+01:00', 'open-now'],
    ]);
    expect(steps[1].scheduledReason).toMatch(/^plan step 2 of 2, 4 business days after step 1; inside the window now; inside their usual hours 10:00–12:00/);
    expect(steps[1].text).toContain('will not follow up again'); // the last step of two
  });

  it('an out-of-office return date known when queueing: step 1 waits for it, the rest follow', async () => {
    const ooo = mail({ id: 'ooo@client.de', from: BOB, to: PAT, subject: 'Automatic reply: Budget 2026', date: 'Thu, 05 Mar 2026 11:01:00 +0100', irt: 'q1@acme.test', headers: ['Auto-Submitted: auto-replied'] });
    ooo.bodyText = 'Content-Type: text/plain\r\n\r\nI am out of the office until 16 March 2026.\r\n';
    await setUp([...budgetThread(), ooo]);
    const steps = await followUps.resend(q1()._id, { now: NOW, plan: 2 });
    expect(steps.map((s) => [s.scheduledAt, s.scheduledRule])).toEqual([
      ['2026-03-16T09:00:00+01:00', 'out-of-office'],
      // Mon 09:00 + 4 business days = Thu 17:00, the end of that window: Friday 09:00.
      ['2026-03-20T09:00:00+01:00', 'after-hours'],
    ]);
  });
});

describe('plans: the per-conversation cap', () => {
  it('each step counts: a plan over the limit is refused with what to do; --cap raises it, --force ignores it', async () => {
    await setUp(budgetThread());
    await expect(followUps.resend(q1()._id, { now: NOW, plan: 3 })).rejects.toMatchObject({
      code: 'needs-force',
      message: 'A plan of 3 follow-ups is more than "Budget 2026" may get: the limit is 2 per conversation.',
      cli: 'Use --plan 2, raise the limit with --cap 3, or use --force.',
    });
    expect(await followUps.list()).toEqual([]);
    expect(await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 })).toHaveLength(3);
  });

  it('counts what was sent before', async () => {
    await setUp(budgetThread());
    await followUps.queue.add(entry({ id: 's1', status: 'sent', sentAt: '2026-03-06T10:00:00Z' }));
    await expect(followUps.resend(q1()._id, { now: NOW, plan: 2 }).catch(cliMessage)).resolves.toBe(
      'A plan of 2 follow-ups is more than "Budget 2026" may get: the limit is 2 per conversation, and 1 is sent or queued already. Use --plan 1, raise the limit with --cap 3, or use --force.',
    );
    await followUps.queue.add(entry({ id: 's2', status: 'sent', sentAt: '2026-03-09T10:00:00Z' }));
    await expect(followUps.resend(q1()._id, { now: NOW, plan: 2 }).catch(cliMessage)).resolves.toBe('"Budget 2026" was already followed up 2 times (the limit is 2). A plan of 2 needs --cap 4 (or --force).');
    const forced = await followUps.resend(q1()._id, { now: NOW, plan: 2, force: true });
    expect(forced.map((s) => s.step)).toEqual([1, 2]);
    expect(forced[0].text).toContain('Just following up once more'); // not the first nudge: two went before
  });

  it('a plan waits like a single follow-up: no second plan while one runs', async () => {
    await setUp(budgetThread());
    const [s1] = await followUps.resend(q1()._id, { now: NOW, plan: 2 });
    const refused = await followUps.resend(q1()._id, { now: NOW, plan: 2 }).catch((e) => e);
    expect(refused.message).toContain(`is already queued (${s1.id}, scheduled, 2026-03-10T11:00:00+01:00, step 1 of a plan of 2): it goes Tue 10 Mar 11:00 their time.`);
    expect(refused.message).not.toMatch(/triage|--/); // the app shows it as it is
    expect(cliMessage(refused)).toContain(`Cancel the plan with "triage queue cancel ${s1.id} --plan", or use --force.`);
  });
});

describe('plans while they run (send-due)', () => {
  it('a reply after step 1 cancels steps 2 and 3 at the next send-due, before either is due', async () => {
    await setUp(budgetThread());
    const [s1, s2, s3] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    const reply = mail({ id: 'r1@client.de', from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Re: Budget 2026', date: 'Thu, 12 Mar 2026 09:30:00 +0100', irt: s1.messageId, refs: ['root@client.de', 'q1@acme.test', s1.messageId] });
    await synced('2026-03-12T09:00:00Z', [reply]);
    const sync = stubSync();
    const results = await followUps.sendDue({ now: '2026-03-12T10:00:00Z' });
    expect(sync).not.toHaveBeenCalled(); // nothing was due: the store as the last sync left it
    expect(results.map((r) => [r.id, r.action, r.actionText])).toEqual([
      [s2.id, 'cancelled', `reply from ${BOB} on 2026-03-12 (plan step 2 of 3)`],
      [s3.id, 'cancelled', `reply from ${BOB} on 2026-03-12 (plan step 3 of 3)`],
    ]);
    expect((await stored(s1.id)).status).toBe('sent');
    for (const s of [s2, s3]) expect(await stored(s.id)).toMatchObject({ status: 'cancelled', statusReason: `reply from ${BOB} on 2026-03-12`, attempts: 0 });
    // Nothing new since: the next run does not look again.
    expect(await followUps.sendDue({ now: '2026-03-12T10:05:00Z' })).toEqual([]);
  });

  it('a reply seen only by the sync before a due step cancels it and the rest; nothing goes to SMTP', async () => {
    await setUp(budgetThread());
    const [s1, s2, s3] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    // The reply arrives with the sync send-due makes when step 2 is due.
    const reply = mail({ id: 'r2@client.de', from: BOB, to: PAT, subject: 'Re: Budget 2026', date: 'Mon, 16 Mar 2026 09:30:00 +0100', irt: s1.messageId });
    const sync = (deps.sync = vi.fn(async () => {
      await (await store.messages('work')).put([reply]);
      return { account: 'work', folders: [], ms: 0 };
    }));
    const results = await followUps.sendDue({ now: '2026-03-16T10:30:00Z' });
    expect(sync).toHaveBeenCalledTimes(1);
    expect(results.map((r) => [r.id, r.action])).toEqual([
      [s2.id, 'cancelled'],
      [s3.id, 'cancelled'],
    ]);
    expect(await stored(s2.id)).toMatchObject({ status: 'cancelled', attempts: 0 });
  });

  it('an out-of-office reply to step 1 with a return date moves step 2 after it, and step 3 by its gap', async () => {
    await setUp(budgetThread());
    const [s1, s2, s3] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    const ooo = mail({ id: 'ooo2@client.de', from: BOB, to: PAT, subject: 'Automatic reply: Re: Budget 2026', date: 'Tue, 10 Mar 2026 11:01:00 +0100', irt: s1.messageId, headers: ['Auto-Submitted: auto-replied'] });
    ooo.bodyText = 'Content-Type: text/plain\r\n\r\nI am out of the office until 30 March 2026 with limited access to email.\r\n';
    await synced('2026-03-11T09:00:00Z', [ooo]);
    const results = await followUps.sendDue({ now: '2026-03-11T12:00:00Z' });
    expect(results.map((r) => [r.id, r.action])).toEqual([
      [s2.id, 'rescheduled'],
      [s3.id, 'rescheduled'],
    ]);
    // Monday 30 March, first window (CEST from 29 March); then 7 business days, skipping Good
    // Friday (3 April) and Easter Monday (6 April).
    expect(await stored(s2.id)).toMatchObject({ status: 'scheduled', scheduledAt: '2026-03-30T09:00:00+02:00', scheduledRule: 'out-of-office' });
    expect((await stored(s2.id)).scheduledReason).toMatch(/^away until 2026-03-30: after out-of-office return 2026-03-30/);
    expect(await stored(s3.id)).toMatchObject({ status: 'scheduled', scheduledAt: '2026-04-10T09:00:00+02:00' });
    expect((await stored(s3.id)).scheduledReason).toMatch(/^moved with step 2 \(away until 2026-03-30\), 7 business days after step 2/);
    expect(results[0].actionText).toMatch(/^to Mon 30 Mar 09:00 their time \(Europe\/Berlin\)/);
  });

  it('a return date before the next step changes nothing', async () => {
    await setUp(budgetThread());
    const [s1, s2] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    const ooo = mail({ id: 'ooo3@client.de', from: BOB, to: PAT, subject: 'Out of office', date: 'Tue, 10 Mar 2026 11:01:00 +0100', irt: s1.messageId, headers: ['Auto-Submitted: auto-replied'] });
    ooo.bodyText = 'Content-Type: text/plain\r\n\r\nI am out of the office until 12 March 2026.\r\n';
    await synced('2026-03-11T09:00:00Z', [ooo]);
    expect(await followUps.sendDue({ now: '2026-03-11T12:00:00Z' })).toEqual([]);
    expect((await stored(s2.id)).scheduledAt).toBe('2026-03-16T11:00:00+01:00');
  });

  it('a bounce of step 1 cancels the rest', async () => {
    await setUp(budgetThread());
    const [s1, s2, s3] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    const dsn = mail({
      id: 'dsn1@mx.client.de',
      from: 'Mail Delivery System <MAILER-DAEMON@mx.client.de>',
      to: PAT,
      subject: 'Undelivered Mail Returned to Sender',
      date: 'Tue, 10 Mar 2026 11:02:00 +0100',
      headers: ['Auto-Submitted: auto-replied', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"'],
    });
    dsn.bodyText = [
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
      '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.client.de', '', `Final-Recipient: rfc822; ${BOB}`, 'Action: failed', 'Status: 5.1.1', '',
      '--b', 'Content-Type: text/rfc822-headers', '', `Message-ID: <${s1.messageId}>`, 'Subject: Re: Budget 2026', '', '--b--', '',
    ].join('\r\n');
    await synced('2026-03-11T09:00:00Z', [dsn]);
    const results = await followUps.sendDue({ now: '2026-03-11T12:00:00Z' });
    expect(results.map((r) => [r.id, r.action, r.statusReason])).toEqual([
      [s2.id, 'cancelled', `bounced (${BOB})`],
      [s3.id, 'cancelled', `bounced (${BOB})`],
    ]);
  });

  it('a step waits while an earlier one has not gone (held for the user)', async () => {
    await setUp(budgetThread());
    const [s1, s2] = await followUps.resend(q1()._id, { now: NOW, plan: 2 });
    await followUps.queue.update(s1.id, { status: 'held', statusReason: 'late' }, new Date(NOW));
    stubSync();
    expect(await followUps.sendDue({ now: '2026-03-16T10:30:00Z' })).toEqual([]);
    expect(await stored(s2.id)).toMatchObject({ status: 'scheduled', attempts: 0 });
  });
});

describe('cancelling plan steps', () => {
  it('one step alone says what still waits; --plan cancels every step not gone yet', async () => {
    await setUp(budgetThread());
    const [s1, s2, s3] = await followUps.resend(q1()._id, { now: NOW, plan: 3, cap: 3 });
    const one = await followUps.cancel(s2.id);
    expect(one).toMatchObject({ id: s2.id, status: 'cancelled', statusReason: 'cancelled by you', planWaiting: [s1.id, s3.id] });
    await sendStep(s1, NOW, 'Tue, 10 Mar 2026 11:00:00 +0100');
    const all = await followUps.cancel(s1.id, { plan: true });
    expect(all).toMatchObject({ id: s1.id, status: 'sent', cancelledSteps: [s3.id] });
    expect(await stored(s3.id)).toMatchObject({ status: 'cancelled', statusReason: 'plan cancelled by you' });
    await followUps.queue.add(entry({ id: 'single' }));
    await expect(followUps.cancel('single', { plan: true })).rejects.toThrow(/not part of a plan/);
  });
});

describe('updateFollowUp', () => {
  it('changes the text of one that has not gone; keeps its Message-ID; refuses empty and overlong text', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    const changed = await followUps.updateFollowUp(e.id, { text: 'Hi Bob,\n\nAny news on the budget?\n' }, { now: NOW });
    expect(changed).toMatchObject({ id: e.id, text: 'Hi Bob,\n\nAny news on the budget?\n', messageId: e.messageId, scheduledAt: e.scheduledAt, status: 'scheduled' });
    await expect(followUps.updateFollowUp(e.id, { text: ' \n ' })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/must not be empty/) });
    await expect(followUps.updateFollowUp(e.id, { text: 'x'.repeat(10_001) })).rejects.toThrow(/10001 characters long; keep it under 10000/);
    await expect(followUps.updateFollowUp(e.id, {})).rejects.toThrow(/Nothing to change/);
    await expect(followUps.updateFollowUp('nope', { text: 'x' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a new time inside the window is kept; outside it moves to the next window and says so', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    expect(await followUps.updateFollowUp(e.id, { scheduledAt: '2026-03-12T13:30:00Z' }, { now: NOW })).toMatchObject({
      scheduledAt: '2026-03-12T14:30:00+01:00',
      scheduledRule: 'user',
      scheduledReason: 'set by you',
    });
    const weekend = await followUps.updateFollowUp(e.id, { scheduledAt: '2026-03-14T10:00:00Z' }, { now: NOW });
    expect(weekend).toMatchObject({ scheduledAt: '2026-03-16T09:00:00+01:00', scheduledRule: 'weekend' });
    expect(weekend.scheduledReason).toBe('set by you for Sat 14 Mar 11:00 their time, outside their business window: moved to next working day 09:00 (weekend)');
    const past = await followUps.updateFollowUp(e.id, { scheduledAt: '2026-03-02T10:00:00Z' }, { now: NOW });
    expect(past).toMatchObject({ scheduledAt: '2026-03-10T11:00:00+01:00' });
    expect(past.scheduledReason).toMatch(/which had passed: now, inside the window/);
    await expect(followUps.updateFollowUp(e.id, { scheduledAt: 'tomorrow' })).rejects.toThrow(/ISO-8601/);
  });

  it('a held one with a new time is scheduled again; sent, cancelled and in-flight ones refuse; a failed one stays failed', async () => {
    await setUp(budgetThread());
    await followUps.queue.add(entry({ id: 'h1', status: 'held', statusReason: 'late' }));
    expect(await followUps.updateFollowUp('h1', { text: 'new' }, { now: NOW })).toMatchObject({ status: 'scheduled', state: 'held', text: 'new' });
    expect(await followUps.updateFollowUp('h1', { scheduledAt: '2026-03-11T10:00:00Z' }, { now: NOW })).toMatchObject({ status: 'scheduled', state: 'scheduled', scheduledAt: '2026-03-11T11:00:00+01:00' });
    expect((await stored('h1')).statusReason).toBeUndefined();
    await followUps.queue.add(entry({ id: 'f1', status: 'failed', attempts: 1, maybeAccepted: true, statusReason: 'connection lost' }));
    const failed = await followUps.updateFollowUp('f1', { text: 'new', scheduledAt: '2026-03-11T10:00:00Z' }, { now: NOW });
    expect(failed).toMatchObject({ state: 'failed', messageId: 'x.1.triage@acme.test', maybeAccepted: true, attempts: 1 });
    await followUps.queue.add(entry({ id: 'x-sent', status: 'sent' }));
    await expect(followUps.updateFollowUp('x-sent', { text: 'new' })).rejects.toThrow(/was already sent on .*: it cannot be changed/);
    await followUps.queue.add(entry({ id: 'x-cancelled', status: 'cancelled' }));
    await expect(followUps.updateFollowUp('x-cancelled', { text: 'new' })).rejects.toThrow('is cancelled: only a scheduled, held or failed follow-up can be changed');
    await followUps.queue.add(entry({ id: 'x-sending', status: 'sending' }));
    await expect(followUps.updateFollowUp('x-sending', { text: 'new' })).rejects.toThrow(/is already being sent \(it may be on its way right now\)/);
  });
});

describe('sendNow', () => {
  it('sends outside the window through the exactly-once path (here: the closed SMTP port fails it, kept for a retry)', async () => {
    await setUp(budgetThread());
    const evening = '2026-03-10T20:00:00Z'; // 21:00 in Berlin: send-due would wait for the morning
    const [e] = await followUps.resend(q1()._id, { now: evening });
    expect(e.scheduledAt).toBe('2026-03-11T09:00:00+01:00');
    const sync = stubSync();
    expect(await followUps.sendDue({ now: evening })).toEqual([]);
    await expect(followUps.sendNow(e.id, { now: evening })).rejects.toMatchObject({ code: 'server-refused', message: expect.stringMatching(/^Not sent: cannot reach 127\.0\.0\.1:1/) });
    expect(sync).toHaveBeenCalledTimes(1); // it looked for replies first
    expect(await stored(e.id)).toMatchObject({ status: 'failed', attempts: 1, messageId: e.messageId, maybeAccepted: false });
    expect((await stored(e.id)).raw).toContain(`Message-ID: <${e.messageId}>`);
  });

  it('a reply that arrived first cancels it instead', async () => {
    await setUp(budgetThread());
    const [e] = await followUps.resend(q1()._id, { now: NOW });
    deps.sync = async () => {
      await (await store.messages('work')).put([mail({ id: 'r9@client.de', from: BOB, to: PAT, subject: 'Re: Budget 2026', date: 'Tue, 10 Mar 2026 11:30:00 +0100', irt: 'q1@acme.test' })]);
      return { account: 'work', folders: [], ms: 0 };
    };
    const r = await followUps.sendNow(e.id, { now: '2026-03-10T10:45:00Z' });
    expect(r).toMatchObject({ id: e.id, action: 'cancelled', status: 'cancelled', actionText: `reply from ${BOB} on 2026-03-10`, attempts: 0 });
  });

  it('refuses what cannot go now: sent, cancelled, in flight, a plan step before its earlier step', async () => {
    await setUp(budgetThread());
    const [s1, s2] = await followUps.resend(q1()._id, { now: NOW, plan: 2 });
    await expect(followUps.sendNow(s2.id, { now: NOW })).rejects.toThrow(`Step 1 of this plan (${s1.id}) has not gone yet: send or cancel it first.`);
    for (const [status, words] of [
      ['sent', /already sent/],
      ['cancelled', /was cancelled .*queue a new one instead/],
      ['sending', /may be on its way/],
    ] as const) {
      await followUps.queue.add(entry({ id: `n-${status}`, status }));
      await expect(followUps.sendNow(`n-${status}`, { now: NOW })).rejects.toThrow(words);
    }
    await expect(followUps.sendNow('nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});
