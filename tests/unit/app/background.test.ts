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
