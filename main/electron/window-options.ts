// The BrowserWindow's security options and the Content-Security-Policy, as plain data with no
// 'electron' import: tests/unit/security/window.test.ts checks them without the Electron binary,
// and `triage serve` sends the same policy. (electron-vite's template ships sandbox: false; see
// ARCHITECTURE.md "Known pitfalls".)

import { CONTENT_SECURITY_POLICY } from '../app/index.js';

export { CONTENT_SECURITY_POLICY };

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: boolean;
}

export function webPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: true,
  };
}

export function windowOptions(preload: string) {
  return {
    width: 1200,
    height: 800,
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'Inbox Triage',
    autoHideMenuBar: true,
    webPreferences: webPreferences(preload),
  };
}

/** Links the app may hand to the system: web pages over TLS and new mail. Nothing else. */
export function isSafeExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'mailto:') {
    // One address; of the query, only subject and body (RFC 6068 allows attach-like extensions
    // some clients honour).
    if ([...u.searchParams.keys()].some((k) => !['subject', 'body'].includes(k.toLowerCase()))) return false;
    let address: string;
    try {
      address = decodeURIComponent(u.pathname);
    } catch {
      return false;
    }
    return /^[^\s@/\\]+@[^\s@/\\]+$/.test(address);
  }
  return u.protocol === 'https:' && !!u.hostname && !u.username && !u.password;
}

/** The built renderer's origin, served by the app:// protocol handler (main/electron/index.ts). */
export const APP_ORIGIN = 'app://inbox-triage';
const APP_HOST = 'inbox-triage';

/** Hosts electron-vite's dev server may be reached on: loopback only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The renderer dev server's origin, from ELECTRON_RENDERER_URL (electron-vite dev sets it to
 * `http://localhost:PORT`), or null when the app must load its built page instead: always in a
 * packaged app, and whenever the value is not exactly an http(s) origin on a loopback host (no
 * credentials, path, query or fragment), so a stray or planted variable cannot point the window,
 * with the preload and without the CSP header, at some other page.
 */
export function devRendererOrigin(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!LOOPBACK_HOSTS.has(u.hostname) || u.username || u.password) return null;
  if (u.pathname !== '/' || u.search || u.hash) return null;
  return u.origin;
}

/**
 * Whether a URL is the app's own page: the built renderer on app://inbox-triage, or, in dev, a page
 * of exactly the dev server's origin (compared as parsed origins, never as string prefixes).
 */
export function isAppPageUrl(url: string, devOrigin: string | null): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  // app: is not a special scheme to the WHATWG parser, so its origin reads "null": compare parts.
  if (u.protocol === 'app:') return u.host === APP_HOST && !u.username && !u.password;
  return devOrigin !== null && u.origin === devOrigin;
}

/** The CSP header goes on every response except the dev server's own (React Refresh, HMR). */
export function needsCspHeader(url: string, devOrigin: string | null): boolean {
  if (devOrigin === null) return true;
  try {
    return new URL(url).origin !== devOrigin;
  } catch {
    return true;
  }
}
