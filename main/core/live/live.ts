// Live updates: every account with a server is watched (account-watch.ts), and news of a change
// runs `onNews(account)`, which the app makes the same incremental sync as its poll (and the
// follow-up pass after it), so a reply cancels that conversation's follow-ups within seconds.
// News is coalesced per account: a burst of deliveries while a sync runs makes one more sync after
// it, never a second one beside it (the sync runner keeps syncs one at a time in the process too).
// Polling stays: IDLE can go quiet without an error (ARCHITECTURE, known pitfalls of imapflow).
import type { AccountConfig } from '../model.js';
import type { Logger, SecretStore } from '../deps/index.js';
import type { Store } from '../store/index.js';
import { readSettings } from '../settings/index.js';
import type { WatchNews } from '../imap/index.js';
import { DEFAULT_BACKOFF, watchedPaths, type Backoff } from './plan.js';
import { watchAccount, type AccountWatch, type AccountWatchStatus } from './account-watch.js';

export interface LiveDeps {
  store: Store;
  secrets: SecretStore;
  log: Logger;
  /** The account's incremental sync (and what follows it); never called twice at once per account. */
  onNews(account: string, news: WatchNews[]): Promise<void>;
  /** IDLE is broken and restarted this often; default 10 minutes (Microsoft 365 goes quiet after
   *  about that long; RFC 2177 allows 29). */
  restartMs?: number;
  /** How often the accounts and settings are looked at again (default 30 s). */
  reconcileMs?: number;
  /** News this close together makes one sync (default 200 ms). */
  debounceMs?: number;
  backoff?: Backoff;
  /** Up this long, a drop starts the backoff from 1 s again (default 60 s). */
  stableMs?: number;
}

export interface Live {
  /** Each watched account's connections; accounts with no watch (budget 1) are not listed. */
  status(): AccountWatchStatus[];
  /** Look at the accounts and settings again now (an account added, a setting changed). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export const LIVE_RESTART_MS = 10 * 60_000;

interface Watched {
  key: string;
  watch: AccountWatch;
}

interface Pending {
  news: WatchNews[];
  timer: ReturnType<typeof setTimeout> | null;
  running: boolean;
}

/** What a watch depends on: a change to any of it opens the connections again. */
function watchKey(account: AccountConfig, budget: number, paths: string[]): string {
  return JSON.stringify({ imap: account.imap, auth: account.auth ?? null, budget, paths });
}

export function startLive(deps: LiveDeps): Live {
  const restartMs = deps.restartMs ?? LIVE_RESTART_MS;
  const debounceMs = deps.debounceMs ?? 200;
  const watched = new Map<string, Watched>();
  const pending = new Map<string, Pending>();
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();

  const runSyncs = async (name: string, p: Pending) => {
    p.timer = null;
    p.running = true;
    try {
      while (p.news.length && !stopped) {
        const news = p.news;
        p.news = [];
        await deps.onNews(name, news).catch((e: unknown) => deps.log.debug(`live sync of ${name} failed: ${(e as Error)?.message ?? e}`));
      }
    } finally {
      p.running = false;
    }
    // The first sync may have learned the folders' roles: Junk and Sent can be watched now.
    if (!stopped) void refresh();
  };

  const news = (name: string, n: WatchNews) => {
    if (stopped) return;
    let p = pending.get(name);
    if (!p) pending.set(name, (p = { news: [], timer: null, running: false }));
    p.news.push(n);
    // While a sync runs, the loop in runSyncs takes this news after it; else one timer per burst.
    if (!p.running && !p.timer) p.timer = setTimeout(() => void runSyncs(name, p!), debounceMs);
  };

  const reconcile = async () => {
    if (stopped) return;
    const [accounts, settings] = await Promise.all([deps.store.listAccounts(), readSettings(deps.store)]);
    const wanted = new Map<string, { account: AccountConfig; key: string; paths: string[] }>();
    if (settings.connectionsPerAccount > 1) {
      for (const account of accounts) {
        // The sample mailbox has no server; an account that must sign in again waits for the user.
        if (account.demo || account.signInRequired) continue;
        const paths = watchedPaths(await deps.store.foldersOf(account.name));
        wanted.set(account.name, { account, paths, key: watchKey(account, settings.connectionsPerAccount, paths) });
      }
    }
    for (const [name, w] of watched) {
      if (wanted.get(name)?.key === w.key) continue;
      watched.delete(name);
      await w.watch.stop();
    }
    for (const [name, want] of wanted) {
      if (watched.has(name) || stopped) continue;
      const watch = watchAccount({
        account: want.account,
        secrets: deps.secrets,
        paths: want.paths,
        budget: settings.connectionsPerAccount,
        restartMs,
        backoff: deps.backoff ?? DEFAULT_BACKOFF,
        stableMs: deps.stableMs ?? 60_000,
        onNews: (n) => news(name, n),
        log: deps.log,
      });
      watched.set(name, { key: want.key, watch });
    }
  };

  /** One reconcile at a time, in order. */
  const refresh = (): Promise<void> => {
    chain = chain.then(reconcile).catch((e: unknown) => deps.log.warn(`Live updates: ${(e as Error)?.message ?? e}`));
    return chain;
  };

  void refresh();
  const timer = setInterval(() => void refresh(), deps.reconcileMs ?? 30_000);
  timer.unref?.();

  return {
    status: () => [...watched.values()].map((w) => w.watch.status()),
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
      await chain;
      await Promise.all([...watched.values()].map((w) => w.watch.stop()));
      watched.clear();
    },
  };
}
