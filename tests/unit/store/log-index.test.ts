// The index beside a message log (store/log-index.ts): a log opened from it reads only the
// lines it is asked for, and an index that is missing, stale (a write after it, a kill -9 between
// a write and the index), torn or of another log is never believed: the log is loaded whole and
// the index made again, with the same results as a full load.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageLog, type TextRule } from '../../../main/core/store/message-log.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { removeDir, tempDir } from '../../integration/helpers.js';

const rec = (i: number, folder = 'INBOX', uid = i): MessageRecord =>
  recordFromEml(`From: a${i}@x.test\r\nTo: me@y.test\r\nSubject: s${i}\r\nMessage-ID: <m${i}@x.test>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n`, { folder, uid });

/** A stand-in for the body pass's rule: subjects ending in 0. */
const RULE: TextRule = { tag: 'test-1', wants: (r) => r.bodyText === undefined && r.subject.endsWith('0') };

/** What sync reads of a log, and what a full load gives: these must be equal. */
async function view(log: MessageLog) {
  const folders: Record<string, [number, string][]> = {};
  for (const f of ['INBOX', 'Archive', 'Sent']) folders[f] = [...log.folderIndex(f)].sort((a, b) => a[0] - b[0]);
  return {
    size: log.size,
    counts: log.counts(),
    unchecked: log.uncheckedRecords,
    marked: (await log.markedIds()).sort(),
    folders,
  };
}

async function fullLoad(f: string) {
  rmSync(`${f}.index`, { force: true });
  const log = await MessageLog.open(f, RULE);
  return { log, view: await view(log), records: log.all() };
}

describe('the message log index', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));
  const file = () => {
    const d = tempDir();
    dirs.push(d);
    return join(d, 'messages', 'a.jsonl');
  };

  /** A log of 300 records in two folders, some replaced, moved and removed, index saved. */
  async function written(f: string) {
    const log = await MessageLog.openIndexed(f, RULE);
    await log.put(Array.from({ length: 200 }, (_, i) => rec(i)));
    await log.put(Array.from({ length: 100 }, (_, i) => rec(200 + i, 'Archive')));
    await log.put([{ ...rec(5), locations: [...rec(5).locations, { folder: 'Archive', uid: 900, flags: [] }] }]);
    await log.put([{ ...rec(10), bodyText: 'fetched' }, { ...rec(11), subject: 'changed 20' }]);
    await log.remove([rec(7)._id, rec(250)._id]);
    await log.saveIndex();
    return log;
  }

  it('a log opened from its index reads only the records asked for, with the same results as a full load', async () => {
    const f = file();
    await written(f);
    const indexed = await MessageLog.openIndexed(f, RULE);
    expect(indexed.loaded).toBe(false);
    expect(indexed.linesParsed).toBe(0);
    const full = await fullLoad(f);
    expect(await view(indexed)).toEqual(full.view);
    expect(indexed.linesParsed).toBe(0); // folders, counts, marks: all from the index
    for (const id of [rec(5)._id, rec(11)._id, rec(299)._id]) expect(indexed.get(id)).toEqual(full.log.get(id));
    expect(indexed.get(rec(7)._id)).toBeUndefined();
    expect(indexed.linesParsed).toBe(3);
    expect(() => indexed.values()).toThrow(/loadAll/);
    // a put and a remove keep it: the reopened log equals a full load again
    await indexed.put([{ ...indexed.get(rec(1)._id)!, subject: 'now 30' }, rec(400, 'Sent')]);
    await indexed.remove([rec(2)._id]);
    expect(indexed.linesParsed).toBeLessThan(10);
    await indexed.saveIndex();
    const again = await MessageLog.openIndexed(f, RULE);
    const reloaded = await fullLoad(f);
    expect(await view(again)).toEqual(reloaded.view);
    expect(reloaded.view.marked).toContain(rec(1)._id);
    // loadAll gives the records in a fresh load's order
    await again.loadAll();
    expect(again.all()).toEqual(reloaded.records);
  });

  it('a log opened to load every record reads only the index header, and the rest before its first write', async () => {
    const f = file();
    await written(f);
    const expected = await view(await MessageLog.openIndexed(f, RULE));
    const full = await MessageLog.open(f, RULE);
    expect(full.loaded).toBe(true);
    // without the index: the same answers, from the records
    expect(full.size).toBe(expected.size);
    expect(full.counts()).toEqual(expected.counts);
    expect(full.uncheckedRecords).toBe(expected.unchecked);
    expect(full.folderIndex('INBOX')).toEqual(new Map(expected.folders.INBOX));
    await full.put([{ ...rec(4), subject: 'then 0' }]);
    await full.remove([rec(6)._id]);
    await full.saveIndex();
    const again = await MessageLog.openIndexed(f, RULE);
    expect(again.loaded).toBe(false);
    const fresh = await fullLoad(f);
    expect(await view(again)).toEqual(fresh.view);
    expect(await view(full)).toEqual(fresh.view);
    expect(full.all()).toEqual(fresh.records);
  });

  it('a missing index (a store of an older version) is made by one full load', async () => {
    const f = file();
    await written(f);
    const expected = await fullLoad(f); // deletes the index
    rmSync(`${f}.index`, { force: true });
    const log = await MessageLog.openIndexed(f, RULE);
    expect(log.loaded).toBe(true);
    expect(existsSync(`${f}.index`)).toBe(true);
    expect(await view(log)).toEqual(expected.view);
    expect(log.all()).toEqual(expected.records);
    const next = await MessageLog.openIndexed(f, RULE);
    expect(next.loaded).toBe(false);
    expect(await view(next)).toEqual(expected.view);
  });

  it('a write after the index was saved (a kill -9 before the next save) makes it stale: rebuilt, same results', async () => {
    const f = file();
    const log = await written(f);
    await log.put([{ ...rec(3), subject: 'late 0' }, rec(500, 'Sent')]); // not saved: the process dies
    const reopened = await MessageLog.openIndexed(f, RULE);
    expect(reopened.loaded).toBe(true); // refused by its size, loaded whole
    const expected = await fullLoad(f);
    expect(await view(reopened)).toEqual(expected.view);
    expect(reopened.get(rec(3)._id)!.subject).toBe('late 0');
  });

  it('a partial last line left by a kill -9 after the index: rebuilt, the torn line skipped', async () => {
    const f = file();
    await written(f);
    appendFileSync(f, JSON.stringify(rec(600)).slice(0, 50));
    const reopened = await MessageLog.openIndexed(f, RULE);
    expect(reopened.loaded).toBe(true);
    expect(reopened.stats().corruptLines).toBe(1);
    await reopened.put([rec(601)]);
    await reopened.saveIndex();
    const again = await MessageLog.openIndexed(f, RULE);
    expect(again.loaded).toBe(false);
    expect(again.get(rec(601)._id)!.messageId).toBe('m601@x.test');
    expect(await view(again)).toEqual((await fullLoad(f)).view);
  });

  it('a torn, garbled or foreign index is refused and made again', async () => {
    const f = file();
    await written(f);
    const good = readFileSync(`${f}.index`, 'utf8');
    const [head, body] = good.split('\n');
    const expected = await fullLoad(f);
    const bad = [
      good.slice(0, good.length / 2), // torn
      'not json at all',
      head, // the header alone
      `${head}\n${JSON.stringify({ ...JSON.parse(body), spans: [1, 2, 3] })}`, // spans of other ids
      `${head}\n${JSON.stringify({ ...JSON.parse(body), ids: [...JSON.parse(body).ids].reverse() })}`, // not sorted
      `${head}\n${JSON.stringify({ ...JSON.parse(body), folders: { INBOX: [1, 2] } })}`, // not a folder's shape
      `${JSON.stringify({ ...JSON.parse(head), format: 99 })}\n${body}`,
    ];
    for (const text of bad) {
      writeFileSync(`${f}.index`, text);
      const log = await MessageLog.openIndexed(f, RULE);
      expect(log.loaded).toBe(true);
      expect(await view(log)).toEqual(expected.view);
    }
  });

  it('a log rewritten to the same size (a record changed in place) is told apart by its bytes', async () => {
    const f = file();
    await written(f);
    const text = readFileSync(f, 'utf8');
    const last = JSON.stringify(rec(299, 'Archive'));
    expect(text).toContain(last);
    writeFileSync(f, text.replace(last, last.replace('s299', 'x299')));
    const log = await MessageLog.openIndexed(f, RULE);
    expect(log.loaded).toBe(true);
    expect(log.get(rec(299)._id)!.subject).toBe('x299');
  });

  it('an index made under another rule, or with none, has its marks made again', async () => {
    const f = file();
    await written(f);
    const other: TextRule = { tag: 'test-2', wants: (r) => r.subject.endsWith('1') };
    const log = await MessageLog.openIndexed(f, other);
    expect(log.loaded).toBe(false);
    const marked = await log.markedIds(); // loads the log once to mark
    expect(log.loaded).toBe(true);
    const full = await MessageLog.open(f, other);
    expect(marked.sort()).toEqual(full.all().filter((r) => other.wants(r)).map((r) => r._id).sort());
  });

  it('records put into a log opened from its index are written, not held (a first sync holds none)', async () => {
    const f = file();
    const log = await MessageLog.openIndexed(f, RULE);
    for (let b = 0; b < 5; b++) await log.put(Array.from({ length: 200 }, (_, i) => rec(b * 200 + i)));
    expect(log.size).toBe(1000);
    expect(log.recordsHeld).toBe(0);
    expect(log.get(rec(321)._id)!.subject).toBe('s321'); // read back from its line
    expect(log.recordsHeld).toBe(1);
    await log.saveIndex();
    expect(await view(log)).toEqual((await fullLoad(f)).view);
  });

  it('a put while the records load is neither lost nor applied twice', async () => {
    const f = file();
    await written(f);
    const log = await MessageLog.openIndexed(f, RULE);
    const loading = log.loadAll();
    const putting = log.put([{ ...rec(1), subject: 'during 0' }, rec(700, 'Sent')]);
    await Promise.all([loading, putting]);
    expect(log.get(rec(1)._id)!.subject).toBe('during 0');
    await log.saveIndex();
    const full = await fullLoad(f);
    expect(log.all()).toEqual(full.records);
    expect(await view(log)).toEqual(full.view);
  });

  it('compaction rewrites the index with the new offsets', async () => {
    const f = file();
    const log = await MessageLog.openIndexed(f, RULE);
    const records = Array.from({ length: 600 }, (_, i) => rec(i));
    await log.put(records);
    for (let round = 0; round < 3; round++) await log.put(records.map((r) => ({ ...r, subject: `round ${round}` })));
    expect(log.needsCompaction()).toBe(true);
    await log.compact();
    const reopened = await MessageLog.openIndexed(f, RULE);
    expect(reopened.loaded).toBe(false);
    expect(reopened.get(records[321]._id)!.subject).toBe('round 2');
    expect(reopened.stats().lines).toBe(600);
    expect(await view(reopened)).toEqual((await fullLoad(f)).view);
  });
});
