// The follow-up send path on every IMAP server of the rig (Dovecot, and Cyrus, what Fastmail
// runs), with the rig's SMTP server delivering into the same server over LMTP: the send, the
// Sent copy (CRLF: Cyrus refuses bare LF, issue 17 item 10), an APPEND the server refuses (the
// user reads the server's own words), and the recovery after a kill -9 at the moments that
// matter (send-due as a child process, killed when it reports the phase).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig, type MailUser } from '../rig/servers.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { ImapWire } from '../rig/imap-wire.js';
import { removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { BOB, NOW, PAT, addPatArgs, bobsHello, countById, followUpsIn, minutesAfter, original, patAccount, sendDueKilledAt, sourceById, withStore } from './followup-helpers.js';

const CRASH_PHASES = ['sending', 'data-end', 'smtp-accepted', 'accepted-stored', 'appended', 'witness-removed'];

describe.each(SERVER_KINDS)('the follow-up send path on %s', (kind) => {
  let server: ImapServerRig;
  let smtp: SmtpServer;
  let pat: MailUser;
  let bob: MailUser;
  let store: Store;
  const dir = tempDir(`triage-send-${kind}-`);
  const crashDir = tempDir(`triage-crash-${kind}-`);
  const received = (messageId: string) => smtp.received.filter((m) => m.messageId === `<${messageId}>`);

  beforeAll(async () => {
    server = await IMAP_SERVERS[kind]();
    pat = await server.addUser(PAT, 'pw-pat');
    bob = await server.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: server.lmtpPort, auth: { [PAT]: 'pw-pat' } });
    await pat.seed(pat.folders.sent, ['v1', 'v2'].map((n) => original(n)));
    await pat.seed('INBOX', [bobsHello()]);
    store = await Store.open(dir);
    await store.saveAccount(patAccount(server, smtp));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await smtp?.close();
    await server?.stop();
    removeDir(dir);
    removeDir(crashDir);
  });

  it('sends once; the Sent copy is the bytes Bob got, CRLF throughout; the witness is gone; the entry is sent', async () => {
    const { deps, f } = followUpsIn(store, 'pw-pat');
    await deps.sync('pat');
    const [e] = await f.resend('<v1@acme.test>', { now: NOW });
    const results = await f.sendDue({ now: NOW });
    expect(results.map((r) => [r.id, r.action, r.actionText])).toEqual([[e.id, 'sent', `to ${BOB}: "Re: Topic v1"`]]);
    expect(received(e.messageId)).toHaveLength(1);
    expect(await countById(server, bob, 'INBOX', e.messageId)).toBe(1);
    expect(await countById(server, pat, pat.folders.sent, e.messageId)).toBe(1);
    expect(await countById(server, pat, 'INBOX', e.messageId)).toBe(0);
    const copy = (await sourceById(server, pat, pat.folders.sent, e.messageId))!;
    expect(copy.toString('latin1')).not.toMatch(/(^|[^\r])\n/); // no bare LF
    expect(copy.equals(received(e.messageId)[0].raw)).toBe(true);
    expect(await f.queue.get(e.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a Sent APPEND the server refuses: the user reads the server’s own words; once Sent is back, the next send-due finishes without sending again', async () => {
    const { deps, f } = followUpsIn(store, 'pw-pat');
    await deps.sync('pat');
    const [e] = await f.resend('<v2@acme.test>', { now: NOW });
    deps.onSendPhase = async (phase) => {
      if (phase !== 'smtp-accepted') return;
      // Sent goes away between the sync and the APPEND. Cyrus protects a special-use folder
      // from DELETE (specialuse_protect): its attribute goes first.
      const wire = await ImapWire.login(server.port, pat.user, pat.password);
      try {
        if (kind === 'cyrus') await wire.setSpecialUse(pat.folders.sent, null);
        await wire.run(`DELETE "${pat.folders.sent}"`);
      } finally {
        wire.close();
      }
    };
    const [failed] = await f.sendDue({ now: NOW });
    expect(failed).toMatchObject({ id: e.id, action: 'failed' });
    // The server's words (TRYCREATE: RFC 3501 §6.3.11), never imapflow's bare "Command failed".
    expect(failed.actionText).toMatch(/NO \[TRYCREATE\] Mailbox does(n't| not) exist/);
    expect(failed.actionText).not.toMatch(/Command failed/);
    expect(received(e.messageId)).toHaveLength(1);

    deps.onSendPhase = undefined;
    await pat.createFolder(pat.folders.sent);
    const later = minutesAfter(NOW, 90);
    const [done] = await f.sendDue({ now: later });
    expect(done).toMatchObject({ id: e.id, action: 'sent' });
    expect(received(e.messageId)).toHaveLength(1);
    expect(await countById(server, bob, 'INBOX', e.messageId)).toBe(1);
    expect(await countById(server, pat, pat.folders.sent, e.messageId)).toBe(1);
    expect(await countById(server, pat, 'INBOX', e.messageId)).toBe(0);
  });

  it('kill -9 of send-due at each phase that matters, then clean runs: every follow-up arrives exactly once, with one Sent copy', async () => {
    const env = { TRIAGE_PASSWORD: 'pw-pat', TRIAGE_WITNESS_GRACE_MS: '1000' };
    const cli = (...args: string[]) => runCli(['--data-dir', crashDir, ...args], env);
    // Seeded here: the test before re-creates Sent.
    await pat.seed(pat.folders.sent, CRASH_PHASES.map((_, i) => original(`k${i + 1}`)));
    expect((await cli(...addPatArgs(server, smtp))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    const rows: string[] = [];
    const figures: Array<{ bob: number; sent: number; witness: number; smtp: number }> = [];
    for (const [i, phase] of CRASH_PHASES.entries()) {
      const [e] = await withStore(crashDir, async (s) => followUpsIn(s, 'pw-pat').f.resend(`<k${i + 1}@acme.test>`, { now: NOW }));
      const killedAt = await sendDueKilledAt(spawnCli, ['--data-dir', crashDir, 'send-due', '--now', NOW], env, phase);
      const clean: string[] = [];
      for (let k = 0; k < 4; k++) {
        const r = await cli('send-due', '--now', minutesAfter(NOW, 30 * (k + 1)));
        clean.push(r.stdout.trim().split(' ')[0] || `-${r.code}`);
        const state = await withStore(crashDir, async (s) => (await followUpsIn(s, 'pw-pat').f.queue.get(e.id))!.status);
        if (state === 'sent') break;
        await new Promise((r2) => setTimeout(r2, 1100));
      }
      const f = { bob: await countById(server, bob, 'INBOX', e.messageId), sent: await countById(server, pat, pat.folders.sent, e.messageId), witness: await countById(server, pat, 'INBOX', e.messageId), smtp: received(e.messageId).length };
      figures.push(f);
      rows.push(`${kind} kill at ${phase.padEnd(16)} killed in ${killedAt.padEnd(16)} clean ${clean.join(',').padEnd(12)} bob ${f.bob} sent ${f.sent} witness ${f.witness} smtp ${f.smtp}`);
    }
    console.log(rows.join('\n'));
    expect(figures).toEqual(CRASH_PHASES.map(() => ({ bob: 1, sent: 1, witness: 0, smtp: 1 })));
  }, 600_000);
});
