// The follow-up queue end to end: a real Dovecot, and the rig's real SMTP server delivering into
// it over LMTP, so a sent follow-up really lands in the recipient's INBOX. Through the CLI:
// resend → queue → send-due; a reply (in Junk) cancels; a refusal fails for good and Send now sends once;
// late sends are rescheduled, held and confirmed; a plan of three (issue 8): step 1 sent with
// `queue send`, Bob answers it, send-due cancels steps 2 and 3; and a crash test kills `send-due` with
// kill -9 at many moments of a send and counts the copies that arrived (0 duplicates, 0 lost).
//
// Test hooks used here (inert unless set; see main/core/followup/sender.ts):
//   TRIAGE_TEST_TRACE=1                each send phase on stderr as "triage-test: <phase>"
//   TRIAGE_TEST_PAUSE_AFTER_SMTP_MS=N  sleep after the server accepted, before anything is stored
//   TRIAGE_TEST_PAUSE_AT=PHASE:N       sleep N ms at any phase (followup-races.test.ts uses 'ready')
// In-process tests pause a send with deps.onSendPhase instead (followup-races, -witness, -servers).
// and one setting: TRIAGE_WITNESS_GRACE_MS, how long (real time) an ambiguous send waits for its
// witness copy before it is sent again. The rig's SMTP server delivers before it answers 250, so
// a short grace is enough here; the default is 10 minutes.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { buildMessage } from '../rig/mail.js';
import { imapClient, removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import { FollowUpQueue } from '../../main/core/followup/queue.js';

const PAT = 'pat@acme.test';
const BOB = 'bob@client.de';
const NOW = '2026-12-01T10:00:00Z'; // Tuesday, 11:00 in Berlin (Bob's zone, from his +0100 mail and .de)
const GRACE_MS = 1500;

const sent = (n: string, subject: string, body = `About ${subject}: could you confirm by Friday?\n`) => ({
  raw: buildMessage({ from: `Pat Lee <${PAT}>`, to: `Bob Maier <${BOB}>`, subject, date: new Date('2026-11-25T10:00:00Z'), messageId: `<${n}@acme.test>`, body }),
  flags: ['\\Seen'],
  internalDate: new Date('2026-11-25T10:00:00Z'),
});

async function countById(client: ImapFlow, folder: string, messageId: string): Promise<number> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop(); // the mailbox may have stayed selected: let new mail show (RFC 3501 §6.1.2)
    const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
    return uids ? uids.length : 0;
  } finally {
    lock.release();
  }
}

async function headersOf(client: ImapFlow, folder: string, messageId: string): Promise<string> {
  const lock = await client.getMailboxLock(folder);
  try {
    const [uid] = (await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
    const msg = uid ? await client.fetchOne(String(uid), { source: true }, { uid: true }) : false;
    return msg && msg.source ? msg.source.toString('utf8').split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ') : '';
  } finally {
    lock.release();
  }
}

const header = (head: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? null;

// Each test is a chain of CLI runs (a few seconds each): 25–50 s alone, over 60 s in the full
// suite while the other helpers' suites share the two cores.
describe('follow-ups through the CLI, SMTP → LMTP → Dovecot', { timeout: 240_000 }, () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let pat: MailUser;
  let bob: MailUser;
  let patImap: ImapFlow;
  let bobImap: ImapFlow;
  const smtpUsers: Record<string, string> = {};
  const dir = tempDir('triage-followup-');
  const env = { TRIAGE_PASSWORD: 'pw-pat', TRIAGE_WITNESS_GRACE_MS: String(GRACE_MS) };
  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], env);
  const queueJson = async () => JSON.parse((await cli('queue', '--json')).stdout) as Array<Record<string, any>>;
  const entryFor = async (original: string) => (await queueJson()).find((e) => e.originalMessageId === original)!;
  const resendJson = async (original: string, now = NOW) => {
    const r = await cli('resend', `<${original}>`, '--now', now, '--json');
    expect(r.stderr).not.toMatch(/could not fetch/);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout)[0] as Record<string, any>;
  };

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    bob = await dovecot.addUser(BOB, 'pw-bob');
    smtpUsers[PAT] = 'pw-pat';
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: smtpUsers });
    await pat.seed('Sent', [
      sent('o1', 'Budget 2026'),
      sent('o2', 'Workshop dates'),
      sent('o2b', 'Venue'),
      sent('o3', 'Invoice 17'),
      sent('o4', 'Contract'),
      sent('o5', 'Late one'),
      sent('o6', 'Proposal'),
      sent('o7', 'Hold me'),
      ...Array.from({ length: 20 }, (_, i) => sent(`crash${i + 1}`, `Crash test ${i + 1}`)),
    ]);
    // Bob's own mail shows his clock: +0100 in winter.
    await pat.seed('INBOX', [
      { raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Hello', date: 'Tue, 10 Nov 2026 09:12:00 +0100' }), flags: ['\\Seen'] },
    ]);
    const add = await runCli(
      ['--data-dir', dir, 'account', 'add', 'pat', '--imap-host', '127.0.0.1', '--imap-port', String(dovecot.port), '--user', PAT, '--security', 'none',
        '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-security', 'none', '--timezone', 'Europe/London', '--country', 'GB'],
      env,
    );
    expect(add.code, add.stderr).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    patImap = await imapClient(dovecot, pat);
    bobImap = await imapClient(dovecot, bob);
  }, 120_000);

  afterAll(async () => {
    await patImap?.logout().catch(() => undefined);
    await bobImap?.logout().catch(() => undefined);
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dir);
  });

  it('resend → queue → send-due: the follow-up arrives in Bob’s INBOX, threaded, once; a copy is in Sent; the conversation waits again', async () => {
    const unanswered = JSON.parse((await cli('unanswered', '--json', '--now', NOW)).stdout) as Array<Record<string, any>>;
    const o1 = unanswered.find((u) => u.messageId === 'o1@acme.test')!;
    expect(o1).toBeDefined();

    const r = await cli('resend', o1.id, '--now', NOW, '--json');
    expect(r.code, r.stderr).toBe(0);
    const [e] = JSON.parse(r.stdout);
    expect(e).toMatchObject({
      account: 'pat',
      originalMessageId: 'o1@acme.test',
      to: [BOB],
      scheduledAt: '2026-12-01T11:00:00+01:00',
      recipientTimeZone: 'Europe/Berlin',
      status: 'scheduled',
      subject: 'Re: Budget 2026',
    });
    // The quote is the original's text, fetched over IMAP.
    expect(e.text).toMatch(/^Hi Bob,\n/);
    expect(e.text).toContain('> About Budget 2026: could you confirm by Friday?');

    const human = await cli('resend', 'o1@acme.test', '--now', NOW);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/already queued/);

    const send = await cli('send-due', '--now', NOW);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toMatch(new RegExp(`^sent ${e.id} to ${BOB}: "Re: Budget 2026"$`, 'm'));

    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(1);
    const head = await headersOf(bobImap, 'INBOX', e.messageId);
    expect(header(head, 'In-Reply-To')).toBe('<o1@acme.test>');
    expect(header(head, 'References')).toBe('<o1@acme.test>');
    expect(header(head, 'Subject')).toBe('Re: Budget 2026');
    expect(header(head, 'From')).toBe('Pat Lee <pat@acme.test>');
    expect(header(head, 'Bcc')).toBeNull();
    expect(await countById(patImap, 'Sent', e.messageId)).toBe(1);
    expect(await countById(patImap, 'INBOX', e.messageId)).toBe(0); // the witness copy is gone
    // One SMTP transaction: Bob, and the user's own address as the witness (envelope only).
    const transactions = smtp.received.filter((m) => m.messageId === `<${e.messageId}>`);
    expect(transactions.map((m) => m.to)).toEqual([[BOB, PAT]]);

    expect(await entryFor('o1@acme.test')).toMatchObject({ status: 'sent', sentAt: NOW.replace('Z', '.000Z'), attempts: 1 });
    // A second run sends nothing again.
    const again = await cli('send-due', '--now', NOW);
    expect(again.stdout).toBe('');
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(1);

    // A queueing MTA delivers the witness after its 250: a later send-due removes it, silently.
    const store = await Store.open(dir);
    await new FollowUpQueue(store.queue).update(e.id, { witnessPending: new Date().toISOString() }, new Date());
    await store.close();
    await pat.seed('INBOX', [{ raw: buildMessage({ from: PAT, to: BOB, subject: 'Re: Budget 2026', messageId: `<${e.messageId}>` }) }]);
    expect(await countById(patImap, 'INBOX', e.messageId)).toBe(1);
    expect((await cli('send-due', '--now', NOW)).stdout).toBe('');
    expect(await countById(patImap, 'INBOX', e.messageId)).toBe(0);
    expect(await countById(patImap, 'Sent', e.messageId)).toBe(1);
    expect((await entryFor('o1@acme.test')).witnessPending).toBeUndefined();

    // The follow-up is now the user's latest mail in the conversation: it waits for a reply again.
    expect((await cli('sync')).code).toBe(0);
    const later = JSON.parse((await cli('unanswered', '--json', '--now', '2026-12-03T12:00:00Z')).stdout) as Array<Record<string, any>>;
    const entry = later.find((u) => u.messageId === e.messageId);
    expect(entry).toMatchObject({ status: 'awaiting', to: [BOB] });
    expect(later.find((u) => u.messageId === 'o1@acme.test')).toBeUndefined();
  });

  it('a reply that lands first (in Junk) cancels it, with or without a sync in between', async () => {
    const e2 = await resendJson('o2@acme.test');
    const e2b = await resendJson('o2b@acme.test');
    const reply = (orig: string, subject: string) => ({
      raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: `Re: ${subject}`, date: 'Mon, 30 Nov 2026 16:20:00 +0100', inReplyTo: `<${orig}>`, references: `<${orig}>` }),
      internalDate: new Date('2026-11-30T15:20:00Z'),
    });
    await pat.seed('Junk', [reply('o2@acme.test', 'Workshop dates')]);
    expect((await cli('sync')).code).toBe(0);
    // This one arrives after the last sync: send-due looks itself before sending.
    await pat.seed('Junk', [reply('o2b@acme.test', 'Venue')]);

    const send = await cli('send-due', '--now', NOW);
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toContain(`cancelled ${e2.id} reply from ${BOB} on 2026-11-30`);
    expect(send.stdout).toContain(`cancelled ${e2b.id} reply from ${BOB} on 2026-11-30`);
    for (const e of [e2, e2b]) {
      expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(0);
      expect(await entryFor(e.originalMessageId)).toMatchObject({ status: 'cancelled', statusReason: `reply from ${BOB} on 2026-11-30` });
    }
    // A conversation that got an answer cannot be followed up.
    const refused = await cli('resend', 'o2@acme.test', '--now', NOW, '--force');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already got an answer from bob@client\.de/);
  });

  it('a refused recipient and a wrong SMTP password fail with the server’s reason, are not retried by send-due; Send now sends exactly once', async () => {
    const e = await resendJson('o3@acme.test');
    smtp.setRefuse((rcpt) => (rcpt === BOB ? '550 5.1.1 mailbox unavailable' : null));
    const first = await cli('send-due', '--now', NOW);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(new RegExp(`^failed ${e.id} 550 5\\.1\\.1 mailbox unavailable \\(attempt 1; not retried: the server refused it for good; .*"triage queue send ${e.id}", or cancel it\\)$`, 'm'));
    expect(await entryFor('o3@acme.test')).toMatchObject({ status: 'failed', statusReason: '550 5.1.1 mailbox unavailable', attempts: 1, permanentFailure: true });
    // The transaction was dropped before the data: not even the witness got a copy.
    expect(smtp.received.some((m) => m.messageId === `<${e.messageId}>`)).toBe(false);
    expect(await countById(patImap, 'INBOX', e.messageId)).toBe(0);
    // Refused for good: the next send-due leaves it alone (issue 17: no hammering).
    smtp.setRefuse(null);
    expect((await cli('send-due', '--now', NOW)).stdout).toBe('');

    smtpUsers[PAT] = 'changed-on-the-server';
    const second = await cli('queue', 'send', e.id, '--now', NOW);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Not sent: authentication failed \(535 Authentication credentials invalid\) \(attempt 2; not retried: check the SMTP password/);

    smtpUsers[PAT] = 'pw-pat';
    const third = await cli('queue', 'send', e.id, '--now', NOW);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain(`sent ${e.id} to ${BOB}`);
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(1);
    expect(await countById(patImap, 'Sent', e.messageId)).toBe(1);
    expect(await entryFor('o3@acme.test')).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('late sends: outside the window it is rescheduled, more than 2 business days late it is held, confirmed it goes', async () => {
    const e = await resendJson('o4@acme.test');
    // 21:00 in Berlin: the app was closed at 11:00; the window is shut → Wednesday 09:00.
    const evening = await cli('send-due', '--now', '2026-12-01T20:00:00Z');
    expect(evening.code).toBe(0);
    expect(evening.stdout).toMatch(new RegExp(`^rescheduled ${e.id} to Wed 2 Dec 09:00 their time \\(Europe/Berlin\\), Wed 2 Dec 08:00 yours`, 'm'));
    expect(await entryFor('o4@acme.test')).toMatchObject({ status: 'scheduled', scheduledAt: '2026-12-02T09:00:00+01:00' });
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(0);

    // Found again on Friday afternoon: Wed 09:00 → Fri 16:00 is 2.9 business days (> 2) → held.
    const friday = await cli('send-due', '--now', '2026-12-04T15:00:00Z');
    expect(friday.stdout).toMatch(new RegExp(`^held ${e.id} 2\\.9 of the recipient's business days late`, 'm'));
    const q = await cli('queue');
    expect(q.stdout).toMatch(new RegExp(`${e.id}\\s+HELD`));
    expect(q.stdout).toContain('1 held for you: send with "triage send-due --confirm ID"');
    expect((await cli('send-due', '--now', '2026-12-04T15:00:00Z')).stdout).toBe(''); // held stays held

    const confirmed = await cli('send-due', '--now', '2026-12-04T15:00:00Z', '--confirm', e.id);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toMatch(new RegExp(`^confirmed ${e.id} confirmed: goes Fri 4 Dec 16:00 their time\\nsent ${e.id} to ${BOB}`, 'm'));
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(1);
  });

  it('queue cancel: a scheduled one is cancelled, a sent one refuses', async () => {
    const e = await resendJson('o5@acme.test');
    const c = await cli('queue', 'cancel', e.id);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`Cancelled follow-up ${e.id}`);
    const sentOne = (await queueJson()).find((x) => x.status === 'sent')!;
    const refuse = await cli('queue', 'cancel', sentOne.id);
    expect(refuse.code).toBe(1);
    expect(refuse.stderr).toMatch(/already sent/);
    expect((await cli('send-due', '--now', NOW)).stdout).toBe('');
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(0);
  });

  it('crash test: kill -9 at 20 moments of a send, then a clean send-due: every follow-up arrives exactly once', async () => {
    // Half the kills wait for a phase the child reports (with a pause right after SMTP acceptance,
    // so that window is hit for sure); half come 20–220 ms after the send started (no pause), spread
    // over the SMTP transaction, the Sent APPEND and the store updates.
    const plan: Array<{ phase?: string; delayMs?: number }> = [
      { phase: 'sending' },
      { phase: 'data-end' },
      { phase: 'smtp-accepted' },
      { phase: 'smtp-accepted' },
      { phase: 'smtp-accepted' },
      { phase: 'accepted-stored' },
      { phase: 'appended' },
      { phase: 'witness-removed' },
      { phase: 'sent' },
      { phase: 'data-end' },
      ...[20, 60, 90, 100, 110, 120, 130, 145, 170, 220].map((delayMs) => ({ delayMs })),
    ];
    const figures: Array<{ run: number; kill: string; killedAt: string; clean: string[]; bob: number; sent: number; witness: number; transactions: number }> = [];
    for (let i = 0; i < plan.length; i++) {
      const original = `crash${i + 1}@acme.test`;
      // Queue it in-process (quicker than a CLI run); the store is closed again before the child runs.
      const store = await Store.open(dir);
      let id: string;
      let messageId: string;
      try {
        const service = new TriageService({ store, secrets: new EnvSecretStore(env) });
        [{ id, messageId }] = await service.resend(original, { now: NOW });
      } finally {
        await store.close();
      }

      const { phase, delayMs } = plan[i];
      const child: ChildProcess = spawnCli(['--data-dir', dir, 'send-due', '--now', NOW], {
        ...env,
        TRIAGE_TEST_TRACE: '1',
        ...(phase ? { TRIAGE_TEST_PAUSE_AFTER_SMTP_MS: '400' } : {}),
      });
      let stderr = '';
      let lastPhase = 'start';
      let timer: NodeJS.Timeout | null = null;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await new Promise<void>((resolve) => {
        const kill = () => {
          child.kill('SIGKILL');
          resolve();
        };
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const m = [...stderr.matchAll(/triage-test: (\S+)/g)].pop();
          if (m) lastPhase = m[1];
          if (phase && stderr.includes(`triage-test: ${phase}\n`)) kill();
          if (delayMs !== undefined && !timer && stderr.includes('triage-test: sending\n')) timer = setTimeout(kill, delayMs);
        });
        void exited.then(() => {
          if (timer) clearTimeout(timer);
          resolve();
        });
      });
      const code = await exited;
      const killedAt = code === null ? lastPhase : `finished (${code})`;

      // Clean runs until nothing is left in flight (an ambiguous one waits GRACE_MS for its witness).
      const clean: string[] = [];
      for (let k = 0; k < 6; k++) {
        const r = await cli('send-due', '--now', NOW);
        const out = r.stdout.trim();
        clean.push(/found on the server/.test(out) ? 'found' : /server had accepted/.test(out) ? 'accepted' : out.split(' ')[0] || `-${r.code}`);
        if (!out) console.log(`run ${i + 1}: empty clean run, exit ${r.code}: ${r.stderr.trim()}`);
        const e = (await queueJson()).find((x) => x.id === id)!;
        if (e.status === 'sent') break;
        expect(['sending', 'scheduled', 'failed'], `${e.status}: ${e.statusReason}`).toContain(e.status);
        await new Promise((r2) => setTimeout(r2, GRACE_MS + 100));
      }
      figures.push({
        run: i + 1,
        kill: phase ? `at ${phase}` : `sending+${delayMs} ms`,
        killedAt,
        clean,
        bob: await countById(bobImap, 'INBOX', messageId),
        sent: await countById(patImap, 'Sent', messageId),
        witness: await countById(patImap, 'INBOX', messageId),
        transactions: smtp.received.filter((m) => m.messageId === `<${messageId}>`).length,
      });
    }
    console.log(['run  kill              killed in        clean runs         bob sent witness smtp', ...figures.map((f) =>
      `${String(f.run).padStart(3)}  ${f.kill.padEnd(16)}  ${f.killedAt.padEnd(15)}  ${f.clean.join(',').padEnd(17)}  ${f.bob}   ${f.sent}    ${f.witness}       ${f.transactions}`)].join('\n'));
    const duplicates = figures.filter((f) => f.bob > 1).length;
    const lost = figures.filter((f) => f.bob < 1).length;
    console.log(`crash test: ${figures.length} runs, ${duplicates} duplicates, ${lost} lost, ${figures.filter((f) => f.killedAt.startsWith('finished')).length} finished before the kill`);
    expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
    for (const f of figures) expect({ run: f.run, bob: f.bob, sent: f.sent, witness: f.witness, transactions: f.transactions }).toEqual({ run: f.run, bob: 1, sent: 1, witness: 0, transactions: 1 });
  }, 600_000);

  it('a plan of three: refused over the cap, queued with --cap 3; step 1 sent now; Bob answers it; send-due cancels steps 2 and 3', async () => {
    const over = await cli('resend', '<o6@acme.test>', '--now', NOW, '--plan', '3', '--json');
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/the limit is 2 per conversation\. Use --plan 2, raise the limit with --cap 3, or use --force\./);
    const r = await cli('resend', '<o6@acme.test>', '--now', NOW, '--plan', '3', '--cap', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const steps = JSON.parse(r.stdout) as Array<Record<string, any>>;
    // Sent Wed 25 Nov; 2 business days later has passed → now; then 4 and 7 business days apart.
    expect(steps.map((s) => [s.step, s.planSize, s.scheduledAt])).toEqual([
      [1, 3, '2026-12-01T11:00:00+01:00'],
      [2, 3, '2026-12-07T11:00:00+01:00'],
      [3, 3, '2026-12-16T11:00:00+01:00'],
    ]);
    expect(new Set(steps.map((s) => s.planId)).size).toBe(1);
    const [s1, s2, s3] = steps;

    // The app's "Send now": send-due's own path, on real servers.
    const now = await cli('queue', 'send', s1.id, '--now', NOW);
    expect(now.code, now.stderr).toBe(0);
    expect(now.stdout).toMatch(new RegExp(`^sent ${s1.id} to ${BOB}: "Re: Proposal"$`, 'm'));
    expect(await countById(bobImap, 'INBOX', s1.messageId)).toBe(1);
    expect(await countById(patImap, 'Sent', s1.messageId)).toBe(1);
    const again = await cli('queue', 'send', s1.id, '--now', NOW);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already sent/);

    // Bob answers the first nudge; step 2 comes due: send-due syncs, sees it, cancels the rest.
    await pat.seed('INBOX', [
      {
        raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Re: Proposal', date: 'Wed, 02 Dec 2026 10:00:00 +0100', inReplyTo: `<${s1.messageId}>`, references: [`<o6@acme.test>`, `<${s1.messageId}>`] }),
        internalDate: new Date('2026-12-02T09:00:00Z'),
      },
    ]);
    const due = await cli('send-due', '--now', '2026-12-07T10:30:00Z');
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toContain(`cancelled ${s2.id} reply from ${BOB} on 2026-12-02 (plan step 2 of 3)`);
    expect(due.stdout).toContain(`cancelled ${s3.id} reply from ${BOB} on 2026-12-02 (plan step 3 of 3)`);
    expect(due.stdout).not.toMatch(/^sent /m);
    const queued = await queueJson();
    for (const s of [s2, s3]) {
      expect(queued.find((e) => e.id === s.id)).toMatchObject({ status: 'cancelled', statusReason: `reply from ${BOB} on 2026-12-02`, attempts: 0 });
      expect(await countById(bobImap, 'INBOX', s.messageId)).toBe(0);
    }
    expect((await cli('send-due', '--now', '2026-12-16T10:30:00Z')).stdout).toBe('');
  });

  it('resend --hold MIN (issue 15): nothing goes before the hold ends, it goes after, with the names in To', async () => {
    // Wednesday, 11:00 in Berlin (inside Bob's window), and later than any --now of the tests
    // above: a send-due of theirs still running cannot take this one.
    const at = '2027-01-13T10:00:00Z';
    const r = await cli('resend', '<o7@acme.test>', '--now', at, '--hold', '10', '--json');
    expect(r.code, r.stderr).toBe(0);
    const [e] = JSON.parse(r.stdout);
    expect(e).toMatchObject({ holdUntil: '2027-01-13T10:10:00.000Z', scheduledAt: '2027-01-13T11:10:00+01:00' });
    expect((await cli('resend', '<o7@acme.test>', '--now', at, '--hold', '121')).code).toBe(2);
    const early = await cli('send-due', '--now', '2027-01-13T10:09:59Z', '--json');
    expect(early.code, early.stderr).toBe(0);
    expect(JSON.parse(early.stdout).filter((x: { id: string }) => x.id === e.id)).toEqual([]);
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(0);
    const late = await cli('send-due', '--now', '2027-01-13T10:10:30Z', '--json');
    expect(JSON.parse(late.stdout).find((x: { id: string }) => x.id === e.id)?.action).toBe('sent');
    expect(await countById(bobImap, 'INBOX', e.messageId)).toBe(1);
    const head = await headersOf(bobImap, 'INBOX', e.messageId);
    expect(header(head, 'To')).toBe('Bob Maier <bob@client.de>');
  });
});
