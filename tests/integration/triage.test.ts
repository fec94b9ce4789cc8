// The first two jobs end to end through the CLI against each rig server (Dovecot and Cyrus): a
// seeded mailbox → `triage sync` → `triage unanswered --json` / `triage junk --json` → `triage
// rescue`. A server that allows no keywords is imitated with Dovecot behind a rewriting proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig, type MailUser } from '../rig/servers.js';
import { buildMessage, rfc5322Date } from '../rig/mail.js';
import { startProxy } from '../rig/proxy.js';
import { imapClient, removeDir, runCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';

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

describe('on Dovecot: a bounce by address, provider verdicts, and a server that allows no keywords (behind a rewriting proxy)', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('issue 14 (Dovecot): a bounce that names only the address, the provider\'s verdict, and a failure from a server not learned', async () => {
    const pv = await server.addUser('pv@acme.test', 'pw-pv', 'standard');
    const me = 'Pat Doe <pv@acme.test>';
    const lines = (...l: string[]) => l.join('\r\n') + '\r\n';
    const PROVIDER_AR = (domain: string) => `mx.provider.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;
    await pv.seed('Sent', [
      { raw: buildMessage({ from: me, to: 'Jordan Lee <jordan@northwind.test>', subject: 'PO 4471', date: day(2), messageId: '<pv-s1@acme.test>' }) },
      { raw: buildMessage({ from: me, to: 'Carla <carla@partner.test>', subject: 'Workshop', date: day(2, 10), messageId: '<pv-s2@acme.test>' }) },
      // The Sent copy's Message-ID is not the one that went out (a server set its own).
      { raw: buildMessage({ from: me, to: 'Old Friend <old@gone.test>', subject: 'Price list', date: day(6), messageId: '<pv-s3-sent-copy@acme.test>' }) },
    ]);
    await pv.seed('INBOX', [
      // The account's receiver (mx.provider.test) stamps its mail; its SpamAssassin header is
      // not fetched outside Junk.
      ...['a', 'b', 'c'].map((n, i) => ({ raw: buildMessage({ from: `Contact ${n} <${n}@client${i}.test>`, to: 'pv@acme.test', subject: `Hello ${n}`, date: day(1, 8 + i), headers: { 'Authentication-Results': PROVIDER_AR(`client${i}.test`), 'X-Spam-Status': 'No, score=0.1 required=5.0 tests=NONE' } }) })),
      {
        raw: lines(
          'Return-path: <>',
          'X-Failed-Recipients: old@gone.test',
          'From: Mail Delivery System <Mailer-Daemon@mx.provider.test>',
          'To: pv@acme.test',
          'Subject: Mail delivery failed: returning message to sender',
          `Date: ${rfc5322Date(day(6, 0))}`.replace(/00:00:00/, '09:05:00'),
          'Message-Id: <E1bounce-pv@mx.provider.test>',
          '',
          'This message was created automatically by mail delivery software.',
          '',
          'A message that you sent could not be delivered to one or more of its',
          'recipients. This is a permanent error. The following address(es) failed:',
          '',
          '  old@gone.test',
          '    550 5.1.1 mailbox unavailable',
          '',
          '------ This is a copy of the body of the message, without the headers. ------',
          '',
          'Old friend, the price list.',
        ),
      },
    ]);
    const spamStatus = (score: string, tests: string) => `${Number(score) >= 5 ? 'Yes' : 'No'}, score=${score} required=5.0 tests=${tests} autolearn=no version=3.4.6`;
    await pv.seed('Junk', [
      {
        raw: lines(
          `X-Spam-Status: ${spamStatus('7.9', 'DKIM_INVALID,SPF_FAIL')}`,
          'Received: from mail.northwind-freiqht.test (unknown [203.0.113.45]) by mail.acme-widgets.test (Postfix) with ESMTP id 4Xk2',
          'Authentication-Results: mail.acme-widgets.test; spf=fail smtp.mailfrom=jordan@northwind.test; dkim=fail header.d=northwind.test',
          'From: Jordan Lee <jordan@northwind.test>',
          'To: pv@acme.test',
          'Subject: Revised freight invoice',
          `Date: ${rfc5322Date(day(7))}`,
          'Message-ID: <pv-j1@northwind.test>',
          '',
          'Payment to the new account please.',
        ),
      },
      {
        raw: lines(
          `X-Spam-Status: ${spamStatus('12.4', 'DKIM_VALID,URI_PHISH')}`,
          `Authentication-Results: ${PROVIDER_AR('partner.test')}`,
          `X-Spam-Status: ${spamStatus('-3.0', 'ALL_TRUSTED')}`,
          'From: Carla <carla@partner.test>',
          'To: pv@acme.test',
          'Subject: Shared document',
          `Date: ${rfc5322Date(day(7, 10))}`,
          'Message-ID: <pv-j2@partner.test>',
          '',
          'Open the shared document.',
        ),
      },
      { raw: buildMessage({ from: 'Prize <win@lottery.test>', to: 'pv@acme.test', subject: 'You won', date: day(7), headers: { 'X-Spam-Status': spamStatus('15.0', 'BAYES_99') } }) },
    ]);
    const pdir = tempDir();
    const pcli = (...args: string[]) => runCli(['--data-dir', pdir, ...args], { TRIAGE_PASSWORD: 'pw-pv' });
    expect((await pcli('account', 'add', 'pv', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', pv.user, '--security', 'none')).code).toBe(0);
    const sync = await pcli('sync');
    expect(sync.code, sync.stderr).toBe(0);

    // The bounce names no Message-ID: the address and the time link it to the sent mail.
    const unanswered = JSON.parse((await pcli('unanswered', '--json', '--now', NOW)).stdout);
    expect(unanswered.find((e: { messageId: string }) => e.messageId === 'pv-s3-sent-copy@acme.test')).toMatchObject({ status: 'bounced', bouncedRecipients: ['old@gone.test'] });

    const junk = JSON.parse((await pcli('junk', '--json')).stdout);
    const byId = Object.fromEntries(junk.map((e: { messageId: string }) => [e.messageId, e]));
    expect(Object.keys(byId).sort()).toEqual(['pv-j1@northwind.test', 'pv-j2@partner.test']);
    expect(byId['pv-j1@northwind.test']).toMatchObject({ verdict: 'suspicious', auth: { spf: 'fail', dkim: 'fail' } });
    expect(byId['pv-j1@northwind.test'].reasons[0]).toBe('The Authentication-Results header from mail.acme-widgets.test says SPF failed for northwind.test, its DKIM signature is broken, and northwind.test gives no DMARC result: the mail may be forged');
    expect(byId['pv-j2@partner.test']).toMatchObject({ verdict: 'suspicious' });
    expect(byId['pv-j2@partner.test'].reasons[0]).toBe('Your provider\'s spam filter (SpamAssassin) classed it as phishing (URI_PHISH)');
    const refused = await pcli('rescue', 'pv-j1@northwind.test');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/looks forged.*--force/);

    // The verdict headers were fetched in Junk only.
    const store = await Store.open(pdir, { lock: false });
    const records = [...(await store.messages('pv')).values()];
    const withVerdict = records.filter((r) => r.headers['x-spam-status'] !== undefined);
    expect(withVerdict.length).toBe(3);
    expect(withVerdict.every((r) => r.locations.every((l) => l.folder === 'Junk'))).toBe(true);
    expect(records.filter((r) => r.locations.some((l) => l.folder === 'INBOX')).length).toBe(4);
    await store.close();
    removeDir(pdir);
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
