// The one window: secure options (window-options.ts), the CSP on every response, navigation and
// new windows refused, external https:/mailto: links to the system after a check.
import { app, BrowserWindow, session, shell } from 'electron';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, devRendererOrigin, isAppPageUrl, isSafeExternalUrl, needsCspHeader, windowOptions } from './window-options.js';
import type { DesktopSettingsStore } from './desktop-settings.js';

export { APP_ORIGIN };

/** electron-vite dev's renderer server, or null: never in a packaged app (window-options.ts). */
function devOrigin(): string | null {
  return devRendererOrigin(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
}

export function isAppUrl(url: string): boolean {
  return isAppPageUrl(url, devOrigin());
}

/** CSP as a header on everything the session loads, and no permission (camera, geolocation...) ever. */
export function secureSession(): void {
  const dev = devOrigin();
  session.defaultSession.webRequest.onHeadersReceived((details, done) => {
    const headers = { ...details.responseHeaders };
    // The dev server needs inline scripts (React Refresh) and a WebSocket; builds never.
    if (needsCspHeader(details.url, dev)) headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    done({ responseHeaders: headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, grant) => grant(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function createWindow({ preload, show, settings }: { preload: string; show: boolean; settings: DesktopSettingsStore }): BrowserWindow {
  // Only the geometry comes from the settings file: a hand-edited file must never reach
  // webPreferences (sandbox, contextIsolation).
  const saved = settings.get('bounds');
  const bounds: Partial<Record<'x' | 'y' | 'width' | 'height', number>> = {};
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    const v = (saved as Record<string, unknown> | undefined)?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) bounds[k] = v;
  }
  const win = new BrowserWindow({ ...windowOptions(preload), ...bounds });
  const wc = win.webContents;

  // The app is one page: it never navigates. A link the user clicks goes to the system browser
  // if it is https: or mailto:, and nowhere otherwise.
  wc.on('will-navigate', (e, url) => {
    e.preventDefault();
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const remember = () => {
    if (!win.isMaximized() && !win.isMinimized()) settings.set('bounds', win.getBounds());
  };
  win.on('resize', remember);
  win.on('move', remember);
  if (show) win.once('ready-to-show', () => win.show());

  const dev = devOrigin();
  void win.loadURL(dev ? `${dev}/` : `${APP_ORIGIN}/index.html`);
  return win;
}
