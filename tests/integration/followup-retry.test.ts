// Failing sends must not hammer the server (issue 17, item 4). The app runs send-due every
// minute; a failed follow-up used to be due again on every run until it was two business days
// late, so a wrong SMTP password became thousands of failed logins. Here the clock ticks a
// minute at a time for three hours against the rig's real SMTP server, counting what reached it:
// a temporary refusal (4xx) is retried after 1, 2, 4, 8 ... minutes (at most an hour apart); a
// permanent one (5xx at RCPT, a failed AUTH) is not retried at all, keeps the server's words,
// and tells the user what to do. "Send now" is the user's retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { removeDir, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import type { SendDueResult } from '../../main/core/api.js';
import { BOB, NOW, PAT, bobsHello, countById, followUpsIn, minutesAfter, original, patAccount } from './followup-helpers.js';

const TICKS = 180; // three hours of the app's one-minute timer: 11:00–14:00 in Bob's Berlin

describe('failed sends back off (Dovecot + SMTP)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let pat: MailUser;
  let bob: MailUser;
  let store: Store;
  const smtpUsers: Record<string, string> = { [PAT]: 'pw-pat' };
  const dir = tempDir('triage-retry-');
  const received = (messageId: string) => smtp.received.filter((m) => m.messageId === `<${messageId}>`);

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    bob = await dovecot.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: smtpUsers });
    await pat.seed('Sent', ['t1', 't2', 't3'].map((n) => original(n)));
    await pat.seed('INBOX', [bobsHello()]);
    store = await Store.open(dir);
    await store.saveAccount(patAccount(dovecot, smtp));
  }, 120_000);

  afterAll(async () => {
    smtp?.setRefuse(null);
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dir);
  });

  /** Runs send-due once a minute from NOW for `ticks` minutes; the minutes at which SMTP was contacted, and every result. */
  async function tickTock(f: ReturnType<typeof followUpsIn>['f'], ticks: number): Promise<{ contacted: number[]; results: SendDueResult[] }> {
    const contacted: number[] = [];
    const results: SendDueResult[] = [];
    for (let t = 0; t < ticks; t++) {
      const before = smtp.auths.length;
      results.push(...(await f.sendDue({ now: minutesAfter(NOW, t) })));
      if (smtp.auths.length > before) contacted.push(t);
    }
    return { contacted, results };
  }

  it('a temporary refusal (450) is retried after 1, 2, 4, 8 … minutes, at most an hour apart; then it goes, once', async () => {
    const { deps, f } = followUpsIn(store, 'pw-pat', () => new Date(NOW));
    await deps.sync('pat');
    const [e] = await f.resend('<t1@acme.test>', { now: NOW });
    smtp.setRefuse((rcpt) => (rcpt === BOB ? '450 4.2.0 Greylisted, try again later' : null));
    const { contacted, results } = await tickTock(f, TICKS);
    expect(contacted).toEqual([0, 1, 3, 7, 15, 31, 63, 123]);
    const first = results.find((r) => r.id === e.id)!;
    expect(first).toMatchObject({ action: 'failed', state: 'failed', failures: 1, nextAttemptAt: minutesAfter(NOW, 1) });
    expect(first.actionText).toMatch(/^450 4\.2\.0 Greylisted, try again later \(attempt 1; tried again from .*\)$/);
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'failed', attempts: 8, failures: 8, nextAttemptAt: minutesAfter(NOW, 183) });
    expect(received(e.messageId)).toHaveLength(0);

    smtp.setRefuse(null);
    const [sent] = await f.sendDue({ now: minutesAfter(NOW, 183) });
    expect(sent).toMatchObject({ id: e.id, action: 'sent', attempts: 9 });
    expect(sent.failures).toBeUndefined();
    expect(sent.nextAttemptAt).toBeUndefined();
    expect(received(e.messageId)).toHaveLength(1);
  }, 300_000);

  it('a wrong SMTP password: one failed login, not thousands; failed with the server’s words and what to do; Send now goes once the password is right', async () => {
    const { deps, f } = followUpsIn(store, 'pw-pat', () => new Date(NOW));
    await deps.sync('pat');
    const [e] = await f.resend('<t2@acme.test>', { now: NOW });
    smtpUsers[PAT] = 'changed-on-the-server';
    const { contacted, results } = await tickTock(f, TICKS);
    expect(contacted).toEqual([0]);
    expect(smtp.auths.filter((a) => !a.ok)).toHaveLength(1);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: e.id, action: 'failed', state: 'failed', permanentFailure: true });
    expect(results[0].actionText).toBe(
      `authentication failed (535 Authentication credentials invalid) (attempt 1; not retried: check the SMTP password, then send it again with "triage queue send ${e.id}")`,
    );
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'failed', statusReason: 'authentication failed (535 Authentication credentials invalid)', permanentFailure: true, attempts: 1 });

    smtpUsers[PAT] = 'pw-pat';
    const now = await f.sendNow(e.id, { now: minutesAfter(NOW, TICKS) });
    expect(now).toMatchObject({ action: 'sent', attempts: 2 });
    expect(now.permanentFailure).toBeUndefined();
    expect(received(e.messageId)).toHaveLength(1);
    expect(await countById(dovecot, bob, 'INBOX', e.messageId)).toBe(1);
  }, 300_000);

  it('every recipient refused for good (550 at RCPT): not retried, nothing delivered, the server’s words kept', async () => {
    const { deps, f } = followUpsIn(store, 'pw-pat', () => new Date(NOW));
    await deps.sync('pat');
    const [e] = await f.resend('<t3@acme.test>', { now: NOW });
    smtp.setRefuse((rcpt) => (rcpt === BOB ? '550 5.1.1 mailbox unavailable' : null));
    const { contacted, results } = await tickTock(f, 30);
    smtp.setRefuse(null);
    expect(contacted).toEqual([0]);
    expect(results.map((r) => [r.action, r.actionText])).toEqual([
      ['failed', `550 5.1.1 mailbox unavailable (attempt 1; not retried: the server refused it for good; fix what it says, then send it again with "triage queue send ${e.id}", or cancel it)`],
    ]);
    expect(received(e.messageId)).toHaveLength(0);
    expect(await countById(dovecot, pat, 'INBOX', e.messageId)).toBe(0); // not even the witness
  }, 120_000);
});
