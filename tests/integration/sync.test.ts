// The sync engine against a real Dovecot: every layout, incremental changes, UIDVALIDITY,
// duplicates across folders, a cut connection, a wrong password, and kill -9 mid-sync. The first
// sync, incremental changes and a new UIDVALIDITY run on every rig server (Dovecot and Cyrus).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig } from '../rig/servers.js';
import { startProxy } from '../rig/proxy.js';
import { buildMessage } from '../rig/mail.js';
import { accountFor, imapClient, removeDir, runCli, serviceWith, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import type { TriageService } from '../../main/core/service.js';

const msg = (i: number, extra: { from?: string; to?: string; subject?: string; messageId?: string } = {}) =>
  buildMessage({
    from: extra.from ?? `Client ${i % 7} <client${i % 7}@client.test>`,
    to: extra.to ?? 'pat@acme.test',
    subject: extra.subject ?? `Message ${i}`,
    messageId: extra.messageId ?? `<m${i}@client.test>`,
    date: new Date(Date.UTC(2026, 9, 1, 8, 0, 0) + i * 60_000),
  });

async function countsByFolder(service: TriageService, account: string): Promise<Record<string, number>> {
  const [status] = (await service.status()).filter((s) => s.account === account);
  return Object.fromEntries(status.folders.filter((f) => f.synced).map((f) => [f.path, f.messages]));
}

describe.each(SERVER_KINDS)('sync against %s: first sync, incremental changes, UIDVALIDITY', (kind) => {
  let server: ImapServerRig;
  const dirs: string[] = [];
  const dataDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await IMAP_SERVERS[kind]();
  });
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  it('first sync of the standard layout: roles from SPECIAL-USE, every folder, headers kept', async () => {
    const user = await server.addUser('std1@acme.test', 'pw-std1', 'standard');
    await user.seed('INBOX', [
      { raw: msg(1), flags: ['\\Seen'], internalDate: new Date('2026-10-01T08:01:00Z') },
      {
        raw: buildMessage({
          from: 'Anna <anna@client.test>',
          to: 'std1@acme.test',
          subject: '=?UTF-8?Q?R=C3=A9union?=',
          date: 'Tue, 06 Oct 2026 09:15:00 -0400',
          messageId: '<anna-1@client.test>',
          inReplyTo: '<sent-1@acme.test>',
          references: ['<sent-1@acme.test>'],
          headers: { 'Auto-Submitted': 'auto-replied', 'Authentication-Results': 'mx.acme.test; spf=pass smtp.mailfrom=client.test; dkim=pass header.d=client.test; dmarc=pass header.from=client.test', 'List-Id': '<team.lists.client.test>' },
        }),
      },
    ]);
    await user.seed('Sent', [{ raw: msg(2, { from: 'std1@acme.test', to: 'anna@client.test', messageId: '<sent-1@acme.test>' }) }]);
    await user.seed('Junk', [{ raw: msg(3) }]);
    await user.seed('Archive', [{ raw: msg(4) }]);

    const service = await serviceWith(dataDir(), accountFor('std1', server, user), 'pw-std1');
    const [summary] = await service.sync();
    expect(summary.folders.map((f) => [f.folder, f.role, f.added]).sort()).toEqual(
      [['Archive', 'archive', 1], ['INBOX', 'inbox', 2], ['Junk', 'junk', 1], ['Sent', 'sent', 1]].sort(),
    );
    const status = (await service.status())[0];
    const roles = Object.fromEntries(status.folders.map((f) => [f.path, [f.role, f.roleSource]]));
    expect(roles.Sent).toEqual(['sent', 'special-use']);
    expect(roles.Junk).toEqual(['junk', 'special-use']);
    expect(roles.Trash).toEqual(['trash', 'special-use']);

    const log = await service.store.messages('std1');
    const anna = [...log.values()].find((r) => r.messageId === 'anna-1@client.test')!;
    expect(anna.subject).toBe('Réunion');
    expect(anna.dateHeader).toBe('Tue, 06 Oct 2026 09:15:00 -0400');
    expect(anna.date).toBe('2026-10-06T13:15:00.000Z');
    expect(anna.inReplyTo).toBe('sent-1@acme.test');
    expect(anna.references).toEqual(['sent-1@acme.test']);
    expect(anna.headers['auto-submitted']).toBe('auto-replied');
    expect(anna.headers['list-id']).toBe('<team.lists.client.test>');
    expect(anna.headers['authentication-results']).toContain('dmarc=pass');
    expect(anna.from).toEqual([{ name: 'Anna', address: 'anna@client.test' }]);
    const first = [...log.values()].find((r) => r.messageId === 'm1@client.test')!;
    expect(first.locations[0].flags).toContain('\\Seen');
    expect(first.internalDate).toBe('2026-10-01T08:01:00.000Z');
    await service.store.close();
  });

  it('incremental: new mail, flag changes and expunges; a no-change resync changes nothing', async () => {
    const user = await server.addUser('inc1@acme.test', 'pw-inc1', 'standard');
    await user.seed('INBOX', Array.from({ length: 30 }, (_, i) => ({ raw: msg(100 + i) })));
    const service = await serviceWith(dataDir(), accountFor('inc1', server, user), 'pw-inc1');
    await service.sync();
    expect((await countsByFolder(service, 'inc1')).INBOX).toBe(30);

    const again = await service.sync();
    expect(again[0].folders.every((f) => f.added + f.updated + f.removed === 0)).toBe(true);

    const imap = await imapClient(server, user);
    await imap.mailboxOpen('INBOX');
    await imap.messageFlagsAdd('1:3', ['\\Seen', '\\Flagged']);
    await imap.messageDelete('4:5');
    await imap.append('INBOX', msg(200), ['\\Answered']);
    await imap.logout();

    const [delta] = await service.sync();
    const inbox = delta.folders.find((f) => f.folder === 'INBOX')!;
    expect(inbox).toMatchObject({ added: 1, updated: 3, removed: 2 });
    const log = await service.store.messages('inc1');
    const byId = new Map([...log.values()].map((r) => [r.messageId, r]));
    expect(byId.size).toBe(29);
    expect(byId.get('m100@client.test')!.locations[0].flags.sort()).toEqual(['\\Flagged', '\\Seen']);
    expect(byId.has('m103@client.test')).toBe(false);
    expect(byId.get('m200@client.test')!.locations[0].flags).toEqual(['\\Answered']);
    await service.store.close();
  });

  it('a changed UIDVALIDITY copies the folder again without duplicates', async () => {
    const user = await server.addUser('uv1@acme.test', 'pw-uv1', 'standard');
    await user.seed('Archive', Array.from({ length: 5 }, (_, i) => ({ raw: msg(300 + i) })));
    await user.seed('INBOX', [{ raw: msg(300) }]); // also in INBOX: its record must survive
    const service = await serviceWith(dataDir(), accountFor('uv1', server, user), 'pw-uv1');
    await service.sync();

    // Deleting and re-creating a folder gives it a new UIDVALIDITY (RFC 3501 §2.3.1.1). Cyrus
    // protects a special-use folder from DELETE: the rig's recreateFolder takes the way each
    // server allows.
    await user.recreateFolder('Archive');
    const imap = await imapClient(server, user);
    for (let i = 0; i < 3; i++) await imap.append('Archive', msg(300 + i));
    await imap.logout();

    const [summary] = await service.sync();
    const archive = summary.folders.find((f) => f.folder === 'Archive')!;
    expect(archive.resynced).toBe(true);
    expect(archive.added).toBe(3);
    const records = [...(await service.store.messages('uv1')).values()];
    expect(records).toHaveLength(3);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(3);
    const m300 = records.find((r) => r.messageId === 'm300@client.test')!;
    expect(m300.locations.map((l) => l.folder).sort()).toEqual(['Archive', 'INBOX']);
    await service.store.close();
  });

  it('a sync that finds nothing new never opens the message log; one that finds a change does', async () => {
    const user = await server.addUser('lazy1@acme.test', 'pw-lazy1', 'standard');
    await user.seed('INBOX', Array.from({ length: 5 }, (_, i) => ({ raw: msg(400 + i) })));
    const dir = dataDir();
    const first = await serviceWith(dir, accountFor('lazy1', server, user), 'pw-lazy1');
    await first.sync();
    await first.store.close();

    // A new process: its store has loaded no log yet. Nothing changed on the server.
    const again = await serviceWith(dir, accountFor('lazy1', server, user), 'pw-lazy1');
    // Both ways to the log: every record (messages()) and from its index (messageLog(), sync's).
    const opened: string[] = [];
    const messages = again.store.messages.bind(again.store);
    again.store.messages = (name: string) => (opened.push(name), messages(name));
    const messageLog = again.store.messageLog.bind(again.store);
    again.store.messageLog = (name: string) => (opened.push(name), messageLog(name));
    const [quiet] = await again.sync();
    expect(quiet.folders.every((f) => f.added + f.updated + f.removed === 0 && !f.error)).toBe(true);
    // `status` (the app asks at every start) counts from the log's summary, without loading it.
    const [status] = await again.status();
    expect(status.messages).toBe(5);
    expect(status.folders.find((f) => f.path === 'INBOX')?.messages).toBe(5);
    expect(opened).toEqual([]);

    const imap = await imapClient(server, user);
    await imap.append('INBOX', msg(410));
    await imap.logout();
    const [delta] = await again.sync();
    expect(delta.folders.find((f) => f.folder === 'INBOX')).toMatchObject({ added: 1 });
    expect(opened).toContain('lazy1');
    expect((await again.store.messages('lazy1')).size).toBe(6);
    await again.store.close();
  });
});

describe('sync against Dovecot (standard flavor)', () => {
  let server: DovecotServer;
  const dirs: string[] = [];
  const dataDir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  it('Gmail layout: All Mail and Spam synced, one record per Message-ID with every location', async () => {
    const user = await server.addUser('gm1@acme.test', 'pw-gm1', 'gmail');
    const shared = msg(10, { from: 'gm1@acme.test', to: 'bob@client.test', messageId: '<dup-1@acme.test>' });
    await user.seed('[Gmail]/All Mail', [{ raw: shared }, { raw: msg(11) }, { raw: msg(11) }]);
    await user.seed('[Gmail]/Sent Mail', [{ raw: shared }]);
    await user.seed('[Gmail]/Spam', [{ raw: msg(12) }, { raw: shared }]);
    const service = await serviceWith(dataDir(), accountFor('gm1', server, user), 'pw-gm1');
    await service.sync();
    const status = (await service.status())[0];
    const byPath = Object.fromEntries(status.folders.map((f) => [f.path, f]));
    expect(byPath['[Gmail]/All Mail'].role).toBe('all');
    expect(byPath['[Gmail]/Spam'].role).toBe('junk');
    expect(byPath['[Gmail]/Sent Mail'].role).toBe('sent');
    expect(byPath['[Gmail]/All Mail'].synced).toBe(true);
    expect(byPath['[Gmail]/Spam'].synced).toBe(true);
    // Sent Mail is a view of All Mail on Gmail: not fetched twice.
    expect(byPath['[Gmail]/Sent Mail'].synced).toBe(false);
    const log = await service.store.messages('gm1');
    const records = [...log.values()];
    expect(records).toHaveLength(3);
    const dup = records.find((r) => r.messageId === 'dup-1@acme.test')!;
    expect(dup.locations.map((l) => l.folder).sort()).toEqual(['[Gmail]/All Mail', '[Gmail]/Spam']);
    // The same Message-ID twice in one folder: one record, two locations.
    expect(records.find((r) => r.messageId === 'm11@client.test')!.locations).toHaveLength(2);
    await service.store.close();
  });

  it('a connection cut mid-sync loses nothing; the next sync ends with exactly the server state', async () => {
    const user = await server.addUser('cut1@acme.test', 'pw-cut1', 'standard');
    await user.seed('INBOX', Array.from({ length: 3000 }, (_, i) => ({ raw: msg(1000 + i) })));
    const proxy = await startProxy(server.port);
    const dir = dataDir();
    const account = accountFor('cut1', { port: proxy.port }, user);
    const store = await Store.open(dir);
    await store.saveAccount(account);
    const { syncAccount } = await import('../../main/core/imap/sync.js');
    let cut = false;
    const first = syncAccount({
      account,
      password: 'pw-cut1',
      store,
      batchSize: 200,
      onProgress: (p) => {
        if (!cut && p.phase === 'new' && p.done >= 400) {
          cut = true;
          proxy.cutAll();
        }
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'connection-lost' });
    const partial = (await store.messages('cut1')).size;
    expect(partial).toBeGreaterThanOrEqual(400);
    expect(partial).toBeLessThan(3000);

    await syncAccount({ account, password: 'pw-cut1', store });
    const records = [...(await store.messages('cut1')).values()];
    expect(records).toHaveLength(3000);
    expect(records.every((r) => r.locations.length === 1)).toBe(true);
    await store.close();
    await proxy.close();
  });

  it('a wrong password gives one line and exit 1 from the CLI', async () => {
    const user = await server.addUser('pw1@acme.test', 'right', 'standard');
    const dir = dataDir();
    const add = await runCli(['--data-dir', dir, 'account', 'add', 'pw1', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--security', 'none', '--no-verify']);
    expect(add.code).toBe(0);
    const res = await runCli(['--data-dir', dir, 'sync'], { TRIAGE_PASSWORD: 'wrong' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/Wrong user name or password for pw1@acme.test/);
    // account add verifies when it has a password, and refuses to save a wrong one (its own
    // variable: with another account there, TRIAGE_PASSWORD is not read at all)
    const bad = await runCli(['--data-dir', dir, 'account', 'add', 'pw1b', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--security', 'none'], { TRIAGE_PASSWORD_PW1B: 'wrong' });
    expect(bad.code).toBe(1);
    const list = await runCli(['--data-dir', dir, 'account', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((a: { name: string }) => a.name)).toEqual(['pw1']);
  });

  it('account add without --security asks the server: plain text only on loopback', async () => {
    const user = await server.addUser('sec1@acme.test', 'pw-sec1', 'standard');
    await user.seed('INBOX', [{ raw: msg(900) }]);
    const dir = dataDir();
    const add = await runCli(['--data-dir', dir, 'account', 'add', 'sec1', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user], { TRIAGE_PASSWORD: 'pw-sec1' });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toMatch(/Security: none \(asked the server/);
    expect((await runCli(['--data-dir', dir, 'sync'], { TRIAGE_PASSWORD: 'pw-sec1' })).code).toBe(0);
    const { probeImapSecurity } = await import('../../main/core/imap/probe.js');
    await expect(probeImapSecurity('127.0.0.1', 1, 1000)).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('an unreachable host and a TLS mismatch give one line and exit 1', async () => {
    const dir = dataDir();
    const closedPort = String(server.port + 0 === 1 ? 2 : 1); // port 1: nothing listens there
    await runCli(['--data-dir', dir, 'account', 'add', 'nohost', '--imap-host', '127.0.0.1', '--imap-port', closedPort, '--user', 'x@acme.test', '--security', 'none', '--no-verify']);
    const res = await runCli(['--data-dir', dir, 'sync'], { TRIAGE_PASSWORD: 'x' });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/connection was refused/);

    const dir2 = dataDir();
    await runCli(['--data-dir', dir2, 'account', 'add', 'tls', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', 'x@acme.test', '--security', 'tls', '--no-verify']);
    const tls = await runCli(['--data-dir', dir2, 'sync'], { TRIAGE_PASSWORD: 'x' });
    expect(tls.code).toBe(1);
    expect(tls.stderr.trim().split('\n')).toHaveLength(1);
    expect(tls.stderr).toMatch(/TLS/);
  });

  it('kill -9 during sync, several times: the store loads and the next sync completes it exactly', async () => {
    const user = await server.addUser('kill1@acme.test', 'pw-kill1', 'standard');
    await user.seed('INBOX', Array.from({ length: 6000 }, (_, i) => ({ raw: msg(5000 + i) })));
    await user.seed('Sent', Array.from({ length: 1000 }, (_, i) => ({ raw: msg(20000 + i, { from: user.user, to: 'c@client.test' }) })));
    const dir = dataDir();
    const env = { TRIAGE_PASSWORD: 'pw-kill1' };
    await runCli(['--data-dir', dir, 'account', 'add', 'kill1', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--security', 'none', '--no-verify']);
    let killed = 0;
    for (const delayMs of [500, 900, 1300, 1700, 2100]) {
      const child = spawnCli(['--data-dir', dir, 'sync'], env);
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delayMs));
      // A sync that resumes the earlier ones may finish before the kill: then there is none to wait for.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      await exited;
    }
    expect(killed).toBeGreaterThan(0);
    const res = await runCli(['--data-dir', dir, 'sync'], env);
    expect(res.stderr).not.toMatch(/locked|corrupt/i);
    expect(res.code).toBe(0);
    const status = JSON.parse((await runCli(['--data-dir', dir, 'status', '--json'])).stdout);
    const folders = Object.fromEntries(status[0].folders.map((f: { path: string; messages: number }) => [f.path, f.messages]));
    expect(folders.INBOX).toBe(6000);
    expect(folders.Sent).toBe(1000);
    expect(status[0].messages).toBe(7000);
  });

  it('the store files stay bounded across many resyncs with flag changes (compaction)', async () => {
    const user = await server.addUser('grow1@acme.test', 'pw-grow1', 'standard');
    await user.seed('INBOX', Array.from({ length: 600 }, (_, i) => ({ raw: msg(40000 + i) })));
    const dir = dataDir();
    const service = await serviceWith(dir, accountFor('grow1', server, user), 'pw-grow1');
    await service.sync();
    const log = await service.store.messages('grow1');
    const fresh = log.stats().bytes;
    const imap = await imapClient(server, user);
    await imap.mailboxOpen('INBOX');
    const sizes: number[] = [];
    for (let round = 0; round < 8; round++) {
      if (round % 2) await imap.messageFlagsRemove('1:*', ['\\Flagged']);
      else await imap.messageFlagsAdd('1:*', ['\\Flagged']);
      const [s] = await service.sync();
      expect(s.folders.find((f) => f.folder === 'INBOX')!.updated).toBe(600);
      sizes.push(log.stats().bytes);
    }
    await imap.logout();
    // Every round rewrites all 600 records; without compaction the file would be 9x its size.
    expect(Math.max(...sizes)).toBeLessThan(fresh * 2.6);
    expect(log.size).toBe(600);
    await service.store.close();
    const { statSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    // nedb files (folders.db is updated on every sync) are compacted on each load.
    const reopened = await Store.open(dir);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.db'))) expect(statSync(join(dir, f)).size).toBeLessThan(64 * 1024);
    await reopened.close();
  });

  it('two processes on one data dir: the second is refused with a clear message', async () => {
    const dir = dataDir();
    const first = await Store.open(dir);
    const res = await runCli(['--data-dir', dir, 'status']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Another inbox-triage process \(PID \d+\) is using/);
    await first.close();
    expect((await runCli(['--data-dir', dir, 'status'])).code).toBe(0);
  });
});

describe('sync against a Courier-style server (INBOX. prefix, "." separator, no SPECIAL-USE, no CONDSTORE)', () => {
  let server: DovecotServer;
  let user: MailUser;
  const dir = tempDir();
  beforeAll(async () => {
    server = await startDovecot({ flavor: 'courier' });
    user = await server.addUser('cour1@acme.test', 'pw-cour1', 'standard');
  });
  afterAll(async () => {
    await server?.stop();
    removeDir(dir);
  });

  it('roles from folder names, then incremental changes by UID SEARCH and a FLAGS comparison', async () => {
    await user.seed('INBOX', Array.from({ length: 10 }, (_, i) => ({ raw: msg(700 + i) })));
    await user.seed('INBOX.Sent', [{ raw: msg(720, { from: user.user, to: 'c@client.test' }) }]);
    await user.seed('INBOX.Junk', [{ raw: msg(721) }]);
    const service = await serviceWith(dir, accountFor('cour1', server, user), 'pw-cour1');
    await service.sync();
    const status = (await service.status())[0];
    const roles = Object.fromEntries(status.folders.map((f) => [f.path, [f.role, f.roleSource]]));
    expect(roles['INBOX.Sent']).toEqual(['sent', 'name']);
    expect(roles['INBOX.Junk']).toEqual(['junk', 'name']);
    expect(roles['INBOX.Archive']).toEqual(['archive', 'name']);
    expect((await countsByFolder(service, 'cour1'))).toMatchObject({ INBOX: 10, 'INBOX.Sent': 1, 'INBOX.Junk': 1 });

    const imap = await imapClient(server, user);
    expect(imap.capabilities.has('CONDSTORE')).toBe(false);
    await imap.mailboxOpen('INBOX');
    await imap.messageFlagsAdd('1', ['\\Seen']);
    await imap.messageDelete('2');
    await imap.logout();
    const [delta] = await service.sync();
    expect(delta.folders.find((f) => f.folder === 'INBOX')).toMatchObject({ added: 0, updated: 1, removed: 1 });
    expect((await countsByFolder(service, 'cour1')).INBOX).toBe(9);
    await service.store.close();
  });

  it('a user role override wins over the name guess', async () => {
    const store = await Store.open(dir);
    const account = (await store.getAccount('cour1'))!;
    const overridden = { ...account, roleOverrides: [{ path: 'INBOX.Trash', role: 'junk' as const }] };
    await store.saveAccount(overridden);
    expect((await store.getAccount('cour1'))!.roleOverrides).toEqual(overridden.roleOverrides);
    await store.close();
    const service = await serviceWith(tempDir(), overridden, 'pw-cour1');
    await service.sync();
    const status = (await service.status())[0];
    const trash = status.folders.find((f) => f.path === 'INBOX.Trash')!;
    expect([trash.role, trash.roleSource, trash.synced]).toEqual(['junk', 'user', true]);
    await service.store.close();
  });

  it('triage account set-role sets a folder role by hand; auto gives it back to the server', async () => {
    const cdir = tempDir();
    const env = { TRIAGE_PASSWORD: 'pw-cour1' };
    const cli = (...a: string[]) => runCli(['--data-dir', cdir, ...a], env);
    expect((await cli('account', 'add', 'c2', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--security', 'none')).code).toBe(0);
    expect((await cli('account', 'set-role', 'c2', 'INBOX.Trash', 'bogus')).code).toBe(2);
    const set = await cli('account', 'set-role', 'c2', 'INBOX.Trash', 'junk');
    expect(set.code, set.stderr).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    const roleOf = async () => JSON.parse((await cli('status', '--json')).stdout)[0].folders.find((f: { path: string }) => f.path === 'INBOX.Trash');
    expect(await roleOf()).toMatchObject({ role: 'junk', roleSource: 'user', synced: true });
    expect((await cli('account', 'set-role', 'c2', 'INBOX.Trash', 'auto')).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    expect(await roleOf()).toMatchObject({ role: 'trash', roleSource: 'name' });
    removeDir(cdir);
  });
});
