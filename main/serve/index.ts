// `triage serve` put together: the store (with its data-dir lock), the service, the AppApi
// binding (main/app), background sync and sending, and the HTTP server.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Store } from '../core/store/index.js';
import { EnvSecretStore, appRoot } from '../core/deps/index.js';
import { TriageService } from '../core/service.js';
import { TriageError } from '../core/errors.js';
import { ApiEvents, afterFirstAnswer, bindApi, signInRequiredEvents, startBackground, type Background } from '../app/index.js';
import { startServer, type RunningServer } from './server.js';

export const REPO_ROOT = appRoot();
/** Where `electron-vite build` writes the renderer (electron.vite.config.ts). */
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');

/** How long the background waits for the page's first list before it starts anyway. */
const FIRST_LIST_WAIT_MS = 10_000;

export interface ServeRun {
  server: RunningServer;
  service: TriageService;
  /** The events the page receives (SSE). */
  events: ApiEvents;
  stop(): Promise<void>;
}

/** Newest modification time under `path` (a file or a folder), in ms. */
function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The renderer's sources: a build older than any of them is stale. */
const RENDERER_SOURCES = [join(REPO_ROOT, 'renderer'), join(REPO_ROOT, 'main', 'core', 'api.ts'), join(REPO_ROOT, 'main', 'core', 'model.ts'), join(REPO_ROOT, 'electron.vite.config.ts')];

/**
 * Builds the app when a checkout has no build yet, or one older than its sources (no Electron
 * binary is needed for that). A packaged app passes its own `dir`, which is never rebuilt.
 */
export async function ensureRendererBuilt(dir = RENDERER_DIR, log: (line: string) => void = () => undefined): Promise<void> {
  const fresh = () => existsSync(join(dir, 'index.html')) && (dir !== RENDERER_DIR || statSync(join(dir, 'index.html')).mtimeMs >= Math.max(...RENDERER_SOURCES.map(newest)));
  if (fresh()) return;
  if (!existsSync(join(REPO_ROOT, 'renderer', 'index.html'))) throw new TriageError('not-found', `The app is not built (${dir}) and there are no sources to build it from.`);
  // One build at a time (test files run in parallel processes): mkdir is atomic.
  const lock = join(REPO_ROOT, 'out', '.build-lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (fresh()) return;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      if (waited > 180_000) throw new TriageError('timeout', `Another build of the app did not finish (${lock}).`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (fresh()) return;
    log(`triage serve: ${existsSync(join(dir, 'index.html')) ? 'the app changed since it was built' : 'the app is not built yet'}; running "npm run build" once…`);
    const cli = join(REPO_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, [cli, 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('exit', (c) => done(c ?? 1));
      child.on('error', () => done(1));
    });
    if (code !== 0 || !existsSync(join(dir, 'index.html'))) {
      throw new TriageError('not-found', 'The app could not be built; run "npm run build" in the checkout and look at its errors.');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function runServe({
  dataDir,
  port = 0,
  staticDir = RENDERER_DIR,
  background = true,
  live = background,
  log = () => undefined,
}: {
  dataDir: string;
  port?: number;
  staticDir?: string;
  background?: boolean;
  /** Live updates (IDLE/NOTIFY) with the background work; default: when it runs. */
  live?: boolean;
  log?: (line: string) => void;
}): Promise<ServeRun> {
  await ensureRendererBuilt(staticDir, log);
  const store = await Store.open(dataDir);
  const events = new ApiEvents();
  // Passwords typed into the page stay in this process's memory (and the environment's
  // TRIAGE_PASSWORD_<NAME> still works for accounts added with the CLI).
  const secrets = new EnvSecretStore(process.env, undefined, { accounts: async () => (await store.listAccounts()).map((a) => a.name) });
  // OAuth2 sign-ins, like passwords, stay in this process's memory (or TRIAGE_OAUTH_TOKEN_<NAME>);
  // startSignIn hands the page the provider's URL to open.
  const service = new TriageService({
    store,
    secrets,
    onSignInRequired: signInRequiredEvents(events),
    onProgress: (progress) => events.emit({ type: 'sync-progress', progress }),
  });
  const api = bindApi({ service, events });
  // The background's first round (a sync: IMAP and CPU) and its live connections wait until the
  // page has its first list, or 10 s when no page comes (issue 13).
  const firstList = afterFirstAnswer(api, ['unansweredHead', 'unanswered'], FIRST_LIST_WAIT_MS);
  let server: RunningServer;
  try {
    server = await startServer({ api, events, staticDir, port });
  } catch (e) {
    await store.close();
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new TriageError('bad-input', `Port ${port} is in use; pick another with --port, or leave it out for a free one.`);
    throw e;
  }
  // Read the lists' snapshots (or analyse) now, while the browser loads the page: its first
  // requests then find them in memory (issue 13: first list on screen within 2 s of launch).
  void service.counts().catch(() => undefined);
  let bg: Background | null = null;
  if (background) {
    bg = startBackground({
      api,
      events,
      onSent: (q) => events.emit({ type: 'notice', level: 'info', message: `Follow-up sent to ${q.to.join(', ')}.` }),
      onRescue: (j) => events.emit({ type: 'notice', level: 'info', message: `Mail from ${j.from} was in Junk: "${j.subject}".` }),
      // The page shows it with the browser's Notification API, once the user allowed it there.
      notify: (notification) => events.emit({ type: 'notification', notification }),
      ...(live ? { live: (onNews: (account: string) => Promise<void>) => service.watchMail({ onNews }) } : {}),
      startAfter: firstList,
    });
  }
  return {
    server,
    service,
    events,
    async stop() {
      await bg?.stop();
      await server.close();
      await store.close();
    },
  };
}
