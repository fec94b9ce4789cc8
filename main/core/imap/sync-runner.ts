// The sync engine as features use it: by account name, with the password from the secret store,
// one sync at a time in this process (the app's timer, the user's click, send-due's look for
// replies), and one account's trouble never keeping the others from syncing.
import type { FolderSyncSummary, SyncProgress, SyncSummary } from '../api.js';
import type { AccountConfig } from '../model.js';
import type { Store } from '../store/index.js';
import type { SecretStore, Clock } from '../deps/index.js';
import { accountNamed } from '../store/index.js';
import { TriageError, toApiError } from '../errors.js';
import { accountCredentials, accountPassword } from './session.js';
import { syncAccount, type SyncOptions } from './sync.js';
import { describeImapError } from './connect.js';
import { oauthOf } from '../auth/index.js';

export interface SyncRunnerDeps {
  store: Store;
  secrets: SecretStore;
  now: Clock;
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncRunner {
  /** Every account with a server (the sample mailbox has none), or the named one. */
  sync(options?: { account?: string }): Promise<SyncSummary[]>;
  /** One account, for a feature that must see its latest state (send-due before sending). */
  syncOne(name: string): Promise<SyncSummary>;
}

/** Whether a summary says the store changed (new, changed or removed mail, a folder re-copied, texts fetched). */
export function syncChanged(summaries: SyncSummary[]): boolean {
  return summaries.some((s) => (s.bodies?.fetched ?? 0) > 0 || s.folders.some((f) => f.added > 0 || f.updated > 0 || f.removed > 0 || f.resynced));
}

/** A resumed sync's summary with what the interrupted run had already copied. */
function withEarlier(summary: SyncSummary, earlier: FolderSyncSummary[]): SyncSummary {
  if (!earlier.length) return summary;
  const folders = summary.folders.map((f) => {
    const before = earlier.filter((b) => b.folder === f.folder);
    return before.reduce((acc, b) => ({ ...acc, added: acc.added + b.added, updated: acc.updated + b.updated, removed: acc.removed + b.removed, resynced: acc.resynced || b.resynced }), f);
  });
  return { ...summary, folders };
}

export function syncRunner(deps: SyncRunnerDeps): SyncRunner {
  let tail: Promise<unknown> = Promise.resolve();
  let all: Promise<SyncSummary[]> | null = null;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const one = async (account: AccountConfig): Promise<SyncSummary> => {
    if (account.demo) throw new TriageError('unavailable', 'This is the sample mailbox: there is no server to sync with.');
    const options = { account, store: deps.store, onProgress: deps.onProgress, now: deps.now };
    if (oauthOf(account)) return syncWithToken(options);
    const password = await accountPassword({ account, secrets: deps.secrets });
    return syncAccount({ ...options, password });
  };

  /**
   * An OAuth2 account: a refused token is renewed once, and a session lost mid-sync is opened
   * again once (a server may end a session whose token ran out; Dovecot checks only at login) with
   * a token that is good now. The sync is incremental, so the second run resumes where the store
   * ends and copies nothing twice.
   */
  const syncWithToken = async (options: Omit<SyncOptions, 'password'>): Promise<SyncSummary> => {
    const access = { account: options.account, secrets: deps.secrets };
    let renewed = false;
    let reconnected = false;
    let credentials = await accountCredentials(access);
    let earlier: FolderSyncSummary[] = [];
    for (;;) {
      try {
        return withEarlier(await syncAccount({ ...options, ...credentials }), earlier);
      } catch (e) {
        earlier = [...earlier, ...((e as { summaries?: FolderSyncSummary[] }).summaries ?? []).filter((f) => !f.error)];
        const code = describeImapError(e, options.account.imap).code;
        if (code === 'auth-failed' && !renewed) {
          renewed = true;
          credentials = await accountCredentials(access, { renew: true });
        } else if (code === 'connection-lost' && !reconnected) {
          reconnected = true;
          credentials = await accountCredentials(access);
        } else throw e;
      }
    }
  };

  const everyAccount = async (): Promise<SyncSummary[]> => {
    const accounts = await deps.store.listAccounts();
    if (!accounts.length) throw new TriageError('not-found', 'No account yet: add one first.', { cli: 'triage account add NAME --imap-host H --imap-port P --user U' });
    const real = accounts.filter((a) => !a.demo);
    const results: SyncSummary[] = [];
    for (const account of real) {
      try {
        results.push(await one(account));
      } catch (e) {
        // One account's trouble (a wrong password, a server down) must not keep the others from
        // syncing; with a single account the error is the answer.
        if (real.length === 1) throw e;
        const err = toApiError(e);
        results.push({ account: account.name, folders: [], ms: 0, error: err.message, ...(err.code === 'sign-in-required' ? { signInRequired: true } : {}) });
      }
    }
    return results;
  };

  return {
    async sync(options = {}) {
      if (options.account) {
        const account = await accountNamed(deps.store, options.account);
        return [await exclusive(() => one(account))];
      }
      // The timer and the user's click share a sync of every account that is running already.
      all ??= exclusive(everyAccount).finally(() => (all = null));
      return all;
    },
    async syncOne(name) {
      const account = await accountNamed(deps.store, name);
      return exclusive(() => one(account));
    },
  };
}
