// The desktop app's main process: the only code that imports 'electron' (with preload/). It opens
// the store once (holding the data-dir lock while it runs), binds the one service to IPC, and
// keeps syncing and sending in the background, in the tray when the window is closed.
import { app, BrowserWindow, dialog, net, Notification, powerMonitor, protocol, shell } from 'electron';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Store } from '../core/store/index.js';
import { TriageService } from '../core/service.js';
import { toApiError } from '../core/errors.js';
import { ApiEvents, bindApi, signInRequiredEvents, startBackground, type Background } from '../app/index.js';
import { KeychainSecretStore, keychainTokenVault } from './secrets.js';
import { loginItem, openDesktopSettings } from './desktop-settings.js';
import { registerIpc } from './ipc.js';
import { systemBrowserSignIn } from './sign-in.js';
import { APP_ORIGIN, createWindow, isAppUrl, secureSession } from './window.js';
import { createTray } from './tray.js';

const here = dirname(fileURLToPath(import.meta.url));
const RENDERER = resolve(here, '../renderer');
const PRELOAD = join(here, '../preload/index.cjs');
const RESOURCES = app.isPackaged ? process.resourcesPath : resolve(here, '../../resources');

// The same data dir as the CLI's default (main/core/store/store.ts defaultDataDir).
app.setName('inbox-triage');
app.setPath('userData', process.env.TRIAGE_DATA_DIR || join(app.getPath('appData'), 'inbox-triage'));
// Only now: the settings file goes in the data dir just chosen.
const desktopSettings = openDesktopSettings(app.getPath('userData'));

// app:// serves the built renderer: a real origin for CSP 'self', unlike file://.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// One instance: it holds the data-dir lock. A second start just shows the first one's window.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

let win: BrowserWindow | null = null;
let quitting = false;
let store: Store | null = null;
let background: Background | null = null;

function notify(title: string, body: string): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body, silent: false });
  n.on('click', () => showWindow());
  n.show();
}

function showWindow(): void {
  if (!win || win.isDestroyed()) {
    win = createWindow({ preload: PRELOAD, show: true, settings: desktopSettings });
    win.on('close', (e) => {
      if (quitting) return;
      // Closing the window keeps the app in the tray (follow-ups still go out).
      e.preventDefault();
      win?.hide();
      if (!desktopSettings.get('toldAboutTray')) {
        desktopSettings.set('toldAboutTray', true);
        notify('Inbox Triage is still running', 'It stays in the tray to send follow-ups on time. Quit it from the tray icon.');
      }
    });
  } else {
    win.show();
    win.focus();
  }
}

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = resolve(RENDERER, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
    if (url.host !== 'inbox-triage' || (file !== RENDERER && !file.startsWith(RENDERER + sep))) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
}

async function start(): Promise<void> {
  secureSession();
  serveRenderer();
  const events = new ApiEvents();
  const warn = (message: string) => events.emit({ type: 'notice', level: 'warn', message });
  const secrets = new KeychainSecretStore(app.getPath('userData'), warn);
  try {
    store = await Store.open(app.getPath('userData'), { lockWaitMs: 3000 });
  } catch (e) {
    dialog.showErrorBox('Inbox Triage cannot start', toApiError(e).message);
    app.exit(1);
    return;
  }
  const service = new TriageService({
    store,
    secrets,
    tokenVault: keychainTokenVault(app.getPath('userData'), warn),
    onSignInRequired: signInRequiredEvents(events),
    onProgress: (progress) => events.emit({ type: 'sync-progress', progress }),
    ...(app.isPackaged ? { demoMbox: join(RESOURCES, 'demo', 'sample.mbox') } : {}),
  });
  // The system browser gets only the provider's own authorization request (https, its exact
  // endpoint, code + S256): never a URL the page made up (sign-in.ts).
  const openBrowser = systemBrowserSignIn((url) => shell.openExternal(url));
  const api = bindApi({ service, events, loginItem, openBrowser });
  registerIpc({ api, events, isAppUrl, targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents) });

  background = startBackground({
    api,
    events,
    onFailed: (q) => notify('Follow-up not sent', `To ${q.to.join(', ')}: ${q.statusReason ?? 'refused by the server'}`),
    // Sent, cancelled by a reply, held, found in Junk: grouped and decided in app/notifications.ts.
    notify: (n) => notify(n.title, n.body),
    live: (onNews) => service.watchMail({ onNews }),
  });
  // Timers do not run while the machine sleeps: catch up on wake (send-due keeps to the windows).
  powerMonitor.on('resume', () => void background?.catchUp());
  powerMonitor.on('unlock-screen', () => void background?.catchUp());

  createTray({
    icon: join(RESOURCES, 'tray.png'),
    open: showWindow,
    sync: () => void api.sync().catch(() => undefined),
    sendDue: () => void api.sendDue().catch(() => undefined),
    quit: () => app.quit(),
  });
  if (!process.argv.includes('--hidden')) showWindow();
}

app.on('second-instance', () => showWindow());
app.on('activate', () => showWindow());
// With the window closed the app stays in the tray; only Quit ends it.
app.on('window-all-closed', () => undefined);
app.on('before-quit', () => {
  quitting = true;
});
app.on('will-quit', (e) => {
  if (!store) return;
  e.preventDefault();
  const s = store;
  store = null;
  // The live connections log out first (a few hundred ms), then the store closes.
  void (background?.stop() ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => s.close())
    .finally(() => app.exit(0));
});
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
});

void app.whenReady().then(() => (primary ? start() : undefined));

export { APP_ORIGIN };
