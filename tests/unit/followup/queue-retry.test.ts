// How long a failed follow-up waits before send-due tries it again (retry.ts), and that a due
// entry whose handling fails (here: the check for replies cannot reach the server) waits too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { backingOff, failedOnce, retryWaitMs } from '../../../main/core/followup/retry.js';
import { TriageError } from '../../../main/core/errors.js';
import { followUpDeps, followUpsOver } from './follow-up-deps.js';
import { account, budgetThread, entry, mailbox } from './queue-fixtures.js';

const NOW = '2026-03-10T10:00:00Z'; // Tuesday; 11:00 in Berlin
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000);

describe('retryWaitMs: 1, 2, 4, 8 … minutes, at most an hour', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [6, 32],
    [7, 60],
    [50, 60],
    [10_000, 60],
  ])('after failure %i: %i min', (n, minutes) => expect(retryWaitMs(n)).toBe(minutes * 60_000));
});

describe('failedOnce and backingOff', () => {
  it('a temporary failure waits; a permanent one stops send-due until the user acts', () => {
    const once = failedOnce({}, at(0), false);
    expect(once).toEqual({ failures: 1, permanentFailure: null, nextAttemptAt: at(1).toISOString() });
    const e = entry({ status: 'failed', failures: 1, nextAttemptAt: at(1).toISOString() });
    expect([backingOff(e, at(0)), backingOff(e, at(1))]).toEqual([true, false]);
    const refused = entry({ status: 'failed', ...failedOnce({ failures: 3 }, at(0), true) } as never);
    expect(refused).toMatchObject({ failures: 4, permanentFailure: true });
    expect(backingOff(refused, at(10_000))).toBe(true);
  });
});

describe('send-due when the check for replies fails', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'triage-retry-'));
    store = await Store.open(dir);
    await store.saveAccount(account);
    for (const f of mailbox([]).folders) await store.saveFolder(f);
    await (await store.messages('work')).put(budgetThread());
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nothing is sent, and the next look comes after 1, 2, 4 … minutes, not every minute', async () => {
    const deps = followUpDeps(store, { now: () => new Date(NOW) });
    const followUps = followUpsOver(deps);
    const q1 = budgetThread().find((r) => r.messageId === 'q1@acme.test')!;
    const [e] = await followUps.resend(q1._id, { now: NOW });
    const sync = vi.fn().mockRejectedValue(new Error('Cannot reach 127.0.0.1:1: the connection was refused.'));
    deps.sync = sync;
    const looked: number[] = [];
    for (let t = 0; t < 40; t++) {
      const before = sync.mock.calls.length;
      const results = await followUps.sendDue({ now: at(t).toISOString() });
      if (sync.mock.calls.length > before) {
        looked.push(t);
        expect(results).toMatchObject([{ id: e.id, action: 'deferred', actionText: `could not check work for replies first (Cannot reach 127.0.0.1:1: the connection was refused.); nothing sent` }]);
      }
    }
    expect(looked).toEqual([0, 1, 3, 7, 15, 31]);
    expect(await followUps.queue.get(e.id)).toMatchObject({ status: 'scheduled', attempts: 0, failures: 6 });
  });

  it('an account that must sign in again: each look is refused at once and counts as no failure, so signing in again lets it go at the next run', async () => {
    const deps = followUpDeps(store, { now: () => new Date(NOW) });
    const followUps = followUpsOver(deps);
    const q1 = budgetThread().find((r) => r.messageId === 'q1@acme.test')!;
    const [e] = await followUps.resend(q1._id, { now: NOW });
    // What the sync runner answers for a flagged account (auth/access-tokens.ts): no server, no
    // provider asked; the account waits for the user.
    const sync = vi.fn().mockRejectedValue(new TriageError('sign-in-required', 'Google no longer accepts the saved sign-in of work (invalid_grant): sign in again (Accounts → Sign in again).'));
    deps.sync = sync;
    for (let t = 0; t < 5; t++) {
      const results = await followUps.sendDue({ now: at(t).toISOString() });
      expect(results).toMatchObject([{ id: e.id, action: 'deferred', status: 'scheduled' }]);
      expect(results[0].actionText).toContain('sign in again');
    }
    expect(sync).toHaveBeenCalledTimes(5);
    const waiting = await followUps.queue.get(e.id);
    expect(waiting).toMatchObject({ status: 'scheduled', attempts: 0 });
    expect(waiting?.failures ?? 0).toBe(0);
    expect(waiting?.nextAttemptAt ?? null).toBeNull();
    // Signed in again: the very next run looks for replies (and goes on to send).
    sync.mockRejectedValue(new Error('the look ran'));
    await followUps.sendDue({ now: at(5).toISOString() });
    expect(sync).toHaveBeenCalledTimes(6);
  });
});
