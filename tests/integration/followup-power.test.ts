// A simulated power cut under `triage send-due` (issue 17, items 3 and the closing note), on a
// real Dovecot and the rig's SMTP server. The child records what each fsync made durable
// (tests/rig/power-loss.mjs); it is killed with SIGKILL at a phase of the send, then every file
// of the data dir goes back to what its last fsync covered (the page cache is lost), and clean
// send-due runs follow. Counted: follow-ups Bob got twice (duplicates) or never (losses).
//
// The control run shows the model can see a fault: with the queue's fsyncs counting for nothing
// (as before issue 17, when nedb appends were not fsynced), a cut after the server accepted puts
// the entry back to 'scheduled' and it is sent a second time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { cutPower, powerLossEnv } from '../rig/power-loss.js';
import { removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { BOB, NOW, PAT, addPatArgs, bobsHello, countById, followUpsIn, minutesAfter, original, sendDueKilledAt, withStore } from './followup-helpers.js';

const PHASES = ['sending', 'data-end', 'smtp-accepted', 'accepted-stored', 'appended', 'witness-removed', 'sent'];
const CONTROL = ['smtp-accepted', 'accepted-stored'];

describe('power cut under send-due (Dovecot + SMTP)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let pat: MailUser;
  let bob: MailUser;
  const dir = tempDir('triage-power-');
  const logs = tempDir('triage-power-logs-');
  const env = { TRIAGE_PASSWORD: 'pw-pat', TRIAGE_WITNESS_GRACE_MS: '1000' };
  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], env);
  let n = 0;

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    bob = await dovecot.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: { [PAT]: 'pw-pat' } });
    await pat.seed('Sent', Array.from({ length: PHASES.length + CONTROL.length }, (_, i) => original(`p${i + 1}`)));
    await pat.seed('INBOX', [bobsHello()]);
    expect((await cli(...addPatArgs(dovecot, smtp))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dir);
    removeDir(logs);
  });

  /** One follow-up through a power cut at `phase`: what Bob got, and what the cut dropped. */
  async function cutAt(phase: string, ignore?: string) {
    n += 1;
    const [e] = await withStore(dir, async (s) => followUpsIn(s, 'pw-pat').f.resend(`<p${n}@acme.test>`, { now: NOW }));
    const log = join(logs, `run-${n}.jsonl`);
    const killedAt = await sendDueKilledAt(spawnCli, ['--data-dir', dir, 'send-due', '--now', NOW], { ...env, ...powerLossEnv(log, ignore) }, phase);
    const cuts = cutPower(dir, log);
    const clean: string[] = [];
    for (let k = 0; k < 4; k++) {
      const r = await cli('send-due', '--now', minutesAfter(NOW, 30 * (k + 1)));
      clean.push(r.stdout.trim().split(' ')[0] || `-${r.code}`);
      const state = await withStore(dir, async (s) => (await followUpsIn(s, 'pw-pat').f.queue.get(e.id))!.status);
      if (state === 'sent') break;
      await new Promise((r2) => setTimeout(r2, 1100));
    }
    const bobGot = await countById(dovecot, bob, 'INBOX', e.messageId);
    const row = `cut at ${phase.padEnd(16)}${ignore ? ` (no fsync of ${ignore})` : ''} killed in ${killedAt.padEnd(16)} dropped ${cuts.map((c) => `${c.file} -${c.size - c.durable} B`).join(', ') || 'nothing'}; clean ${clean.join(',')}; bob ${bobGot}, sent ${await countById(dovecot, pat, 'Sent', e.messageId)}`;
    return { bobGot, row };
  }

  it('a power cut at each phase of a send: no duplicate, no loss', async () => {
    const runs = [];
    for (const phase of PHASES) runs.push(await cutAt(phase));
    const duplicates = runs.filter((r) => r.bobGot > 1).length;
    const lost = runs.filter((r) => r.bobGot < 1).length;
    console.log([...runs.map((r) => r.row), `power cut: ${runs.length} runs, ${duplicates} duplicates, ${lost} lost`].join('\n'));
    expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
  }, 900_000);

  it('control: with the queue’s fsyncs counting for nothing, a cut after the server accepted sends twice (the model sees the fault)', async () => {
    const runs = [];
    for (const phase of CONTROL) runs.push(await cutAt(phase, 'queue.db'));
    console.log(runs.map((r) => r.row).join('\n'));
    expect(runs.map((r) => r.bobGot)).toEqual(CONTROL.map(() => 2));
  }, 600_000);
});
