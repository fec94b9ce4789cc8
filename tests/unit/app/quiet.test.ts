// Work for later waits until the api is quiet (main/app/quiet.ts): the language detector's ~1.5 s
// load once landed on the page's first requests (issue 13).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppApi } from '../../../main/core/api.js';
import { afterFirstAnswer, whenQuiet } from '../../../main/app/quiet.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const later = () => {
  let settle!: () => void;
  const p = new Promise<void>((r) => (settle = r));
  return { p, settle };
};

describe('whenQuiet', () => {
  it('runs after afterMs when nothing was asked', async () => {
    const task = vi.fn();
    whenQuiet(task, { afterMs: 3000, quietMs: 2000, latestMs: 60_000 });
    await vi.advanceTimersByTimeAsync(2900);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('waits while a call is in flight, and quietMs after the last one ends', async () => {
    const task = vi.fn();
    const q = whenQuiet(task, { afterMs: 3000, quietMs: 2000, latestMs: 60_000 });
    await vi.advanceTimersByTimeAsync(2500);
    const call = later();
    void q.track(call.p); // the page's first list, still being answered at 3 s
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).not.toHaveBeenCalled();
    call.settle();
    await vi.advanceTimersByTimeAsync(1900);
    expect(task).not.toHaveBeenCalled();
    await q.track(Promise.resolve()); // another call resets the quiet time
    await vi.advanceTimersByTimeAsync(1900);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('runs by latestMs even if calls never stop, and never after cancel', async () => {
    const task = vi.fn();
    const q = whenQuiet(task, { afterMs: 3000, quietMs: 2000, latestMs: 10_000 });
    void q.track(new Promise(() => undefined));
    await vi.advanceTimersByTimeAsync(9_900);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(task).toHaveBeenCalledTimes(1);
    const other = vi.fn();
    whenQuiet(other, { afterMs: 100 }).cancel();
    await vi.advanceTimersByTimeAsync(70_000);
    expect(other).not.toHaveBeenCalled();
  });

  it('passes the call through, its value and its error', async () => {
    const q = whenQuiet(() => undefined);
    await expect(q.track(Promise.resolve(42))).resolves.toBe(42);
    await expect(q.track(Promise.reject(new Error('no')))).rejects.toThrow('no');
    q.cancel();
  });
});

describe('afterFirstAnswer', () => {
  it('settles when a named method first answers (or fails), not on another method', async () => {
    const head = later();
    const api = { unansweredHead: vi.fn(() => head.p), counts: vi.fn(async () => ({})) } as unknown as AppApi;
    let settled = false;
    void afterFirstAnswer(api, ['unansweredHead', 'unanswered'], 10_000).then(() => (settled = true));
    await api.counts();
    const call = api.unansweredHead();
    await vi.advanceTimersByTimeAsync(1000);
    expect(settled).toBe(false);
    head.settle();
    await expect(call).resolves.toBeUndefined(); // the caller still gets its answer
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);

    const failing = { unanswered: vi.fn(() => Promise.reject(new Error('locked'))) } as unknown as AppApi;
    const after = afterFirstAnswer(failing, ['unanswered'], 10_000);
    await expect(failing.unanswered()).rejects.toThrow('locked');
    await expect(after).resolves.toBeUndefined();
  });

  it('settles after latestMs when no page asks', async () => {
    let settled = false;
    void afterFirstAnswer({ unanswered: vi.fn() } as unknown as AppApi, ['unanswered'], 10_000).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(9_900);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(settled).toBe(true);
  });
});
