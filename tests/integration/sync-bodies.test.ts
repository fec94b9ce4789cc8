// Issue 14, item 3: any sync converges. The body pass (main/core/imap/bodies.ts) asks for every
// record that needs its text and lacks it, whichever run added it; a bounded number per run; a
// server's refusal is recorded so it is not asked for ever; its errors are in the summary.
//
// Test hooks (inert unless set; main/core/imap/sync.ts):
//   TRIAGE_TEST_TRACE=1                   "triage-test: sync-headers-done" on stderr once every
//                                         folder's headers are stored, before the body pass
//   TRIAGE_TEST_PAUSE_BEFORE_BODIES_MS=N  sleep N ms there: the crash test kills the process then
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig, type MailUser } from '../rig/servers.js';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { startProxy } from '../rig/proxy.js';
import { buildMessage } from '../rig/mail.js';
import { accountFor, imapClient, removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { syncAccount } from '../../main/core/imap/sync.js';

const EML = join(import.meta.dirname, '../fixtures/eml');
const eml = (name: string) => readFileSync(join(EML, name));
const NOW = '2025-11-24T12:00:00Z';
const USER = 'pat@acme.example';
const PASSWORD = 'pw-bodies';
const LONG = 300_000;

/** Sent mail, and the automatic answers whose meaning is only in their text (unit-tested in
 *  tests/unit/triage/unanswered.test.ts): a bounce, two out-of-office notes, a delay notice. */
async function seedMailbox(user: MailUser): Promise<void> {
  await user.seed(user.folders.sent, ['sent-lunch.eml', 'sent-q3-budget.eml', 'sent-contract-draft.eml', 'sent-angebot.eml'].map((f) => ({ raw: eml(f) })));
  await user.seed('INBOX', ['dsn-postfix-5.1.1.eml', 'ooo-exchange-automatic-reply.eml', 'dsn-delayed.eml', 'ooo-german-abwesenheitsnotiz.eml'].map((f) => ({ raw: eml(f) })));
}

describe.each(SERVER_KINDS)('a sync killed between the header pass and the body pass (%s)', (kind) => {
  let server: ImapServerRig;
  let user: MailUser;
  const dirs: string[] = [];
  const cliIn = (dir: string) => (...args: string[]) => runCli(['--data-dir', dir, ...args], { TRIAGE_PASSWORD: PASSWORD });

  beforeAll(async () => {
    server = await IMAP_SERVERS[kind]();
    user = await server.addUser(USER, PASSWORD, 'standard');
    await seedMailbox(user);
  }, LONG);
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  it('the next sync fetches the texts it missed: unanswered equals a clean sync\'s, bounces included', async () => {
    const add = ['account', 'add', 'work', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', USER, '--address', USER, '--address', 'p.jones@acme.example', '--security', 'none'];
    const clean = tempDir();
    const killed = tempDir();
    dirs.push(clean, killed);

    // A clean sync of the mailbox: what the lists must be.
    expect((await cliIn(clean)(...add)).code).toBe(0);
    const cleanSync = await cliIn(clean)('sync');
    expect(cleanSync.code, cleanSync.stderr).toBe(0);
    expect(cleanSync.stdout).toMatch(/texts of bounces and auto-replies: 4 fetched/);
    const expected = await cliIn(clean)('unanswered', '--json', '--now', NOW);
    expect(expected.code, expected.stderr).toBe(0);
    const entries = JSON.parse(expected.stdout);
    expect(entries.find((e: { subject: string }) => e.subject === 'Lunch next week?')).toMatchObject({ status: 'bounced', bouncedRecipients: ['dan@gone.example'] });
    expect(entries.find((e: { subject: string }) => e.subject === 'Q3 budget')).toMatchObject({ status: 'awaiting', outOfOfficeUntil: '2025-12-01' });

    // The same mailbox, the sync killed (SIGKILL) once every header is stored, before any text.
    expect((await cliIn(killed)(...add)).code).toBe(0);
    const child = spawnCli(['--data-dir', killed, 'sync'], { TRIAGE_PASSWORD: PASSWORD, TRIAGE_TEST_TRACE: '1', TRIAGE_TEST_PAUSE_BEFORE_BODIES_MS: '60000' });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('triage-test: sync-headers-done\n')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      void exited.then(() => resolve());
    });
    expect(await exited).toBeNull(); // killed, not finished
    const cut = JSON.parse((await cliIn(killed)('unanswered', '--json', '--now', NOW)).stdout);
    expect(cut.find((e: { subject: string }) => e.subject === 'Lunch next week?')).toMatchObject({ status: 'awaiting' }); // the text is missing

    const resumed = await cliIn(killed)('sync');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/0 new, 0 changed, 0 removed/);
    expect(resumed.stdout).toMatch(/texts of bounces and auto-replies: 4 fetched/);
    const after = await cliIn(killed)('unanswered', '--json', '--now', NOW);
    expect(after.stdout).toBe(expected.stdout);

    // And a sync after that asks for nothing more.
    const third = await cliIn(killed)('sync');
    expect(third.stdout).not.toMatch(/texts of bounces/);
  }, LONG);
});

describe('the body pass: bounded per run, refusals recorded and reported (Dovecot)', () => {
  let server: DovecotServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  const bounce = (i: number) =>
    buildMessage({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>',
      to: USER,
      subject: 'Undelivered Mail Returned to Sender',
      date: new Date(Date.UTC(2025, 10, 10 + i, 9)),
      messageId: `<bounce-${i}@mx.acme.example>`,
      headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"', 'Auto-Submitted': 'auto-replied' },
      body: `--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.example\r\n\r\nFinal-Recipient: rfc822; gone${i}@gone.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n`,
    });

  it('fetches at most maxBodies per sync, newest first, until every text is in', async () => {
    const user = await server.addUser('bound@acme.example', PASSWORD, 'standard');
    await user.seed('INBOX', Array.from({ length: 5 }, (_, i) => ({ raw: bounce(i) })));
    const dir = tempDir();
    dirs.push(dir);
    const store = await Store.open(dir);
    const account = accountFor('bound', server, user);
    await store.saveAccount(account);
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push((await syncAccount({ account, password: PASSWORD, store, maxBodies: 2 })).bodies);
    expect(runs).toEqual([
      { fetched: 2, failed: 0, pending: 3, errors: [] },
      { fetched: 2, failed: 0, pending: 1, errors: [] },
      { fetched: 1, failed: 0, pending: 0, errors: [] },
      undefined, // nothing left to ask
    ]);
    const log = await store.messages('bound');
    const first = [...log.values()].filter((r) => r.bodyText).map((r) => r.messageId);
    expect(first).toHaveLength(5);
    await store.close();
  }, LONG);

  it('a text the server refuses is recorded with its words, reported, and not asked again; another copy of it is', async () => {
    const user = await server.addUser('refuse@acme.example', PASSWORD, 'standard');
    await user.seed('INBOX', [{ raw: bounce(7) }]);
    let refuse = true;
    // Make the server answer BAD to the partial body fetch: the command is spoilt on the way.
    const proxy = await startProxy(server.port, {
      fromClient: (chunk) => (refuse ? Buffer.from(chunk.toString('latin1').replace(/BODY\.PEEK\[\]<0\.\d+>/, 'BODY.PEEK[]<0.x>'), 'latin1') : chunk),
    });
    const dir = tempDir();
    dirs.push(dir);
    const store = await Store.open(dir);
    const account = accountFor('refuse', { port: proxy.port }, user);
    await store.saveAccount(account);
    try {
      const first = await syncAccount({ account, password: PASSWORD, store });
      expect(first.bodies).toMatchObject({ fetched: 0, failed: 1, pending: 0 });
      expect(first.bodies!.errors).toEqual([expect.stringMatching(/^INBOX: the server refused the text of 1 message \(BAD .*\); they are not asked for again\.$/)]);
      const log = await store.messages('refuse');
      const rec = [...log.values()][0];
      expect(rec.bodyText).toBeUndefined();
      expect(rec.bodyError).toMatchObject({ folder: 'INBOX', uid: 1, reason: expect.stringMatching(/^BAD/) });

      refuse = false;
      expect((await syncAccount({ account, password: PASSWORD, store })).bodies).toBeUndefined(); // not asked again

      // The same mail in another folder: that copy is asked for.
      const imap = await imapClient(server, user);
      await imap.mailboxOpen('INBOX');
      await imap.messageCopy('1', 'Archive', { uid: true });
      await imap.logout();
      const third = await syncAccount({ account, password: PASSWORD, store });
      expect(third.bodies).toEqual({ fetched: 1, failed: 0, pending: 0, errors: [] });
      const done = [...log.values()][0];
      expect(done.bodyText).toContain('Final-Recipient: rfc822; gone7@gone.example');
      expect(done.bodyError).toBeUndefined();
      expect(done.locations.map((l) => l.folder).sort()).toEqual(['Archive', 'INBOX']);
    } finally {
      await store.close();
      await proxy.close();
    }
  }, LONG);

  it('the CLI prints the body pass\'s errors as a warning and still exits 0', async () => {
    const user = await server.addUser('warn@acme.example', PASSWORD, 'standard');
    await user.seed('INBOX', [{ raw: bounce(8) }]);
    const proxy = await startProxy(server.port, {
      fromClient: (chunk) => Buffer.from(chunk.toString('latin1').replace(/BODY\.PEEK\[\]<0\.\d+>/, 'BODY.PEEK[]<0.x>'), 'latin1'),
    });
    const dir = tempDir();
    dirs.push(dir);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], { TRIAGE_PASSWORD: PASSWORD });
    try {
      expect((await cli('account', 'add', 'warn', '--imap-host', '127.0.0.1', '--imap-port', String(proxy.port), '--user', user.user, '--security', 'none')).code).toBe(0);
      const res = await cli('sync');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/texts of bounces and auto-replies: 0 fetched, 1 refused by the server/);
      expect(res.stderr).toMatch(/^triage: warning: warn INBOX: the server refused the text of 1 message \(BAD/m);
      const json = await cli('sync', '--json');
      expect(JSON.parse(json.stdout)[0].bodies).toBeUndefined();
    } finally {
      await proxy.close();
    }
  }, LONG);
});
