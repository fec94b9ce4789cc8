// What every command gets: the service over an opened store, and how to report.
import { Store, defaultDataDir } from '../core/store/index.js';
import { EnvSecretStore } from '../core/deps/index.js';
import { TriageService } from '../core/service.js';
import type { SyncProgress } from '../core/api.js';
import { promptHidden } from './output.js';
import { terminalSignIn } from './sign-in.js';

export interface CliContext {
  dataDir: string;
  /** Opens the store (taking the data-dir lock) on first use. */
  service(opts?: { now?: Date; onProgress?: (p: SyncProgress) => void }): Promise<TriageService>;
  close(): Promise<void>;
}

export function createContext(dataDir: string | undefined): CliContext {
  const dir = dataDir ?? defaultDataDir();
  let store: Store | null = null;
  // TRIAGE_PASSWORD is read only while one account exists (EnvSecretOptions.accounts).
  const accounts = async () => (store ? (await store.listAccounts()).map((a) => a.name) : []);
  const secrets = new EnvSecretStore(process.env, (account) => promptHidden(`Password for ${account}: `), { accounts });
  return {
    dataDir: dir,
    async service(opts = {}) {
      store ??= await Store.open(dir);
      return new TriageService({
        store,
        secrets,
        // No token on disk: on a terminal, a command that needs one signs in in the browser.
        ...(process.stdin.isTTY && process.stderr.isTTY ? { interactiveSignIn: terminalSignIn } : {}),
        ...(opts.now ? { now: () => opts.now! } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
    },
    async close() {
      await store?.close();
      store = null;
    },
  };
}

/** Resolves on Ctrl-C (SIGINT) or SIGTERM: the long-running commands (serve, watch) stop then. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
