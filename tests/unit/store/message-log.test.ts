import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MessageLog } from '../../../main/core/store/message-log.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { removeDir, tempDir } from '../../integration/helpers.js';
import { watchSyncs } from './support/syncs.js';

const rec = (i: number, folder = 'INBOX') =>
  recordFromEml(`From: a${i}@x.test\r\nTo: me@y.test\r\nSubject: s${i}\r\nMessage-ID: <m${i}@x.test>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n`, { folder, uid: i });

describe('MessageLog', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const file = () => {
    const d = tempDir();
    dirs.push(d);
    return join(d, 'messages', 'a.jsonl');
  };

  it('replays puts, replacements and removals in order', async () => {
    const f = file();
    const log = await MessageLog.open(f);
    await log.put([rec(1), rec(2), rec(3)]);
    await log.put([{ ...rec(2), subject: 'changed' }]);
    await log.remove([rec(3)._id, 'not-there']);
    const again = await MessageLog.open(f);
    expect(again.size).toBe(2);
    expect(again.get(rec(2)._id)!.subject).toBe('changed');
    expect(again.get(rec(3)._id)).toBeUndefined();
    expect(again.stats().lines).toBe(5);
  });

  it('skips a partial last line left by a kill -9, and appends after it on a new line', async () => {
    const f = file();
    const log = await MessageLog.open(f);
    await log.put([rec(1), rec(2)]);
    appendFileSync(f, JSON.stringify(rec(3)).slice(0, 40)); // a write cut short
    const reopened = await MessageLog.open(f);
    expect(reopened.size).toBe(2);
    expect(reopened.stats().corruptLines).toBe(1);
    await reopened.put([rec(4)]);
    const third = await MessageLog.open(f);
    expect(third.size).toBe(3);
    expect(third.get(rec(4)._id)).toBeDefined();
  });

  it('compaction keeps exactly the live records and bounds the file', async () => {
    const f = file();
    const log = await MessageLog.open(f);
    const records = Array.from({ length: 500 }, (_, i) => rec(i));
    await log.put(records);
    for (let round = 0; round < 4; round++) await log.put(records.map((r) => ({ ...r, subject: `round ${round}` })));
    await log.remove(records.slice(0, 100).map((r) => r._id));
    expect(log.needsCompaction()).toBe(true);
    const before = readFileSync(f).length;
    await log.compact();
    const after = readFileSync(f).length;
    expect(after).toBeLessThan(before / 4);
    const reopened = await MessageLog.open(f);
    expect(reopened.size).toBe(400);
    expect(reopened.stats().lines).toBe(400);
    expect(reopened.get(records[200]._id)!.subject).toBe('round 3');
    expect(reopened.needsCompaction()).toBe(false);
  });

  it('ignores garbage lines instead of refusing to start', async () => {
    const f = file();
    const log = await MessageLog.open(f);
    await log.put([rec(1)]);
    writeFileSync(f, readFileSync(f, 'utf8') + 'not json\n{"no":"id"}\n' + JSON.stringify(rec(2)) + '\n');
    const reopened = await MessageLog.open(f);
    expect(reopened.size).toBe(2);
    expect(reopened.stats().corruptLines).toBe(2);
  });

  // Sync moves a folder's lastUid (folders.db, fsynced) only after a batch is put here: were the
  // batch still in the page cache at a power cut, the messages below lastUid would be missing for
  // good. So a put or remove is on disk before it resolves. (What a test can show: fsync(2) was
  // called after the bytes were written and completed before the call resolved.)
  it.skipIf(process.platform !== 'linux')('put and remove are fsynced before they resolve', async () => {
    const f = file();
    const log = await MessageLog.open(f);
    for (const step of [() => log.put([rec(1), rec(2)]), () => log.remove([rec(1)._id])]) {
      const syncs = await watchSyncs(dirname(f), step);
      const size = readFileSync(f).length;
      expect(syncs.some((s) => s.file === f && s.size === size && s.doneBeforeResolve)).toBe(true);
    }
  });

  it('loads a log written before copies were told apart (one record per Message-ID): nothing lost', async () => {
    // tests/fixtures/store/README.md: written by the previous version's own sync.
    const f = file();
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(dirname(f), { recursive: true });
    copyFileSync(join(import.meta.dirname, '../../fixtures/store/messages-one-record-per-message-id.jsonl'), f);
    const log = await MessageLog.open(f);
    expect(log.stats()).toMatchObject({ records: 5, lines: 8, corruptLines: 0 });
    const ids = [...log.values()].map((r) => r.messageId).sort();
    expect(ids).toEqual(['anna-reply-1@client.test', 'bob-note-1@corp.test', 'bounce-1@mx.acme.test', 'contract-1@acme.test', 'quote-1@acme.test']);
    for (const r of log.values()) {
      expect(r.digest).toBeUndefined();
      expect(r.locations.length).toBeGreaterThan(0);
    }
    expect([...log.values()].find((r) => r.messageId === 'bounce-1@mx.acme.test')!.bodyText).toContain('Action: failed');
    // Every record of it waits for sync to read its copies again; the count follows each write.
    expect(log.uncheckedRecords).toBe(5);
    const anna = [...log.values()].find((r) => r.messageId === 'anna-reply-1@client.test')!;
    await log.put([{ ...anna, digest: 'd'.repeat(32), locations: [anna.locations[0], { ...anna.locations[1], unverified: true }] }]);
    expect(log.uncheckedRecords).toBe(5);
    await log.put([{ ...anna, digest: 'd'.repeat(32), locations: [anna.locations[0]] }]);
    expect(log.uncheckedRecords).toBe(4);
    await log.remove([[...log.values()].find((r) => r.messageId === 'quote-1@acme.test')!._id]);
    expect(log.uncheckedRecords).toBe(3);
    // and it takes new-format records beside the old ones, which need no check
    await log.put([rec(1)]);
    expect(log.uncheckedRecords).toBe(3);
    const reopened = await MessageLog.open(f);
    expect(reopened.size).toBe(5);
    expect(reopened.uncheckedRecords).toBe(3);
    // a replaced record keeps its place in the order (analyses break ties by it)
    expect([...reopened.values()][0].messageId).toBe('anna-reply-1@client.test');
  });
});

describe('MessageLog loads as a stream', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('lines across the 1 MB read chunks, multi-byte characters split by them, equal a parse of each line', async () => {
    const d = tempDir();
    dirs.push(d);
    const f = join(d, 'a.jsonl');
    // ~3.5 MB of records whose subjects hold 2-, 3- and 4-byte UTF-8 at shifting offsets.
    const records = Array.from({ length: 6000 }, (_, i) => ({ ...rec(i), subject: `${'x'.repeat(i % 97)}é日本😀 ${'ü'.repeat(i % 300)} #${i}` }));
    writeFileSync(f, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const log = await MessageLog.open(f);
    expect(log.size).toBe(6000);
    expect(log.stats()).toMatchObject({ lines: 6000, corruptLines: 0, bytes: readFileSync(f).length });
    expect(log.all()).toEqual(readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l)));
    // A last line without its newline (a write cut short) is still read when whole.
    appendFileSync(f, JSON.stringify(rec(99999)));
    expect((await MessageLog.open(f)).get(rec(99999)._id)).toBeDefined();
  });

  it('shares what records repeat (addresses, folders, flags, Message-IDs) without changing a record', async () => {
    const d = tempDir();
    dirs.push(d);
    const f = join(d, 'a.jsonl');
    const a = recordFromEml('From: Anna <anna@x.test>\r\nTo: me@y.test\r\nSubject: One\r\nMessage-ID: <one@x.test>\r\n\r\n', { folder: 'INBOX', uid: 1, flags: ['\\Seen'] });
    const b = recordFromEml('From: Anna <anna@x.test>\r\nTo: me@y.test\r\nSubject: Re: One\r\nMessage-ID: <two@x.test>\r\nIn-Reply-To: <one@x.test>\r\nReferences: <one@x.test>\r\n\r\n', { folder: 'INBOX', uid: 2, flags: ['\\Seen'] });
    writeFileSync(f, `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`);
    const log = await MessageLog.open(f);
    const [x, y] = [log.get(a._id)!, log.get(b._id)!];
    expect([x, y]).toEqual([JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))]);
    expect(y.from[0]).toBe(x.from[0]);
    expect(y.to[0]).toBe(x.to[0]);
    expect(y.locations[0].flags).toBe(x.locations[0].flags);
  });

  it('reads a hand-damaged record as it is (no field is required but _id)', async () => {
    const d = tempDir();
    dirs.push(d);
    const f = join(d, 'a.jsonl');
    writeFileSync(f, '{"_id":"odd","subject":7,"from":null,"locations":[null,{"folder":1,"flags":[2]}]}\n');
    const log = await MessageLog.open(f);
    expect(JSON.stringify(log.get('odd'))).toBe('{"_id":"odd","subject":7,"from":null,"locations":[null,{"folder":1,"flags":[2]}]}');
  });
});

describe('MessageLog.summary: the counts without loading the log', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('follows every write, and is refused once the log changed behind it', async () => {
    const d = tempDir();
    dirs.push(d);
    const f = join(d, 'a.jsonl');
    const log = await MessageLog.open(f);
    await log.put([rec(1), rec(2), rec(3, 'Archive')]);
    await log.put([{ ...rec(2), locations: [...rec(2).locations, { folder: 'Archive', uid: 9, flags: [] }] }]);
    await log.remove([rec(1)._id]);
    expect(await MessageLog.summary(f)).toEqual({ records: 2, folders: { Archive: 2, INBOX: 1 } });
    expect(await MessageLog.summary(f)).toEqual(log.counts());
    // Another writer (or a crash before the summary): the summary no longer matches the file.
    appendFileSync(f, JSON.stringify(rec(4)) + '\n');
    expect(await MessageLog.summary(f)).toBeNull();
    await MessageLog.open(f); // a load writes it anew
    expect(await MessageLog.summary(f)).toEqual({ records: 3, folders: { Archive: 2, INBOX: 2 } });
  });
});
