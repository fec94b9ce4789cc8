// Issue 14, item 2, end to end through the CLI on every rig server: a forgery in Junk that reuses
// a genuine mail's Message-ID is judged by its own headers, never rescued, and a rescue moves the
// judged copy by UID after reading it again, nothing else. The mailbox: forged-copies.ts.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAP_SERVERS, SERVER_KINDS, type ImapServerRig, type MailUser } from '../rig/servers.js';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { imapClient, removeDir, runCli, tempDir } from './helpers.js';
import { ANNA_REPLY_ID, BOB_NOTE_ID, SEED, USER } from './forged-copies.js';
import { localId } from '../../main/core/mail/record.js';
import { accountFileName } from '../../main/core/store/store.js';

const NOW = '2026-11-20T12:00:00Z';
const PASSWORD = 'pw-forged';
const LONG = 300_000; // CLI runs take seconds each on a loaded 2-core machine

interface JunkJson {
  id: string;
  messageId: string;
  from: string;
  subject: string;
  verdict: string;
  reasons: string[];
}

/** Message-ID → the From of every copy in a folder, read straight from the server. */
async function fromsOnServer(server: { port: number }, user: MailUser, folder: string, messageId: string): Promise<string[]> {
  const imap = await imapClient(server, user);
  try {
    await imap.mailboxOpen(folder);
    const uids = (await imap.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
    const out: string[] = [];
    for (const uid of uids) {
      const msg = await imap.fetchOne(String(uid), { envelope: true }, { uid: true });
      if (msg) out.push(msg.envelope?.from?.[0]?.address ?? '');
    }
    return out.sort();
  } finally {
    await imap.logout();
  }
}

async function seed(user: MailUser, extraInbox: Parameters<MailUser['seed']>[1] = []): Promise<void> {
  await user.seed(user.folders.sent, SEED.Sent);
  await user.seed('INBOX', [...SEED.INBOX, ...extraInbox]);
  await user.seed(user.folders.junk, SEED.Junk);
}

describe.each(SERVER_KINDS)('a forgery reusing a genuine Message-ID, through the CLI (%s)', (kind) => {
  let server: ImapServerRig;
  let user: MailUser;
  const dir = tempDir();
  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args], { TRIAGE_PASSWORD: PASSWORD });
  const junk = async () => {
    const res = await cli('junk', '--json');
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout) as JunkJson[];
  };

  beforeAll(async () => {
    server = await IMAP_SERVERS[kind]();
    user = await server.addUser(USER, PASSWORD, 'standard');
    await seed(user);
    const add = await cli('account', 'add', 'work', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', USER, '--security', 'none');
    expect(add.code, add.stderr).toBe(0);
    const sync = await cli('sync');
    expect(sync.code, sync.stderr).toBe(0);
  }, LONG);
  afterAll(async () => {
    await server?.stop();
    removeDir(dir);
  });

  it('junk lists each forgery with its own From, Subject and results, suspicious, never rescue', async () => {
    const entries = await junk();
    expect(entries.every((e) => e.verdict !== 'rescue')).toBe(true);
    const anna = entries.find((e) => e.messageId === ANNA_REPLY_ID);
    expect(anna).toMatchObject({ from: 'anna@client-billing.test', subject: 'Re: Quote for the Berlin office - new bank details', verdict: 'suspicious' });
    expect(anna!.reasons.join(' ')).toMatch(/DMARC failed for client-billing\.test/);
    const bob = entries.find((e) => e.messageId === BOB_NOTE_ID);
    expect(bob).toMatchObject({ from: 'bob@corp.test', verdict: 'suspicious' });
    expect(bob!.reasons[0]).toMatch(/^Another message in your Inbox has the same Message-ID but differs in its authentication results/);
    // The genuine mails keep the ids the store always gave them; the forgeries have ids of their own.
    expect(anna!.id).not.toBe(localId('work', ANNA_REPLY_ID));
    expect(bob!.id).not.toBe(localId('work', BOB_NOTE_ID));
  }, LONG);

  it('rescue by the shared Message-ID means the Junk copy: refused without --force, nothing moves', async () => {
    for (const id of [ANNA_REPLY_ID, `<${BOB_NOTE_ID}>`]) {
      const res = await cli('rescue', id);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/looks forged.*--force/);
    }
    // The genuine mail's own id: it is not in Junk, so there is nothing to rescue.
    const genuine = await cli('rescue', localId('work', ANNA_REPLY_ID));
    expect(genuine.code).toBe(1);
    expect(genuine.stderr).toMatch(/not in Junk/);
    expect(await fromsOnServer(server, user, 'INBOX', ANNA_REPLY_ID)).toEqual(['anna@client.test']);
    expect(await fromsOnServer(server, user, user.folders.junk, ANNA_REPLY_ID)).toEqual(['anna@client-billing.test']);
    expect(await fromsOnServer(server, user, 'INBOX', BOB_NOTE_ID)).toEqual(['bob@corp.test']);
    expect(await fromsOnServer(server, user, user.folders.junk, BOB_NOTE_ID)).toEqual(['bob@corp.test']);
  }, LONG);

  it('rescue --force moves exactly the judged copy, by UID', async () => {
    const anna = (await junk()).find((e) => e.messageId === ANNA_REPLY_ID)!;
    const res = await cli('rescue', anna.id, '--force');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/moved to INBOX: mail from anna@client-billing\.test/);
    expect(await fromsOnServer(server, user, 'INBOX', ANNA_REPLY_ID)).toEqual(['anna@client-billing.test', 'anna@client.test']);
    expect(await fromsOnServer(server, user, user.folders.junk, ANNA_REPLY_ID)).toEqual([]);
    expect(await fromsOnServer(server, user, user.folders.junk, BOB_NOTE_ID)).toEqual(['bob@corp.test']);
    // A sync afterwards agrees: two messages under Anna's Message-ID, each with its own record.
    expect((await cli('sync')).code).toBe(0);
    expect((await junk()).map((e) => e.messageId)).toEqual([BOB_NOTE_ID]);
  }, LONG);

  it('refuses when the copy at that UID is not the one judged (its digest differs), even with --force', async () => {
    const bob = (await junk()).find((e) => e.messageId === BOB_NOTE_ID)!;
    // The store's idea of the copy goes stale behind the app's back: give the record another digest.
    const file = join(dir, 'messages', `${accountFileName('work')}.jsonl`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = [...lines].reverse().find((l) => JSON.parse(l)._id === bob.id)!;
    writeFileSync(file, `${readFileSync(file, 'utf8')}${JSON.stringify({ ...JSON.parse(last), digest: '0'.repeat(32) })}\n`);
    const res = await cli('rescue', bob.id, '--force');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Not moved: the mail at Junk \(UID \d+\) on the server is not the one listed/);
    expect(await fromsOnServer(server, user, user.folders.junk, BOB_NOTE_ID)).toEqual(['bob@corp.test']);
  }, LONG);

  it('refuses when the folder was re-created since the sync (a new UIDVALIDITY voids the stored UID)', async () => {
    const bob = (await junk()).find((e) => e.messageId === BOB_NOTE_ID)!;
    await user.recreateFolder(user.folders.junk);
    const imap = await imapClient(server, user);
    await imap.append(user.folders.junk, SEED.Junk[1].raw as string); // UID 1 again, under a new UIDVALIDITY
    await imap.logout();
    const res = await cli('rescue', bob.id, '--force');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Junk was re-created on the server since the last sync/);
    expect(await fromsOnServer(server, user, user.folders.junk, BOB_NOTE_ID)).toEqual(['bob@corp.test']);
  }, LONG);
});

describe('a store written by the previous version (one record per Message-ID), on Dovecot', () => {
  let server: DovecotServer;
  const dirs: string[] = [];
  // The fixture's mailbox (tests/fixtures/store/README.md): forged-copies.ts plus a bounce in INBOX.
  const bounce = {
    raw: buildMessage({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
      to: USER,
      subject: 'Undelivered Mail Returned to Sender',
      date: new Date(Date.UTC(2026, 10, 7, 9)),
      messageId: '<bounce-1@mx.acme.test>',
      headers: { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"', 'Auto-Submitted': 'auto-replied' },
      body: '--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.test\r\n\r\nFinal-Recipient: rfc822; bob@corp.test\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <contract-1@acme.test>\r\nSubject: Contract draft\r\n--b1--\r\n',
    }),
    internalDate: new Date(Date.UTC(2026, 10, 7, 9)),
  };
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  it('loads, and its first sync splits the merged forgeries off: the lists equal those of a fresh store', async () => {
    const user = await server.addUser('old@acme.test', PASSWORD, 'standard');
    await seed(user, [bounce]);
    const run = (dir: string) => (...args: string[]) => runCli(['--data-dir', dir, ...args], { TRIAGE_PASSWORD: PASSWORD });
    const add = ['account', 'add', 'work', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', user.user, '--address', USER, '--security', 'none'];

    const oldDir = tempDir();
    const freshDir = tempDir();
    dirs.push(oldDir, freshDir);
    const old = run(oldDir);
    const fresh = run(freshDir);
    expect((await old(...add)).code).toBe(0);
    expect((await fresh(...add)).code).toBe(0);
    // An upgraded data dir: folder states as any sync leaves them, less what the previous version
    // did not write (copiesChecked: a folder found clean by this version), and the message log
    // the previous version wrote for this very mailbox.
    expect((await old('sync')).code).toBe(0);
    copyFileSync(join(import.meta.dirname, '../fixtures/store/messages-one-record-per-message-id.jsonl'), join(oldDir, 'messages', `${accountFileName('work')}.jsonl`));
    const foldersDb = join(oldDir, 'folders.db');
    const states = readFileSync(foldersDb, 'utf8').split('\n').filter(Boolean).map((line) => {
      const { copiesChecked: _new, ...state } = JSON.parse(line);
      return JSON.stringify(state);
    });
    writeFileSync(foldersDb, states.join('\n') + '\n');

    // Before any sync, the old store is read as it is: nothing lost, but nothing rescued on its word.
    const before = JSON.parse((await old('junk', '--json')).stdout) as JunkJson[];
    expect(before.map((e) => e.messageId).sort()).toEqual([ANNA_REPLY_ID, BOB_NOTE_ID]);
    expect(before.every((e) => e.verdict === 'suspicious' && /not checked since/.test(e.reasons[0]))).toBe(true);
    const unchecked = await old('rescue', ANNA_REPLY_ID);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toMatch(/older version.*triage sync/);

    const oldSync = await old('sync');
    expect(oldSync.code, oldSync.stderr).toBe(0);
    expect((await fresh('sync')).code).toBe(0);
    for (const args of [['junk', '--json'], ['unanswered', '--json', '--now', NOW], ['status', '--json']]) {
      const a = await old(...args);
      const b = await fresh(...args);
      expect(a.code, a.stderr).toBe(0);
      const clean = (s: string) => s.replace(/"lastSyncAt": ?"[^"]*"/g, '');
      expect(clean(a.stdout), args[0]).toBe(clean(b.stdout));
    }
    const after = JSON.parse((await old('junk', '--json')).stdout) as JunkJson[];
    expect(after.find((e) => e.messageId === ANNA_REPLY_ID)).toMatchObject({ from: 'anna@client-billing.test', verdict: 'suspicious' });
    // A second sync has nothing left to check: no folder is read again.
    const again = await old('sync');
    expect(again.stdout).toMatch(/0 new, 0 changed, 0 removed/);
  }, LONG);
});
