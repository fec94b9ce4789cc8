// Proves the test rig: real Dovecot (both flavors), Maildir seeding, the fault-injection proxy
// and the SMTP → LMTP → Dovecot path, all seen through imapflow as the app will see them.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startProxy } from '../rig/proxy.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { countIn, day, imapflowClient, seedMessages, withImap } from './rig-helpers.js';

describe('standard flavor', () => {
  let dovecot: DovecotServer;
  let pat: MailUser;
  let gina: MailUser;

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser('pat@example.com', 'pat-secret');
    gina = await dovecot.addUser('gina@example.org', 'gina-secret', 'gmail');
    await pat.seed('INBOX', seedMessages('lee@example.net', pat.user, 'Inbox', 3));
    await pat.seed(pat.folders.sent, seedMessages(pat.user, 'lee@example.net', 'Sent', 2));
    await gina.seed('INBOX', seedMessages('lee@example.net', gina.user, 'Inbox', 3));
    await gina.seed(gina.folders.sent, seedMessages(gina.user, 'lee@example.net', 'Sent', 2));
  });
  afterAll(() => dovecot?.stop());

  it('gives each layout its folder paths', () => {
    expect(pat.folders).toEqual({ inbox: 'INBOX', sent: 'Sent', junk: 'Junk', archive: 'Archive', trash: 'Trash', drafts: 'Drafts' });
    expect(gina.folders).toMatchObject({ sent: '[Gmail]/Sent Mail', junk: '[Gmail]/Spam', all: '[Gmail]/All Mail' });
  });

  it('lists SPECIAL-USE flags from the server for a standard layout', async () => {
    const list = await withImap(dovecot.port, pat, (c) => c.list());
    const byPath = new Map(list.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    for (const [path, use] of [['Sent', '\\Sent'], ['Junk', '\\Junk'], ['Archive', '\\Archive'], ['Trash', '\\Trash'], ['Drafts', '\\Drafts']]) {
      expect(byPath.get(path)).toMatchObject({ specialUse: use, specialUseSource: 'extension', delimiter: '/', subscribed: true });
    }
  });

  it('lists SPECIAL-USE flags for a Gmail layout', async () => {
    const list = await withImap(dovecot.port, gina, (c) => c.list());
    const byPath = new Map(list.map((f) => [f.path, f]));
    expect(byPath.get('[Gmail]/Sent Mail')).toMatchObject({ specialUse: '\\Sent', specialUseSource: 'extension' });
    expect(byPath.get('[Gmail]/Spam')).toMatchObject({ specialUse: '\\Junk', specialUseSource: 'extension' });
    expect(byPath.get('[Gmail]/All Mail')).toMatchObject({ specialUse: '\\All', specialUseSource: 'extension' });
    expect(byPath.has('Sent')).toBe(false);
    // Maildir++ has no directory for the parent: Dovecot lists it \Noselect like Gmail does.
    expect(byPath.get('[Gmail]')?.flags.has('\\Noselect')).toBe(true);
  });

  it('serves seeded messages with their INTERNALDATE, flags and seeding order', async () => {
    for (const user of [pat, gina]) {
      await withImap(dovecot.port, user, async (c) => {
        expect(await countIn(c, 'INBOX')).toBe(3);
        expect(await countIn(c, user.folders.sent)).toBe(2);
        await c.mailboxOpen('INBOX');
        const rows = [];
        for await (const m of c.fetch('1:*', { uid: true, flags: true, internalDate: true, envelope: true })) rows.push(m);
        expect(rows.map((m) => m.envelope?.subject)).toEqual(['Inbox 1', 'Inbox 2', 'Inbox 3']);
        expect(rows.map((m) => (m.internalDate as Date).toISOString())).toEqual([1, 2, 3].map((n) => day(n).toISOString()));
        expect(rows.map((m) => m.flags?.has('\\Seen'))).toEqual([true, false, false]);
      });
    }
  });

  it('advertises CONDSTORE and QRESYNC, and imapflow enables QRESYNC', async () => {
    await withImap(dovecot.port, pat, async (c) => {
      expect(c.capabilities.has('CONDSTORE')).toBe(true);
      expect(c.capabilities.has('QRESYNC')).toBe(true);
      const box = await c.mailboxOpen('INBOX');
      expect(c.enabled.has('QRESYNC')).toBe(true);
      expect(typeof box.highestModseq).toBe('bigint');
    });
  });

  it('shows messages seeded while a client is connected', async () => {
    await withImap(dovecot.port, pat, async (c) => {
      await c.mailboxOpen('Archive');
      await pat.seed('Archive', seedMessages('lee@example.net', pat.user, 'Late', 2));
      await c.noop();
      expect(await countIn(c, 'Archive')).toBe(2);
    });
  });

  it('creates nested and non-ASCII folders (mUTF-7 on disk)', async () => {
    await gina.createFolder('Projekte/Entwürfe & Ideen');
    await gina.seed('Kunden/東京', seedMessages('lee@example.net', gina.user, 'Tokyo', 1));
    await withImap(dovecot.port, gina, async (c) => {
      const paths = (await c.list()).map((f) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['Projekte/Entwürfe & Ideen', 'Kunden/東京']));
      expect(await countIn(c, 'Kunden/東京')).toBe(1);
    });
  });

  it('refuses a wrong password', async () => {
    const client = imapflowClient(dovecot.port, { ...pat, password: 'wrong' });
    await expect(client.connect()).rejects.toThrow();
  });
});

describe('several instances', () => {
  it('run side by side with their own ports, dirs and users', async () => {
    const servers = await Promise.all([startDovecot(), startDovecot(), startDovecot({ flavor: 'courier' })]);
    try {
      expect(new Set(servers.flatMap((s) => [s.port, s.lmtpPort])).size).toBe(6);
      expect(new Set(servers.map((s) => s.dir)).size).toBe(3);
      const users = await Promise.all(servers.map((s, i) => s.addUser('same@example.com', `pw-${i}`)));
      await Promise.all(users.map((u, i) => u.seed('INBOX', seedMessages('lee@example.net', u.user, 'M', i + 1))));
      const counts = await Promise.all(users.map((u, i) => withImap(servers[i].port, u, (c) => countIn(c, 'INBOX'))));
      expect(counts).toEqual([1, 2, 3]);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
    for (const s of servers) expect(() => process.kill(s.pid, 0)).toThrow();
  });
});

describe('courier flavor', () => {
  let dovecot: DovecotServer;
  let cory: MailUser;

  beforeAll(async () => {
    dovecot = await startDovecot({ flavor: 'courier' });
    cory = await dovecot.addUser('cory@example.net', 'cory-secret');
    await cory.seed(cory.folders.sent, seedMessages(cory.user, 'lee@example.net', 'Sent', 2));
  });
  afterAll(() => dovecot?.stop());

  it('puts folders under INBOX. with "." as separator', async () => {
    expect(cory.folders).toMatchObject({ inbox: 'INBOX', sent: 'INBOX.Sent', junk: 'INBOX.Junk', archive: 'INBOX.Archive', trash: 'INBOX.Trash' });
    const list = await withImap(dovecot.port, cory, (c) => c.list());
    expect(list.map((f) => f.path).sort()).toEqual(['INBOX', 'INBOX.Archive', 'INBOX.Drafts', 'INBOX.Junk', 'INBOX.Sent', 'INBOX.Trash']);
    expect(new Set(list.map((f) => f.delimiter))).toEqual(new Set(['.']));
    expect(await withImap(dovecot.port, cory, (c) => countIn(c, 'INBOX.Sent'))).toBe(2);
  });

  it('sends no SPECIAL-USE flags; imapflow guesses roles from names', async () => {
    const list = await withImap(dovecot.port, cory, (c) => c.list());
    for (const folder of list) {
      expect([...folder.flags].filter((f) => ['\\Sent', '\\Junk', '\\Archive', '\\Trash', '\\Drafts', '\\All'].includes(f))).toEqual([]);
      expect(folder.specialUseSource).not.toBe('extension');
    }
    // What imapflow 2.10 does without SPECIAL-USE: it matches the last name segment against
    // known (localised) folder names and reports specialUseSource 'name'. Exchange's
    // "Junk Email" would need specialUseHints.
    const guessed = Object.fromEntries(list.map((f) => [f.path, [f.specialUse, f.specialUseSource]]));
    expect(guessed).toMatchObject({
      'INBOX.Sent': ['\\Sent', 'name'],
      'INBOX.Junk': ['\\Junk', 'name'],
      'INBOX.Archive': ['\\Archive', 'name'],
      'INBOX.Trash': ['\\Trash', 'name'],
    });
  });

  it('advertises no CONDSTORE, QRESYNC, SPECIAL-USE or MOVE', async () => {
    await withImap(dovecot.port, cory, async (c) => {
      for (const cap of ['CONDSTORE', 'QRESYNC', 'SPECIAL-USE', 'MOVE']) expect(c.capabilities.has(cap)).toBe(false);
      const box = await c.mailboxOpen('INBOX');
      expect(c.enabled.size).toBe(0);
      expect(box.highestModseq).toBeUndefined();
    });
  });
});

describe('fault injection and SMTP', () => {
  let dovecot: DovecotServer;
  let pat: MailUser;
  const smtps: SmtpServer[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    pat = await dovecot.addUser('pat@example.com', 'pat-secret');
  });
  afterAll(async () => {
    await Promise.all(smtps.map((s) => s.close()));
    await dovecot?.stop();
  });

  it('proxy cutAll closes an open imapflow connection; new connections still work', async () => {
    const proxy = await startProxy(dovecot.port);
    try {
      const client = imapflowClient(proxy.port, pat);
      await client.connect();
      await client.mailboxOpen('INBOX');
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      expect(proxy.connections).toBe(1);
      proxy.cutAll();
      await closed;
      expect(client.usable).toBe(false);
      await expect(client.noop()).rejects.toThrow();

      await withImap(proxy.port, pat, async (c) => expect(await countIn(c, 'INBOX')).toBe(0));
      expect(proxy.accepted).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('restart keeps port and mail, and cuts open connections', async () => {
    await pat.seed(pat.folders.junk, seedMessages('spam@example.biz', pat.user, 'Junk', 1));
    const client = imapflowClient(dovecot.port, pat);
    await client.connect();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const oldPid = dovecot.pid;
    await dovecot.restart();
    await closed;
    expect(dovecot.pid).not.toBe(oldPid);
    expect(await withImap(dovecot.port, pat, (c) => countIn(c, pat.folders.junk))).toBe(1);
  });

  it('delivers mail sent over SMTP into the Dovecot mailbox before answering 250', async () => {
    const smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort });
    smtps.push(smtp);
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      from: 'lee@example.net',
      to: [pat.user, 'outside@elsewhere.test'],
      subject: 'Over SMTP',
      text: 'Hello Pat\n.\n..a line that starts with dots\n',
    });
    expect(info.accepted).toEqual([pat.user, 'outside@elsewhere.test']);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'lee@example.net', to: [pat.user, 'outside@elsewhere.test'], messageId: info.messageId });

    await withImap(dovecot.port, pat, async (c) => {
      await c.mailboxOpen('INBOX');
      const uids = await c.search({ header: { 'message-id': info.messageId } }, { uid: true });
      expect(uids).toHaveLength(1);
      const msg = await c.fetchOne(String((uids as number[])[0]), { source: true }, { uid: true });
      // Dot-stuffing survived both hops (SMTP, then LMTP).
      expect(msg && msg.source?.toString()).toContain('\r\n.\r\n..a line that starts with dots');
    });
  });

  it('requires AUTH when users are given, and refuses recipients on demand', async () => {
    const smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: { 'pat@example.com': 'smtp-secret' } });
    smtps.push(smtp);
    const send = (pass: string, to: string) =>
      nodemailer
        .createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true, auth: { user: 'pat@example.com', pass } })
        .sendMail({ from: pat.user, to, subject: 'Auth test', text: 'hi' });

    await expect(send('wrong', 'lee@example.net')).rejects.toMatchObject({ responseCode: 535 });
    await expect(send('smtp-secret', 'lee@example.net')).resolves.toMatchObject({ accepted: ['lee@example.net'] });

    smtp.setRefuse((rcpt) => (rcpt.startsWith('gone@') ? '550 5.1.1 No such user here' : null));
    await expect(send('smtp-secret', 'gone@example.net')).rejects.toMatchObject({ responseCode: 550 });
    smtp.setRefuse(null);
    await expect(send('smtp-secret', 'gone@example.net')).resolves.toMatchObject({ accepted: ['gone@example.net'] });
    expect(smtp.received.map((m) => m.to)).toEqual([['lee@example.net'], ['gone@example.net']]);
  });
});
