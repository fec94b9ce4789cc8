// The small nedb stores (accounts, folders, queue, prefs) under crashes and power cuts.
//
// What these tests can prove: that a torn or damaged file is repaired, kept aside and reported
// instead of stopping the app; and that every write of a small store has been fsync(2)ed, after
// the bytes were written, before the call that made it resolves (observed at FileHandle.sync, the
// call every fsync of the store goes through). What they cannot prove: that the disk honours
// fsync (drive caches, macOS without F_FULLFSYNC), which only a real power cut would show.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../main/core/store/store.js';
import { FollowUpQueue, type FollowUp } from '../../../main/core/followup/queue.js';
import { removeDir, tempDir } from '../../integration/helpers.js';
import { watchSyncs } from './support/syncs.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach(removeDir);
});
const dataDir = () => {
  const d = tempDir('triage-small-');
  dirs.push(d);
  return d;
};

const entry = (id: string): FollowUp =>
  ({
    _id: id,
    id,
    account: 'work',
    originalId: 'o1',
    originalMessageId: 'o1@acme.test',
    conversationKey: 'o1@acme.test',
    recipient: 'bob@client.de',
    from: { name: 'Pat', address: 'pat@acme.test' },
    to: ['bob@client.de'],
    cc: [],
    subject: 'Re: Budget',
    text: 'Any news?',
    messageId: `${id}@acme.test`,
    inReplyTo: 'o1@acme.test',
    references: ['o1@acme.test'],
    scheduledAt: '2026-03-11T10:00:00+01:00',
    scheduledReason: 'test',
    scheduledRule: 'user',
    recipientTimeZone: 'Europe/Berlin',
    timeZoneSource: 'user',
    country: 'DE',
    hours: null,
    status: 'scheduled',
    attempts: 0,
    createdAt: '2026-03-10T10:00:00Z',
    updatedAt: '2026-03-10T10:00:00Z',
    step: 1,
    planId: null,
  }) as FollowUp;

async function seeded(dir: string): Promise<void> {
  const store = await Store.open(dir);
  await store.prefs.update({ _id: 'setting:app' }, { _id: 'setting:app', kind: 'setting', theme: 'dark' }, { upsert: true });
  await store.prefs.update({ _id: 'trust:a@b.test' }, { _id: 'trust:a@b.test', kind: 'trust', target: 'a@b.test', trust: 'trusted' }, { upsert: true });
  await store.prefs.update({ _id: 'dismissed:x' }, { _id: 'dismissed:x', kind: 'dismissed', target: 'x' }, { upsert: true });
  await new FollowUpQueue(store.queue).add(entry('q1'));
  await store.close();
}

describe('a torn last line in a small store (a crash or power cut mid-append)', () => {
  it.each(['prefs.db', 'queue.db'])('%s: the store opens, the torn line is dropped, a copy is kept aside and it is reported', async (name) => {
    const dir = dataDir();
    await seeded(dir);
    const file = join(dir, name);
    // One more document, cut short: in a file of 1-3 lines that is far above nedb's 10% threshold.
    const torn = JSON.stringify({ _id: 'setting:late', kind: 'setting', value: 'x'.repeat(50) }).slice(0, 37);
    appendFileSync(file, torn);
    const damaged = readFileSync(file);
    const warnings: string[] = [];
    const store = await Store.open(dir, { warn: (m: string) => warnings.push(m) });
    try {
      expect(await store.prefs.findOne({ _id: 'setting:app' })).toMatchObject({ theme: 'dark' });
      expect(await store.prefs.count({})).toBe(3);
      expect(await new FollowUpQueue(store.queue).get('q1')).toMatchObject({ status: 'scheduled' });
      expect(store.problems).toHaveLength(1);
      expect(warnings).toEqual(store.problems);
      expect(store.problems[0]).toMatch(new RegExp(`^${name.replace('.', '\\.')}: its last line was cut short`));
      // The copy is the file exactly as it was found, named in the message.
      const copies = readdirSync(dir).filter((f) => f.startsWith(`${name}.torn-`));
      expect(copies).toHaveLength(1);
      expect(store.problems[0]).toContain(copies[0]);
      expect(readFileSync(join(dir, copies[0]))).toEqual(damaged);
      // The store file itself no longer holds the torn bytes, and takes new writes on a line of their own.
      expect(readFileSync(file, 'utf8')).not.toContain(torn);
      await store.prefs.update({ _id: 'setting:new' }, { _id: 'setting:new', kind: 'setting' }, { upsert: true });
    } finally {
      await store.close();
    }
    const again = await Store.open(dir);
    expect(again.problems).toEqual([]);
    expect(await again.prefs.count({})).toBe(4);
    await again.close();
  });

  it('a damaged line in the middle is left out, reported with the count, and the file kept aside', async () => {
    const dir = dataDir();
    await seeded(dir);
    const file = join(dir, 'prefs.db');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(1, 0, '{"_id":"broken",'); // not a torn tail: bytes damaged in place
    writeFileSync(file, lines.join('\n'));
    const store = await Store.open(dir, { warn: () => undefined });
    try {
      expect(await store.prefs.count({})).toBe(3);
      expect(store.problems).toHaveLength(1);
      expect(store.problems[0]).toMatch(/^prefs\.db: 1 of 4 lines could not be read and were left out/);
      expect(readdirSync(dir).filter((f) => f.startsWith('prefs.db.damaged-'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('an intact store reports nothing and keeps no copies', async () => {
    const dir = dataDir();
    await seeded(dir);
    const store = await Store.open(dir, { warn: () => undefined });
    expect(store.problems).toEqual([]);
    await store.close();
    expect(readdirSync(dir).filter((f) => /\.(torn|damaged)-/.test(f))).toEqual([]);
  });
});

describe.skipIf(process.platform !== 'linux')('durability of the small stores (fsync before the call resolves)', () => {
  it("a queue update (the sender's 'data-end' phase) is on disk before update() resolves", async () => {
    const dir = dataDir();
    await seeded(dir);
    const store = await Store.open(dir);
    try {
      const queue = new FollowUpQueue(store.queue);
      const file = join(dir, 'queue.db');
      const syncs = await watchSyncs(dataDir(), () => queue.update('q1', { status: 'sending', phase: 'data-end', dataEndAt: '2026-03-11T09:00:00Z' }, new Date('2026-03-11T09:00:00Z')));
      const size = readFileSync(file).length;
      const ofQueue = syncs.filter((s) => s.file === file);
      // Synced after the line was written (the size it had then covers it), and before resolving.
      expect(ofQueue.some((s) => s.size === size && s.doneBeforeResolve)).toBe(true);
      // And the line is there, read through a fresh descriptor.
      const last = readFileSync(file, 'utf8').trimEnd().split('\n').pop()!;
      expect(JSON.parse(last)).toMatchObject({ _id: 'q1', phase: 'data-end' });
    } finally {
      await store.close();
    }
  });

  it.each([
    ['accounts.db', (s: Store) => s.saveAccount({ name: 'work', imap: { host: 'h', port: 1, security: 'none', user: 'u' }, addresses: ['u@h.test'], createdAt: '2026-01-01T00:00:00Z' })],
    ['folders.db', (s: Store) => s.folders.update({ _id: 'work\u0000INBOX' }, { $set: { lastUid: 42 } }, { upsert: true })],
    ['prefs.db', (s: Store) => s.prefs.remove({ _id: 'dismissed:x' }, {})],
    ['queue.db', (s: Store) => new FollowUpQueue(s.queue).add(entry('q2'))],
  ] as const)('%s: a write is synced before it resolves', async (name, write) => {
    const dir = dataDir();
    await seeded(dir);
    const store = await Store.open(dir);
    try {
      const file = join(dir, name);
      const syncs = await watchSyncs(dataDir(), () => write(store));
      const size = readFileSync(file).length;
      expect(syncs.filter((s) => s.file === file).some((s) => s.size === size && s.doneBeforeResolve)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
