// Where the witness copy goes (issue 17, item 5). It used to go to the From address, which may be
// a shared alias: the group received every follow-up, and an alias delivered elsewhere left no
// copy in the user's mailbox, so a crash after DATA sent a second time. Now: the login when it is
// an address; else a `+` sub-address checked once by a delivery probe and remembered on the
// account; else none, and an ambiguous end waits for the user instead of sending again.
//
// The rig stands in for the cases: on Dovecot, `sales@acme.test` is a mailbox of its own (the
// group an alias reaches); a login without a domain (`sam`) has no address LMTP delivers to, as
// with an alias delivered elsewhere. On Cyrus, a login without a domain lives in the server's
// default domain, and `solo+triage-witness@<domain>` reaches solo's INBOX (RFC 5233).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { startCyrus, type CyrusServer } from '../rig/cyrus.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import type { MailUser } from '../rig/imap-server.js';
import { removeDir, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import type { AccountConfig } from '../../main/core/model.js';
import { followUpDeps, followUpsOver } from '../unit/followup/follow-up-deps.js';
import { BOB, NOW, PAT, bobsHello, countById, minutesAfter, original, patAccount, sleep } from './followup-helpers.js';

const SALES = 'sales@acme.test';

/** The use cases for one account, with its password, a fixed clock, a 1 s grace and a 3 s probe. */
function useCases(store: Store, account: string, password: string) {
  const deps = followUpDeps(store, { now: () => new Date(NOW), secrets: new EnvSecretStore({ [`TRIAGE_PASSWORD_${account.toUpperCase()}`]: password }), graceMs: 1000 });
  deps.witnessProbeMs = 3000;
  return { deps, f: followUpsOver(deps) };
}

/** A crash right after the server's 250, before anything was recorded (the process dies there). */
const crashAfterAcceptance = (id: string) => async (phase: string, entryId: string) => {
  if (phase === 'smtp-accepted' && entryId === id) throw new Error('simulated crash after the server accepted');
};

describe('the witness on Dovecot', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let pat: MailUser;
  let sales: MailUser;
  let sam: MailUser;
  let store: Store;
  const dir = tempDir('triage-witness-');
  const samDir = tempDir('triage-witness-sam-');
  const transactions = (messageId: string) => smtp.received.filter((m) => m.messageId === `<${messageId}>`);

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser(PAT, 'pw-pat');
    sales = await dovecot.addUser(SALES, 'pw-sales');
    sam = await dovecot.addUser('sam', 'pw-sam');
    await dovecot.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: { [PAT]: 'pw-pat', sam: 'pw-sam' } });
    await pat.seed('Sent', ['w1', 'w2'].map((n) => original(n, `Sales Team <${SALES}>`)));
    await pat.seed('INBOX', [bobsHello()]);
    await sam.seed('Sent', [original('w3', 'Sam <sam@acme.test>')]);
    await sam.seed('INBOX', [bobsHello()]);
    store = await Store.open(dir);
    await store.saveAccount(patAccount(dovecot, smtp, { addresses: [PAT, SALES] }));
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dir);
    removeDir(samDir);
  });

  it('a follow-up from a shared alias: the witness goes to the login address, the group’s mailbox gets nothing', async () => {
    const { deps, f } = useCases(store, 'pat', 'pw-pat');
    await deps.sync('pat');
    const [e] = await f.resend('<w1@acme.test>', { now: NOW });
    expect(e.from.address).toBe(SALES);
    const [r] = await f.sendDue({ now: NOW });
    expect(r).toMatchObject({ id: e.id, action: 'sent' });
    expect(transactions(e.messageId).map((t) => t.to)).toEqual([[BOB, PAT]]);
    expect(await countById(dovecot, sales, 'INBOX', e.messageId)).toBe(0);
    expect(await countById(dovecot, pat, 'INBOX', e.messageId)).toBe(0); // the witness, deleted
    expect(await countById(dovecot, pat, 'Sent', e.messageId)).toBe(1);
  });

  it('a crash right after the server accepted a follow-up from the alias: found by its witness, not sent again', async () => {
    const { deps, f } = useCases(store, 'pat', 'pw-pat');
    await deps.sync('pat');
    const [e] = await f.resend('<w2@acme.test>', { now: NOW });
    deps.onSendPhase = crashAfterAcceptance(e.id);
    expect(await f.sendDue({ now: NOW })).toMatchObject([{ id: e.id, action: 'failed' }]);
    deps.onSendPhase = undefined;
    await sleep(1100); // the witness grace
    const [r] = await f.sendDue({ now: minutesAfter(NOW, 2) });
    expect(r).toMatchObject({ id: e.id, action: 'sent' });
    expect(r.actionText).toMatch(/found on the server/);
    expect(transactions(e.messageId)).toHaveLength(1);
    expect(await countById(dovecot, sales, 'INBOX', e.messageId)).toBe(0);
  });

  it('a login that is no address and a probe that never arrives: no witness; a crash after DATA is not sent again, the user is asked; Send now sends it', async () => {
    const s = await Store.open(samDir);
    try {
      const account: AccountConfig = {
        ...patAccount(dovecot, smtp, { addresses: ['sam@acme.test'] }),
        name: 'sam',
        imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: 'sam' },
        smtp: { host: smtp.host, port: smtp.port, security: 'none', user: 'sam' },
      };
      await s.saveAccount(account);
      const { deps, f } = useCases(s, 'sam', 'pw-sam');
      await deps.sync('sam');
      const [e] = await f.resend('<w3@acme.test>', { now: NOW });
      deps.onSendPhase = crashAfterAcceptance(e.id);
      await f.sendDue({ now: NOW });
      deps.onSendPhase = undefined;
      // The probe went to sam+triage-witness@acme.test and never reached the mailbox.
      expect((await s.getAccount('sam'))!.witness).toMatchObject({ address: null, note: expect.stringMatching(/did not arrive in this mailbox within 3 s/) });
      expect(transactions(e.messageId).map((t) => t.to)).toEqual([[BOB]]);

      await sleep(1100);
      const [r] = await f.sendDue({ now: minutesAfter(NOW, 2) });
      expect(r).toMatchObject({ id: e.id, action: 'failed', state: 'failed', permanentFailure: true, maybeAccepted: true });
      expect(r.actionText).toMatch(/^may have gone out: .*without a witness copy there is no way to tell \(attempt 1; not retried: if it did not reach them, send it again with "triage queue send \w+", or cancel it\)$/);
      expect(transactions(e.messageId)).toHaveLength(1);
      expect(await f.sendDue({ now: minutesAfter(NOW, 90) })).toEqual([]);

      const now = await f.sendNow(e.id, { now: minutesAfter(NOW, 90) });
      expect(now).toMatchObject({ action: 'sent' });
      expect(transactions(e.messageId)).toHaveLength(2); // the user's decision
      // No witness was sent: none is looked for later either.
      expect((await f.queue.get(e.id))!.witnessPending).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

describe('the witness on Cyrus', () => {
  let cyrus: CyrusServer;
  let smtp: SmtpServer;
  let solo: MailUser;
  let store: Store;
  const dir = tempDir('triage-witness-cyrus-');
  let address: string;
  const transactions = (messageId: string) => smtp.received.filter((m) => m.messageId === `<${messageId}>`);

  beforeAll(async () => {
    cyrus = await startCyrus();
    solo = await cyrus.addUser('solo', 'pw-solo');
    await cyrus.addUser(BOB, 'pw-bob');
    address = `solo@${cyrus.serverName}`;
    smtp = await startSmtp({ lmtpPort: cyrus.lmtpPort, auth: { solo: 'pw-solo' } });
    await solo.seed('Sent', ['y1', 'y2'].map((n) => original(n, `Solo <${address}>`)));
    await solo.seed('INBOX', [bobsHello()]);
    store = await Store.open(dir);
    await store.saveAccount({
      ...patAccount(cyrus, smtp, { addresses: [address] }),
      name: 'solo',
      imap: { host: '127.0.0.1', port: cyrus.port, security: 'none', user: 'solo' },
      smtp: { host: smtp.host, port: smtp.port, security: 'none', user: 'solo' },
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await smtp?.close();
    await cyrus?.stop();
    removeDir(dir);
  });

  it('a login that is no address: one delivery probe to the + sub-address finds the mailbox, is deleted, and is remembered; witness copies go there', async () => {
    const { deps, f } = useCases(store, 'solo', 'pw-solo');
    await deps.sync('solo');
    const [e1] = await f.resend('<y1@acme.test>', { now: NOW });
    expect(await f.sendDue({ now: NOW })).toMatchObject([{ id: e1.id, action: 'sent' }]);
    const witness = `solo+triage-witness@${cyrus.serverName}`;
    expect((await store.getAccount('solo'))!.witness).toMatchObject({ address: witness });
    const probes = smtp.received.filter((m) => m.to.length === 1 && m.to[0] === witness);
    expect(probes).toHaveLength(1);
    expect(transactions(e1.messageId).map((t) => t.to)).toEqual([[BOB, witness]]);
    // Neither the probe nor the witness copy stays in the mailbox.
    expect(await countById(cyrus, solo, 'INBOX', probes[0].messageId!.slice(1, -1))).toBe(0);
    expect(await countById(cyrus, solo, 'INBOX', e1.messageId)).toBe(0);
    expect(await countById(cyrus, solo, 'Sent', e1.messageId)).toBe(1);

    const [e2] = await f.resend('<y2@acme.test>', { now: NOW });
    expect(await f.sendDue({ now: NOW })).toMatchObject([{ id: e2.id, action: 'sent' }]);
    expect(smtp.received.filter((m) => m.to.length === 1 && m.to[0] === witness)).toHaveLength(1); // no second probe
    expect(transactions(e2.messageId).map((t) => t.to)).toEqual([[BOB, witness]]);
  });
});

