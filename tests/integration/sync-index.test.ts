// Issue 13: a sync that changes a little reads a little. Sync opens the message log from its
// index (store/log-index.ts) and reads only the records it touches. Against a real Dovecot:
//   - the records after a sequence (first sync, then new mail, flag changes, expunges, a copy in
//     another folder, bounces whose text the body pass fetches) are those of a sync that loads
//     the whole log each time (its index deleted before every run, as a store of the version
//     before the index is);
//   - a delta sync on a store with an index parses only the lines of the records it touches.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { accountFor, imapClient, removeDir, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { MessageLog } from '../../main/core/store/message-log.js';
import { syncAccount } from '../../main/core/imap/sync.js';
import { TEXT_WANTED } from '../../main/core/imap/bodies.js';
import type { AccountConfig, MessageRecord } from '../../main/core/model.js';

const EML = join(import.meta.dirname, '../fixtures/eml');
const eml = (name: string) => readFileSync(join(EML, name));
const PASSWORD = 'pw-index';
const NOW = new Date('2026-11-24T12:00:00Z');

const msg = (i: number, folder = 'in') =>
  buildMessage({
    from: folder === 'sent' ? 'pat@acme.test' : `Client ${i % 5} <client${i % 5}@client.test>`,
    to: folder === 'sent' ? `client${i % 5}@client.test` : 'pat@acme.test',
    subject: `Message ${i}`,
    messageId: `<idx${i}@client.test>`,
    date: new Date(Date.UTC(2026, 9, 1, 8, 0, 0) + i * 60_000),
  });

/** One sync in a process of its own making: a fresh Store, closed after (as the CLI does). */
async function syncIn(dir: string, account: AccountConfig, { fullLoad = false } = {}) {
  const store = await Store.open(dir);
  if (fullLoad) rmSync(`${store.logFile(account.name)}.index`, { force: true });
  await store.saveAccount(account);
  const summary = await syncAccount({ account, password: PASSWORD, store, now: () => NOW });
  const log = await store.messageLog(account.name);
  const seen = { loaded: log.loaded, linesParsed: log.linesParsed, size: log.size };
  const folders = (await store.foldersOf(account.name)).map(({ lastSyncAt: _t, ...f }) => f);
  await store.close();
  return { summary, seen, folders };
}

/** Every record of a data dir's log, by a full load (its index deleted first: the file alone). */
async function recordsOf(dir: string, account: string): Promise<MessageRecord[]> {
  const file = join(dir, 'messages', `${Buffer.from(account).toString('hex')}.jsonl`);
  const keep = readFileSync(`${file}.index`);
  rmSync(`${file}.index`);
  const log = await MessageLog.open(file, TEXT_WANTED);
  // and the index sync left equals the one made from the file
  const rebuilt = readFileSync(`${file}.index`);
  // the same content (the order of a folder's pairs and of the id sets is the order of writes)
  const body = (index: Buffer) => {
    const b = JSON.parse(index.toString().split('\n')[1]);
    for (const f of Object.values(b.folders) as { uids: number[]; ids: string[] }[]) {
      const pairs = f.uids.map((u, i) => [u, f.ids[i]] as const).sort((x, y) => x[0] - y[0]);
      f.uids = pairs.map((p) => p[0]);
      f.ids = pairs.map((p) => p[1]);
    }
    b.unchecked.sort();
    b.marked?.sort();
    return b;
  };
  expect(body(keep)).toEqual(body(rebuilt));
  return log.all().sort((a, b) => (a._id < b._id ? -1 : 1));
}

/** The same records as the index-opened log reads them one by one. */
async function recordsThroughIndex(dir: string, account: string): Promise<MessageRecord[]> {
  const store = await Store.open(dir, { lock: false });
  store.setTextRule(TEXT_WANTED);
  const log = await store.messageLog(account);
  expect(log.loaded).toBe(false);
  const out = [...log.ids()].map((id) => log.get(id)!);
  return out.sort((a, b) => (a._id < b._id ? -1 : 1));
}

describe('sync reads the log through its index (Dovecot)', () => {
  let server: DovecotServer;
  let user: MailUser;
  const dirs: string[] = [];

  beforeAll(async () => {
    server = await startDovecot();
    user = await server.addUser('index@acme.test', PASSWORD, 'standard');
    await user.seed('INBOX', [...Array.from({ length: 40 }, (_, i) => ({ raw: msg(i) })), ...['dsn-postfix-5.1.1.eml', 'ooo-exchange-automatic-reply.eml'].map((f) => ({ raw: eml(f) }))]);
    await user.seed('Sent', [...Array.from({ length: 20 }, (_, i) => ({ raw: msg(100 + i, 'sent') })), ...['sent-lunch.eml', 'sent-q3-budget.eml'].map((f) => ({ raw: eml(f) }))]);
    await user.seed('Archive', Array.from({ length: 10 }, (_, i) => ({ raw: msg(i < 3 ? i : 200 + i) }))); // 3 copies of Inbox mail
  });
  afterAll(async () => {
    await server?.stop();
    dirs.forEach(removeDir);
  });

  it('gives the records a whole-log sync gives, step by step; a delta sync parses only the lines it touches', async () => {
    const indexed = tempDir();
    const whole = tempDir();
    dirs.push(indexed, whole);
    const account = accountFor('idx', server, user);
    const both = async () => {
      const a = await syncIn(indexed, account);
      const b = await syncIn(whole, account, { fullLoad: true });
      expect(a.summary.folders).toEqual(b.summary.folders);
      expect(a.summary.bodies).toEqual(b.summary.bodies);
      expect(a.folders).toEqual(b.folders);
      const records = await recordsOf(indexed, 'idx');
      expect(records).toEqual(await recordsOf(whole, 'idx'));
      expect(await recordsThroughIndex(indexed, 'idx')).toEqual(records);
      return { a, records };
    };

    // 1. First sync: every record put, none kept (the log is never loaded whole).
    const first = await both();
    expect(first.a.seen.loaded).toBe(false);
    expect(first.a.summary.bodies?.fetched).toBe(2);
    expect(first.records.length).toBe(42 + 22 + 7);

    // 2. New mail (one of it a bounce), flag changes, expunges, and a copy of Inbox mail filed in Archive.
    const imap = await imapClient(server, user);
    await imap.mailboxOpen('INBOX');
    await imap.messageFlagsAdd('1:4', ['\\Seen']);
    await imap.messageDelete('10:12');
    await imap.append('INBOX', msg(300));
    await imap.append('INBOX', eml('dsn-delayed.eml'));
    await imap.mailboxOpen('Sent');
    await imap.messageFlagsAdd('1:2', ['\\Flagged']);
    await imap.append('Archive', msg(20)); // the same mail as INBOX's: one more location of its record
    await imap.logout();
    const second = await both();
    expect(second.a.seen.loaded).toBe(false);
    const inbox = second.a.summary.folders.find((f) => f.folder === 'INBOX')!;
    expect(inbox).toMatchObject({ added: 2, updated: 4, removed: 3 });
    expect(second.records.find((r) => r.messageId === 'idx20@client.test')!.locations.map((l) => l.folder).sort()).toEqual(['Archive', 'INBOX']);
    expect(second.a.summary.bodies?.fetched).toBe(1);

    // 3. A small delta on a store with an index: only the touched lines are parsed.
    const imap2 = await imapClient(server, user);
    await imap2.mailboxOpen('Sent');
    await imap2.messageFlagsAdd('5:6', ['\\Answered']);
    await imap2.append('INBOX', msg(301));
    await imap2.logout();
    const third = await both();
    expect(third.a.summary.folders.find((f) => f.folder === 'Sent')).toMatchObject({ updated: 2 });
    expect(third.a.seen).toMatchObject({ loaded: false, size: third.records.length });
    // two records changed flags, one is new (its candidate ids are looked up in the index, not
    // read); the log holds 70-odd records, which the sync before the index parsed every time
    expect(third.a.seen.linesParsed).toBeLessThanOrEqual(2);
  });
});
