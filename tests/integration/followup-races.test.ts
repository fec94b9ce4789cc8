// Cancel and Edit against a send that is already running (issue 17, item 2), on a real Dovecot
// and the rig's SMTP server, counting what the server received. In-process, over the follow-up
// use cases' own dependencies: `deps.onSendPhase` pauses the send at 'ready' (the send is
// decided and its message built, nothing changed yet), which is the window the issue forced:
// `cancel()` answered "cancelled" and the mail went out anyway; an edit there sent the old text.
//
// What must hold: a cancel or an edit either happens before the send (nothing goes out, or the
// new text goes out) or is refused with the truth ("already being sent", "already sent"), never
// both. Across processes (the app and a cron `triage send-due` on one data dir) the data-dir lock
// keeps them apart: the last test shows a cancel from a second process refused while a send runs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { buildMessage } from '../rig/mail.js';
import { removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import type { AccountConfig } from '../../main/core/model.js';
import type { FollowUpDeps } from '../../main/core/followup/index.js';
import { followUpDeps, followUpsOver } from '../unit/followup/follow-up-deps.js';

const PAT = 'pat@acme.test';
const BOB = 'bob@client.de';
const NOW = '2026-12-01T10:00:00Z'; // Tuesday, 11:00 in Berlin: inside Bob's window
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };
const outcome = <T>(p: Promise<T>): Promise<Outcome<T>> => p.then((value) => ({ ok: true as const, value }), (error: Error) => ({ ok: false as const, error }));

const original = (n: string) => ({
  raw: buildMessage({ from: `Pat Lee <${PAT}>`, to: `Bob Maier <${BOB}>`, subject: `Topic ${n}`, date: new Date('2026-11-25T10:00:00Z'), messageId: `<${n}@acme.test>` }),
  flags: ['\\Seen'],
  internalDate: new Date('2026-11-25T10:00:00Z'),
});

describe('cancel and edit while a send runs (Dovecot + SMTP)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let pat: MailUser;
  let store: Store;
  let deps: FollowUpDeps;
  let f: ReturnType<typeof followUpsOver>;
  const dir = tempDir('triage-races-');
  let account: AccountConfig;

  /** What the SMTP server received with this Message-ID (each is one accepted transaction). */
  const received = (messageId: string) => smtp.received.filter((m) => m.messageId === `<${messageId}>`);

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    await dovecot.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: { [PAT]: 'pw-pat' } });
    await pat.seed('Sent', ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map(original));
    await pat.seed('INBOX', [{ raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Hello', date: 'Tue, 10 Nov 2026 09:12:00 +0100' }), flags: ['\\Seen'] }]);
    account = {
      name: 'pat',
      imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: PAT },
      smtp: { host: smtp.host, port: smtp.port, security: 'none', user: PAT },
      addresses: [PAT],
      timeZone: 'Europe/London',
      country: 'GB',
      createdAt: new Date().toISOString(),
    };
    store = await Store.open(dir);
    await store.saveAccount(account);
  }, 120_000);

  beforeEach(async () => {
    deps = followUpDeps(store, { now: () => new Date(NOW), secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pw-pat' }), graceMs: 1000 });
    f = followUpsOver(deps);
    await deps.sync('pat');
  });

  afterAll(async () => {
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dir);
  });

  it('Cancel clicked while send-due is about to send: refused as already sent, and the mail went out once', async () => {
    const [e] = await f.resend('<c1@acme.test>', { now: NOW });
    let cancel: Promise<Outcome<unknown>> | null = null;
    deps.onSendPhase = async (phase, id) => {
      if (phase !== 'ready' || id !== e.id || cancel) return;
      cancel = outcome(f.cancel(e.id));
      // Give the cancel every chance to finish inside the window (it did, before the fix).
      await Promise.race([cancel, sleep(1500)]);
    };
    const results = await f.sendDue({ now: NOW });
    expect(cancel).not.toBeNull();
    const answer = (await cancel!) as Outcome<unknown>;
    const delivered = received(e.messageId).length;
    // Never "cancelled" and delivered: the user was told a lie.
    expect({ cancelled: answer.ok, delivered }).toEqual({ cancelled: false, delivered: 1 });
    if (!answer.ok) expect(answer.error.message).toMatch(/already (being )?sent/);
    expect(results.find((r) => r.id === e.id)).toMatchObject({ action: 'sent' });
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'sent' });
  });

  it('Edit while send-due is about to send: refused as already sent; what went out is what the queue shows', async () => {
    const [e] = await f.resend('<c2@acme.test>', { now: NOW });
    let edit: Promise<Outcome<unknown>> | null = null;
    deps.onSendPhase = async (phase, id) => {
      if (phase !== 'ready' || id !== e.id || edit) return;
      edit = outcome(f.updateFollowUp(e.id, { text: 'Hi Bob, NEW TEXT from the edit.' }));
      await Promise.race([edit, sleep(1500)]);
    };
    await f.sendDue({ now: NOW });
    const answer = (await edit!) as Outcome<unknown>;
    const sent = received(e.messageId);
    expect(sent).toHaveLength(1);
    const wentOut = sent[0].raw.toString('utf8').includes('NEW TEXT');
    // The edit was accepted only if its text is what went out.
    expect({ edited: answer.ok, wentOut }).toEqual({ edited: false, wentOut: false });
    if (!answer.ok) expect(answer.error.message).toMatch(/already (being )?sent/);
    expect((await f.queue.get(e.id))!.text).not.toContain('NEW TEXT');
  });

  it('a change by a writer outside the send guard in that window: the cancelled one is not sent (compare-and-set)', async () => {
    const [e] = await f.resend('<c3@acme.test>', { now: NOW });
    deps.onSendPhase = async (phase, id) => {
      // Straight to the queue, past every guard: only the switch to 'sending' can stop the send now.
      if (phase === 'ready' && id === e.id) await deps.queue.update(e.id, { status: 'cancelled', statusReason: 'cancelled elsewhere' }, new Date(NOW));
    };
    await f.sendDue({ now: NOW });
    expect(received(e.messageId)).toHaveLength(0);
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'cancelled', statusReason: 'cancelled elsewhere', attempts: 0 });
  });

  it('an edit by a writer outside the send guard in that window: the old text is not sent; the next send-due sends the new one, once', async () => {
    const [e] = await f.resend('<c4@acme.test>', { now: NOW });
    deps.onSendPhase = async (phase, id) => {
      if (phase === 'ready' && id === e.id) await deps.queue.update(e.id, { text: 'Hi Bob, the EDITED text.' }, new Date(NOW));
    };
    await f.sendDue({ now: NOW });
    deps.onSendPhase = undefined;
    await f.sendDue({ now: NOW });
    const sent = received(e.messageId);
    expect(sent).toHaveLength(1);
    expect(sent[0].raw.toString('utf8')).toContain('the EDITED text');
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'sent' });
  });

  it('Cancel before the send: nothing goes out', async () => {
    const [e] = await f.resend('<c5@acme.test>', { now: NOW });
    expect(await f.cancel(e.id)).toMatchObject({ state: 'cancelled' });
    await f.sendDue({ now: NOW });
    expect(received(e.messageId)).toHaveLength(0);
  });

  it('two processes (the app and a cron send-due): a cancel from the second one while the first sends is refused by the data-dir lock, with what to do', async () => {
    // A data dir of its own: this test's process must not hold the lock.
    const other = tempDir('triage-races-cli-');
    const env = { TRIAGE_PASSWORD: 'pw-pat' };
    const cli = (...args: string[]) => runCli(['--data-dir', other, ...args], env);
    try {
      const add = await cli('account', 'add', 'pat', '--imap-host', '127.0.0.1', '--imap-port', String(dovecot.port), '--user', PAT, '--security', 'none',
        '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-security', 'none', '--timezone', 'Europe/London', '--country', 'GB');
      expect(add.code, add.stderr).toBe(0);
      expect((await cli('sync')).code).toBe(0);
      const [e] = JSON.parse((await cli('resend', '<c6@acme.test>', '--now', NOW, '--json')).stdout);
      const child = spawnCli(['--data-dir', other, 'send-due', '--now', NOW], { ...env, TRIAGE_TEST_TRACE: '1', TRIAGE_TEST_PAUSE_AT: 'ready:30000' });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await new Promise<void>((resolve) => {
        let err = '';
        child.stderr!.on('data', (c: Buffer) => {
          err += c.toString();
          if (err.includes('triage-test: ready\n')) resolve();
        });
        void exited.then(() => resolve());
      });
      const cancel = await cli('queue', 'cancel', e.id);
      expect(cancel.code).toBe(1);
      expect(cancel.stderr).toMatch(/Another inbox-triage process \(PID \d+\) is using/);
      expect(await exited).toBe(0);
      expect(received(e.messageId)).toHaveLength(1);
      const queued = JSON.parse((await cli('queue', '--json')).stdout) as Array<{ id: string; state: string }>;
      expect(queued.find((q) => q.id === e.id)).toMatchObject({ state: 'sent' });
    } finally {
      removeDir(other);
    }
  }, 120_000);
});
