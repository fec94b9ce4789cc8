// The pure part of live updates: which mailboxes, on how many connections within the budget, and
// how long to wait before connecting again.
import { describe, expect, it } from 'vitest';
import { planWatches, reconnectDelay, watchedPaths } from '../../../main/core/live/index.js';

const folder = (path: string, role: string, synced = true) => ({ path, role, synced }) as never;

describe('watchedPaths', () => {
  it('Inbox, Junk, Sent by role, in that order, whatever the names', () => {
    expect(watchedPaths([folder('Sent Items', 'sent'), folder('INBOX', 'inbox'), folder('Junk Email', 'junk'), folder('Archive', 'archive')])).toEqual(['INBOX', 'Junk Email', 'Sent Items']);
  });
  it('before the first sync (no folders known): the Inbox alone', () => {
    expect(watchedPaths([])).toEqual(['INBOX']);
  });
  it('a folder the user stopped syncing is not watched; Gmail-style names are kept', () => {
    expect(watchedPaths([folder('INBOX', 'inbox'), folder('[Gmail]/Spam', 'junk', false), folder('[Gmail]/Sent Mail', 'sent')])).toEqual(['INBOX', '[Gmail]/Sent Mail']);
  });
});

describe('planWatches: the connection budget counts the sync’s connection too', () => {
  const paths = ['INBOX', 'Junk', 'Sent'];
  it.each([
    // budget, notify, expected connections (selected mailbox: others by NOTIFY)
    [1, null, []],
    [1, true, []],
    [2, null, [['INBOX', ['Junk', 'Sent']]]],
    [2, true, [['INBOX', ['Junk', 'Sent']]]],
    [2, false, [['INBOX', ['Junk', 'Sent']]]],
    [3, false, [['INBOX', ['Junk', 'Sent']], ['Junk', []]]],
    [4, false, [['INBOX', ['Junk', 'Sent']], ['Junk', []], ['Sent', []]]],
    [15, false, [['INBOX', ['Junk', 'Sent']], ['Junk', []], ['Sent', []]]],
    [15, true, [['INBOX', ['Junk', 'Sent']]]],
  ] as const)('budget %i, NOTIFY %s', (budget, notify, expected) => {
    const plan = planWatches({ paths, budget, notify });
    expect(plan.map((p) => [p.selected, p.others])).toEqual(expected);
    expect(plan.length).toBeLessThanOrEqual(Math.max(0, budget - 1));
  });
  it('no mailbox, no connection', () => {
    expect(planWatches({ paths: [], budget: 5, notify: false })).toEqual([]);
  });
});

describe('reconnectDelay', () => {
  const mid = () => 0.5; // no jitter
  it('doubles from 1 s up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 10, 50].map((n) => reconnectDelay(n, undefined, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 128000, 256000, 300000, 300000]);
  });
  it('jitter stays within ±20 % and never above the cap', () => {
    expect(reconnectDelay(1, undefined, () => 0)).toBe(800);
    expect(reconnectDelay(1, undefined, () => 0.999999)).toBe(1200);
    expect(reconnectDelay(20, undefined, () => 0.999999)).toBe(300000);
  });
  it('a nonsense count is read as the first failure', () => {
    expect(reconnectDelay(0, undefined, mid)).toBe(1000);
    expect(reconnectDelay(-3, { firstMs: 300, maxMs: 3000 }, mid)).toBe(300);
  });
});
