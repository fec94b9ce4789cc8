// The queue's compare-and-set (issue 17 item 2): a status change happens only from the states it
// is allowed from, and only if nothing changed the entry since it was read. Over a real store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { FollowUpQueue, SENDABLE, CANCELLABLE } from '../../../main/core/followup/queue.js';
import { entry } from './queue-fixtures.js';

const NOW = new Date('2026-03-10T10:00:00Z');
let dir: string;
let store: Store;
let queue: FollowUpQueue;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-cas-'));
  store = await Store.open(dir);
  queue = new FollowUpQueue(store.queue);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('FollowUpQueue.transition', () => {
  it('every change moves rev; an entry stored before rev existed reads as rev 0', async () => {
    const { rev: _none, ...old } = entry({ id: 'a1' });
    await queue.add(old);
    expect((await queue.get('a1'))!.rev).toBe(0);
    expect((await queue.update('a1', { text: 'x' }, NOW)).rev).toBe(1);
    expect((await queue.update('a1', { text: 'y' }, NOW)).rev).toBe(2);
  });

  it("'sending' only from scheduled, held or failed", async () => {
    for (const status of ['scheduled', 'held', 'failed', 'sending', 'sent', 'cancelled'] as const) {
      await queue.add(entry({ id: `s-${status}`, status }));
      const r = await queue.transition(`s-${status}`, { from: SENDABLE, rev: 0 }, { status: 'sending' }, NOW);
      expect([status, r?.status ?? null]).toEqual([status, SENDABLE.has(status) ? 'sending' : null]);
      if (!r) expect((await queue.get(`s-${status}`))!.status).toBe(status);
    }
  });

  it("'cancelled' only from a state not yet sending: one of two racing changes wins, the other is told", async () => {
    await queue.add(entry({ id: 'r1' }));
    const [send, cancel] = await Promise.all([
      queue.transition('r1', { from: SENDABLE, rev: 0 }, { status: 'sending' }, NOW),
      queue.transition('r1', { from: CANCELLABLE, rev: 0 }, { status: 'cancelled' }, NOW),
    ]);
    expect([send, cancel].filter(Boolean)).toHaveLength(1);
    expect((await queue.get('r1'))!.status).toBe(send ? 'sending' : 'cancelled');
  });

  it('a read that is out of date (an edit came between) changes nothing', async () => {
    await queue.add(entry({ id: 'e1', text: 'old' }));
    const read = (await queue.get('e1'))!;
    await queue.update('e1', { text: 'new' }, NOW);
    expect(await queue.transition('e1', { from: SENDABLE, rev: read.rev }, { status: 'sending' }, NOW)).toBeNull();
    expect(await queue.get('e1')).toMatchObject({ status: 'scheduled', text: 'new', rev: 1 });
    expect(await queue.transition('e1', { from: SENDABLE, rev: 1 }, { status: 'sending' }, NOW)).toMatchObject({ status: 'sending', rev: 2 });
  });
});
