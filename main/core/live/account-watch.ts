// The watch connections of one account, kept open: opened by the plan (plan.ts), and after a drop
// opened again with a growing wait. Every (re)connection reports 'connected', since mail may have
// come while nothing watched; the account's sync then looks (live.ts).
import type { AccountConfig } from '../model.js';
import type { Logger, SecretStore } from '../deps/index.js';
import { toApiError } from '../errors.js';
import { openWatch, type WatchConnection, type WatchNews } from '../imap/index.js';
import { planWatches, reconnectDelay, type Backoff } from './plan.js';

export type WatchState = 'connecting' | 'watching' | 'waiting' | 'stopped';

export interface AccountWatchStatus {
  account: string;
  state: WatchState;
  /** Mailboxes reported on right now. */
  paths: string[];
  /** Whether NOTIFY (RFC 5465) carries the mailboxes beyond the first. */
  notify: boolean;
  /** Watch connections open right now. */
  connections: number;
  /** Successful connections since start (more than one: it reconnected). */
  connects: number;
  /** IDLE restarts, over every connection so far. */
  restarts: number;
  /** Failures in a row; the wait grows with them. */
  failures: number;
  lastError: string | null;
}

export interface AccountWatchOptions {
  account: AccountConfig;
  secrets: SecretStore;
  /** Watched mailboxes, Inbox first (plan.ts watchedPaths). */
  paths: string[];
  budget: number;
  restartMs: number;
  backoff: Backoff;
  /** Up this long, a drop starts the backoff from the beginning again. */
  stableMs: number;
  onNews(news: WatchNews): void;
  log: Logger;
}

export interface AccountWatch {
  status(): AccountWatchStatus;
  stop(): Promise<void>;
}

/** Failures that another try with the same credentials will not fix: wait the longest. */
const SIGN_IN_CODES = new Set(['auth-failed', 'sign-in-required']);

export function watchAccount(o: AccountWatchOptions): AccountWatch {
  const access = { account: o.account, secrets: o.secrets };
  let stopped = false;
  let wake: () => void = () => undefined;
  const stopping = new Promise<null>((resolve) => (wake = () => resolve(null)));
  let open: WatchConnection[] = [];
  let pastRestarts = 0;
  const s: AccountWatchStatus = { account: o.account.name, state: 'connecting', paths: [], notify: false, connections: 0, connects: 0, restarts: 0, failures: 0, lastError: null };

  const pause = (ms: number) => Promise.race([stopping, new Promise<null>((r) => setTimeout(() => r(null), ms).unref?.())]);
  const closeAll = async () => {
    const closing = open;
    open = [];
    pastRestarts += closing.reduce((n, c) => n + c.restarts, 0);
    await Promise.all(closing.map((c) => c.close().catch(() => undefined)));
  };
  const failed = async (e: unknown) => {
    const err = toApiError(e);
    s.failures = SIGN_IN_CODES.has(err.code) ? Math.max(s.failures + 1, 30) : s.failures + 1;
    s.lastError = err.message;
    s.state = 'waiting';
    const ms = reconnectDelay(s.failures, o.backoff);
    const wait = ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
    o.log.warn(`Live updates for ${o.account.name} stopped (${err.message}); connecting again in ${wait} s, polling meanwhile.`);
    await pause(ms);
  };

  const openAll = async (): Promise<WatchConnection[]> => {
    const conns: WatchConnection[] = [];
    try {
      const [head] = planWatches({ paths: o.paths, budget: o.budget, notify: null });
      conns.push(await openWatch({ access, selected: head.selected, others: head.others, restartMs: o.restartMs, onNews: o.onNews }));
      for (const p of planWatches({ paths: o.paths, budget: o.budget, notify: conns[0].notify }).slice(1)) {
        conns.push(await openWatch({ access, selected: p.selected, others: p.others, restartMs: o.restartMs, onNews: o.onNews }));
      }
      return conns;
    } catch (e) {
      await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
      throw e;
    }
  };

  const loop = async () => {
    while (!stopped) {
      s.state = 'connecting';
      let conns: WatchConnection[];
      try {
        conns = await openAll();
      } catch (e) {
        if (!stopped) await failed(e);
        continue;
      }
      open = conns;
      if (stopped) break;
      s.state = 'watching';
      s.connects += 1;
      s.paths = conns.flatMap((c) => c.paths);
      s.notify = conns[0].notify;
      o.log.info(`Live updates for ${o.account.name}: watching ${s.paths.join(', ')}${s.notify ? ' (NOTIFY)' : ''} on ${conns.length} connection${conns.length === 1 ? '' : 's'}.`);
      o.onNews({ path: '', kind: 'connected' });
      const since = Date.now();
      const why = await Promise.race([stopping, ...conns.map((c) => c.ended)]);
      await closeAll();
      s.paths = [];
      if (stopped) break;
      if (Date.now() - since >= o.stableMs) s.failures = 0;
      await failed(why ?? new Error('the connection ended'));
    }
    await closeAll(); // opened while stop() ran
    s.state = 'stopped';
  };
  const running = loop();

  return {
    status: () => ({ ...s, connections: open.length, restarts: pastRestarts + open.reduce((n, c) => n + c.restarts, 0) }),
    async stop() {
      stopped = true;
      wake();
      await closeAll();
      await running;
    },
  };
}
