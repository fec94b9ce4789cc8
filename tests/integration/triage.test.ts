// The first two jobs end to end through the CLI against each rig server (Dovecot and Cyrus): a
// seeded mailbox → `triage sync` → `triage unanswered --json` / `triage junk --json` → `triage
// rescue`. A server that allows no keywords is imitated with Dovecot behind a rewriting proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig, type MailUser } from '../rig/servers.js';
import { buildMessage } from '../rig/mail.js';
import { startProxy } from '../rig/proxy.js';
import { imapClient, removeDir, runCli, tempDir } from './helpers.js';

const NOW = '2026-11-20T12:00:00Z';
const day = (d: number, h = 9) => new Date(Date.UTC(2026, 10, d, h));
const AUTH_PASS = (domain: string) => `mx.acme.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;

describe.each(SERVER_KINDS)('unanswered and junk through the CLI on %s', (kind) => {
  let server: ImapServerRig;
  let user: MailUser;
  const dir = tempDir();
  const env = { TRIAGE_PASSWORD: 'pw-pat' };
  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], env);

  beforeAll(async () => {
    server = await IMAP_SERVERS[kind]();
    user = await server.addUser('pat@acme.test', 'pw-pat', 'standard');
    const me = 'Pat Doe <pat@acme.test>';
    await user.seed('Sent', [
      // 1. answered: the reply sits in the Archive
      { raw: buildMessage({ from: me, to: 'Anna Berg <anna@client.test>', subject: 'Proposal', date: day(2), messageId: '<s1@acme.test>' }) },
      // 2. unanswered (only an out-of-office came back)
      { raw: buildMessage({ from: me, to: 'Bob <bob@corp.test>', subject: 'Contract draft', date: day(3), messageId: '<s2@acme.test>' }) },
      // 3. answered, the reply landed in Junk
      { raw: buildMessage({ from: me, to: 'Carla <carla@partner.test>', subject: 'Workshop dates', date: day(4), messageId: '<s3@acme.test>' }) },
      // 4. too young (min-age 24 h)
      { raw: buildMessage({ from: me, to: 'dan@client.test', subject: 'Quick question', date: new Date('2026-11-20T06:00:00Z'), messageId: '<s4@acme.test>' }) },
      // 5. only to myself
      { raw: buildMessage({ from: me, to: 'pat@acme.test', subject: 'Note to self', date: day(5), messageId: '<s5@acme.test>' }) },
      // 6. bounced
      { raw: buildMessage({ from: me, to: 'nobody@gone.test', subject: 'Invoice', date: day(6), messageId: '<s6@acme.test>' }) },
    ]);
    await user.seed('Archive', [
      { raw: buildMessage({ from: 'Anna Berg <anna@client.test>', to: 'pat@acme.test', subject: 'Re: Proposal', date: day(3), inReplyTo: '<s1@acme.test>', references: '<s1@acme.test>' }) },
    ]);
    await user.seed('INBOX', [
      {
        raw: buildMessage({
          from: 'Bob <bob@corp.test>',
          to: 'pat@acme.test',
          subject: 'Automatic reply: Contract draft',
          date: day(3, 10),
          inReplyTo: '<s2@acme.test>',
          headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
          body: 'I am out of the office and will be back on Monday, November 30.\n',
        }),
      },
      {
        raw: buildMessage({
          from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
          to: 'pat@acme.test',
          subject: 'Undelivered Mail Returned to Sender',
          date: day(6, 10),
          headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"', 'Auto-Submitted': 'auto-replied' },
          body: '--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.test\r\n\r\nFinal-Recipient: rfc822; nobody@gone.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <s6@acme.test>\r\nSubject: Invoice\r\n--b1--\r\n',
        }),
      },
    ]);
    await user.seed('Junk', [
      { raw: buildMessage({ from: 'Carla <carla@partner.test>', to: 'pat@acme.test', subject: 'Re: Workshop dates', date: day(5), messageId: '<j1@partner.test>', inReplyTo: '<s3@acme.test>', references: '<s3@acme.test>', headers: { 'Authentication-Results': AUTH_PASS('partner.test') } }) },
      { raw: buildMessage({ from: 'Anna Berg <anna.berg.invoices@gmail.test>', to: 'pat@acme.test', subject: 'Urgent: updated bank details', date: day(7), messageId: '<j2@evil.test>', headers: { 'Authentication-Results': 'mx.acme.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=gmail.test' } }) },
      { raw: buildMessage({ from: 'Prize Center <win@lottery.test>', to: 'pat@acme.test', subject: 'You won', date: day(7), messageId: '<j3@lottery.test>' }) },
    ]);
    const add = await cli('account', 'add', 'work', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--security', 'none', '--timezone', 'Europe/Berlin');
    expect(add.code, add.stderr).toBe(0);
    const sync = await cli('sync');
    expect(sync.code, sync.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    removeDir(dir);
  });

  it('lists exactly the conversations awaiting a reply, with bounce and out-of-office', async () => {
    const res = await cli('unanswered', '--json', '--now', NOW);
    expect(res.code, res.stderr).toBe(0);
    const entries = JSON.parse(res.stdout);
    const byId = Object.fromEntries(entries.map((e: { messageId: string }) => [e.messageId, e]));
    expect(Object.keys(byId).sort()).toEqual(['s2@acme.test', 's6@acme.test']);
    expect(byId['s2@acme.test']).toMatchObject({ account: 'work', subject: 'Contract draft', to: ['bob@corp.test'], status: 'awaiting', sentAt: '2026-11-03T09:00:00.000Z', ageHours: 411, awaitingFrom: ['bob@corp.test'] });
    expect(String(byId['s2@acme.test'].outOfOfficeUntil)).toMatch(/^2026-11-30/);
    expect(byId['s6@acme.test'].status).toBe('bounced');
    expect(typeof byId['s2@acme.test'].id).toBe('string');

    // the young mail appears once --min-age allows it
    const young = JSON.parse((await cli('unanswered', '--json', '--now', NOW, '--min-age', '1')).stdout);
    expect(young.map((e: { messageId: string }) => e.messageId)).toContain('s4@acme.test');

    const table = await cli('unanswered', '--now', NOW);
    expect(table.stdout).toMatch(/AGE\s+AWAITING\s+SUBJECT/);
    expect(table.stdout).toMatch(/BOUNCED Invoice/);
  });

  it('junk: the known contact to rescue first, the display-name spoof suspicious, the stranger not listed', async () => {
    const res = await cli('junk', '--json');
    expect(res.code, res.stderr).toBe(0);
    const entries = JSON.parse(res.stdout);
    expect(entries.map((e: { messageId: string; verdict: string }) => [e.messageId, e.verdict])).toEqual([
      ['j1@partner.test', 'rescue'],
      ['j2@evil.test', 'suspicious'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ account: 'work', from: expect.any(String), subject: expect.any(String), receivedAt: expect.any(String) });
      expect(e.reasons.length).toBeGreaterThan(0);
    }
  });

  it('rescue moves the mail to the Inbox with the keywords, undo moves it back; a suspicious one needs --force', async () => {
    const suspicious = await cli('rescue', 'j2@evil.test');
    expect(suspicious.code).toBe(1);
    expect(suspicious.stderr).toMatch(/looks forged.*--force/);

    const res = await cli('rescue', '<j1@partner.test>');
    expect(res.code, res.stderr).toBe(0);
    const imap = await imapClient(server, user);
    await imap.mailboxOpen('INBOX');
    const [uid] = (await imap.search({ header: { 'message-id': '<j1@partner.test>' } }, { uid: true })) || [];
    expect(uid).toBeGreaterThan(0);
    const msg = await imap.fetchOne(String(uid), { flags: true }, { uid: true });
    expect(msg && [...msg.flags!]).toEqual(expect.arrayContaining(['$NotJunk', 'NonJunk']));
    await imap.mailboxOpen('Junk');
    expect((await imap.search({ header: { 'message-id': '<j1@partner.test>' } }, { uid: true })) || []).toEqual([]);

    // the store follows at once: not listed in junk any more
    const junk = JSON.parse((await cli('junk', '--json')).stdout);
    expect(junk.map((e: { messageId: string }) => e.messageId)).not.toContain('j1@partner.test');

    const undo = await cli('rescue', 'j1@partner.test', '--undo');
    expect(undo.code, undo.stderr).toBe(0);
    await imap.mailboxOpen('Junk');
    const [back] = (await imap.search({ header: { 'message-id': '<j1@partner.test>' } }, { uid: true })) || [];
    expect(back).toBeGreaterThan(0);
    const again = await imap.fetchOne(String(back), { flags: true }, { uid: true });
    expect(again && [...again.flags!]).toEqual(expect.arrayContaining(['$Junk', 'Junk']));
    expect(again && [...again.flags!]).not.toContain('$NotJunk');
    await imap.logout();

    // and a sync afterwards agrees with the server: one record, in Junk only
    expect((await cli('sync')).code).toBe(0);
    const after = JSON.parse((await cli('junk', '--json')).stdout);
    expect(after.map((e: { messageId: string }) => e.messageId)).toContain('j1@partner.test');

    const forced = await cli('rescue', 'j2@evil.test', '--force');
    expect(forced.code, forced.stderr).toBe(0);
  }, 180_000); // eight CLI runs: 47 s with the two cores shared

});

describe('a server that allows no keywords (Dovecot behind a rewriting proxy)', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('still gets the move', async () => {
    // Imitates servers that allow no keywords (RFC 3501 §7.1: no "\\*" in PERMANENTFLAGS), by
    // rewriting Dovecot's answer on the way through the rig's proxy.
    const other = await server.addUser('kw@acme.test', 'pw-kw', 'standard');
    await other.seed('Sent', [{ raw: buildMessage({ from: 'kw@acme.test', to: 'Carla <carla@partner.test>', subject: 'Hello', date: day(2), messageId: '<kw-s1@acme.test>' }) }]);
    await other.seed('Junk', [
      { raw: buildMessage({ from: 'Carla <carla@partner.test>', to: 'kw@acme.test', subject: 'Re: Hello', date: day(3), messageId: '<kw-j1@partner.test>', inReplyTo: '<kw-s1@acme.test>', headers: { 'Authentication-Results': AUTH_PASS('partner.test') } }) },
    ]);
    const proxy = await startProxy(server.port, {
      fromServer: (chunk) => Buffer.from(chunk.toString('latin1').replace(/(\[PERMANENTFLAGS \([^)]*?) ?\\\*\)/g, '$1)'), 'latin1'),
    });
    const kdir = tempDir();
    const kcli = (...args: string[]) => runCli(['--data-dir', kdir, ...args], { TRIAGE_PASSWORD: 'pw-kw' });
    expect((await kcli('account', 'add', 'kw', '--imap-host', '127.0.0.1', '--imap-port', String(proxy.port), '--user', other.user, '--security', 'none')).code).toBe(0);
    expect((await kcli('sync')).code).toBe(0);
    const res = await kcli('rescue', 'kw-j1@partner.test');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/does not allow keywords/);
    const check = await imapClient(server, other);
    await check.mailboxOpen('INBOX');
    const uids = (await check.search({ header: { 'message-id': '<kw-j1@partner.test>' } }, { uid: true })) || [];
    expect(uids.length).toBe(1);
    const msg = await check.fetchOne(String(uids[0]), { flags: true }, { uid: true });
    expect(msg && [...msg.flags!]).not.toContain('$NotJunk');
    await check.logout();
    await proxy.close();
    removeDir(kdir);
  });
});
