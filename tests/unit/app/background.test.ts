// The app's background sender tells the user about a follow-up that did not go (issue 17 item
// 4): a refusal for good once, as an error (it is not tried again), a temporary failure once, at
// its first failure. The AppApi is a stand-in here: only its sendDue answer matters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, AppApi, SendDueResult } from '../../../main/core/api.js';
import { ApiEvents, startBackground, type Background } from '../../../main/app/index.js';

const result = (over: Partial<SendDueResult>): SendDueResult => ({ id: 'f1', to: ['bob@client.de'], subject: 'Re: Budget', action: 'failed', actionText: '', ...over }) as SendDueResult;

let bg: Background | null = null;
afterEach(() => bg?.stop());

async function noticesFor(answers: SendDueResult[][]): Promise<{ notices: ApiEvent[]; failed: SendDueResult[] }> {
  const queue = [...answers];
  const api = {
    junk: vi.fn().mockResolvedValue([]),
    listAccounts: vi.fn().mockResolvedValue([]),
    settings: vi.fn().mockResolvedValue({ syncMinutes: 10 }),
    sendDue: vi.fn(async () => queue.shift() ?? []),
  } as unknown as AppApi;
  const events = new ApiEvents();
  const notices: ApiEvent[] = [];
  events.on((e) => e.type === 'notice' && notices.push(e));
  const failed: SendDueResult[] = [];
  bg = startBackground({ api, events, sendEveryMs: 3_600_000, onFailed: (q) => failed.push(q) });
  await vi.waitFor(() => expect(api.sendDue).toHaveBeenCalledTimes(1));
  for (let i = 1; i < answers.length; i++) await bg.catchUp();
  return { notices, failed };
}

describe('startBackground: follow-ups that did not go', () => {
  it('a refusal for good: an error notice with the server’s words and the next step, and onFailed', async () => {
    const text = 'authentication failed (535 Authentication credentials invalid) (attempt 1; not retried: check the SMTP password, then send it again with "triage queue send f1")';
    const { notices, failed } = await noticesFor([[result({ permanentFailure: true, failures: 1, actionText: text })]]);
    expect(notices).toEqual([{ type: 'notice', level: 'error', message: `Follow-up to bob@client.de ("Re: Budget") not sent: ${text}` }]);
    expect(failed.map((q) => q.id)).toEqual(['f1']);
  });

  it('a temporary failure: one warning at the first failure, none at the retries', async () => {
    const first = result({ failures: 1, actionText: '450 4.2.0 Greylisted (attempt 1; tried again from Tue 1 Dec 10:01)' });
    const { notices, failed } = await noticesFor([[first], [result({ failures: 2 })], [result({ failures: 3 })]]);
    expect(notices).toEqual([{ type: 'notice', level: 'warn', message: `Follow-up to bob@client.de ("Re: Budget") not sent yet: ${first.actionText}` }]);
    expect(failed).toEqual([]);
  });
});

describe('startBackground: live news and notifications', () => {
  it('news while the minute sender runs: the sender runs once more after it, and the news waits for that run', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const api = {
      junk: vi.fn().mockResolvedValue([]),
      queue: vi.fn().mockResolvedValue([]),
      listAccounts: vi.fn().mockResolvedValue([]),
      settings: vi.fn().mockResolvedValue({ syncMinutes: 10, notifications: true }),
      sync: vi.fn().mockResolvedValue([]),
      sendDue: vi.fn(async () => {
        calls += 1;
        if (calls === 1) await new Promise<void>((r) => (release = r));
        return [];
      }),
    } as unknown as AppApi;
    let onNews: ((account: string) => Promise<void>) | null = null;
    const live = { refresh: vi.fn(async () => undefined), stop: vi.fn(async () => undefined) };
    bg = startBackground({ api, events: new ApiEvents(), sendEveryMs: 3_600_000, live: (fn) => ((onNews = fn), live) });
    await vi.waitFor(() => expect(calls).toBe(1)); // the start's send, held
    let done = false;
    const news = onNews!('work').then(() => (done = true));
    await vi.waitFor(() => expect(api.sync).toHaveBeenCalledWith({ account: 'work' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release();
    await news;
    expect(calls).toBe(2);
    await bg.stop();
    expect(live.stop).toHaveBeenCalled();
    bg = null;
  });

  it('the start is the baseline; what changes after it is told once, grouped; the setting turns it off', async () => {
    let queue = [{ id: 'f1', account: 'work', state: 'scheduled', to: ['bob@client.de'], subject: 'Budget' }];
    let enabled = true;
    const api = {
      junk: vi.fn().mockResolvedValue([]),
      queue: vi.fn(async () => queue),
      listAccounts: vi.fn().mockResolvedValue([{ name: 'work' }]),
      settings: vi.fn(async () => ({ syncMinutes: 10, notifications: enabled })),
      sync: vi.fn().mockResolvedValue([]),
      sendDue: vi.fn().mockResolvedValue([]),
    } as unknown as AppApi;
    const told: string[] = [];
    bg = startBackground({ api, events: new ApiEvents(), sendEveryMs: 3_600_000, notify: (n) => told.push(n.title) });
    await vi.waitFor(() => expect(api.sendDue).toHaveBeenCalled());
    await bg.catchUp();
    expect(told).toEqual([]);
    queue = [{ ...queue[0], state: 'sent' }];
    await bg.catchUp();
    await bg.catchUp();
    expect(told).toEqual(['Follow-up sent']);
    enabled = false;
    queue = [...queue, { id: 'f2', account: 'work', state: 'sent', to: ['eve@client.fr'], subject: 'Plan' }];
    await bg.catchUp();
    expect(told).toEqual(['Follow-up sent']);
  });
});

describe('startBackground: startAfter', () => {
  it('the first round and the live connections wait for it (the page’s first list, issue 13)', async () => {
    let go: () => void = () => undefined;
    const startAfter = new Promise<void>((r) => (go = r));
    const api = {
      junk: vi.fn().mockResolvedValue([]),
      listAccounts: vi.fn().mockResolvedValue([{ name: 'work', demo: false }]),
      settings: vi.fn().mockResolvedValue({ syncMinutes: 10 }),
      sync: vi.fn().mockResolvedValue([]),
      sendDue: vi.fn().mockResolvedValue([]),
    } as unknown as AppApi;
    const live = vi.fn(() => ({ refresh: async () => undefined, stop: async () => undefined }));
    bg = startBackground({ api, events: new ApiEvents(), sendEveryMs: 3_600_000, live, startAfter });
    await new Promise((r) => setTimeout(r, 50));
    expect(api.sync).not.toHaveBeenCalled();
    expect(api.junk).not.toHaveBeenCalled();
    expect(live).not.toHaveBeenCalled();
    go();
    await vi.waitFor(() => expect(api.sendDue).toHaveBeenCalledTimes(1));
    expect(api.sync).toHaveBeenCalledTimes(1);
    expect(live).toHaveBeenCalledTimes(1);
  });

  it('stopped before it settles: nothing starts', async () => {
    let go: () => void = () => undefined;
    const api = { junk: vi.fn(), listAccounts: vi.fn(), settings: vi.fn(), sync: vi.fn(), sendDue: vi.fn() } as unknown as AppApi;
    const live = vi.fn(() => ({ refresh: async () => undefined, stop: async () => undefined }));
    const stopped = startBackground({ api, events: new ApiEvents(), sendEveryMs: 3_600_000, live, startAfter: new Promise<void>((r) => (go = r)) });
    await stopped.stop();
    go();
    await new Promise((r) => setTimeout(r, 50));
    expect(api.junk).not.toHaveBeenCalled();
    expect(live).not.toHaveBeenCalled();
  });
});
