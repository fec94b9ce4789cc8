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
