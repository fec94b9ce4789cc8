// Issue "Exactly once for real", item 8: main/electron/window.ts with 'electron' replaced by a
// recording fake (no binary needed). A packaged app ignores ELECTRON_RENDERER_URL: it loads the
// built page, sends the CSP header and refuses IPC from the dev URL; an unpackaged one honours the
// exact dev origin and nothing that merely starts like it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  isPackaged: false,
  loaded: [] as string[],
  onHeaders: null as null | ((details: { url: string; responseHeaders?: Record<string, string[]> }, done: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { on: () => undefined, setWindowOpenHandler: () => undefined };
    constructor(readonly options: unknown) {}
    on() {}
    once() {}
    isMaximized() {
      return false;
    }
    isMinimized() {
      return false;
    }
    getBounds() {
      return { x: 0, y: 0, width: 800, height: 600 };
    }
    loadURL(url: string) {
      fake.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      get isPackaged() {
        return fake.isPackaged;
      },
    },
    BrowserWindow,
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (fn: typeof fake.onHeaders) => {
            fake.onHeaders = fn;
          },
        },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    shell: { openExternal: () => Promise.resolve() },
  };
});
const { createWindow, isAppUrl, secureSession } = await import('../../../main/electron/window.js');
// The window's bounds store (desktop-settings.test.ts checks where it lives).
const settings = { get: () => undefined, set: () => undefined } as never;

function headersFor(url: string): Record<string, string[]> {
  let out: Record<string, string[]> = {};
  fake.onHeaders!({ url, responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (out = r.responseHeaders));
  return out;
}

const saved = process.env.ELECTRON_RENDERER_URL;
beforeEach(() => {
  fake.loaded = [];
  fake.onHeaders = null;
});
afterEach(() => {
  if (saved === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = saved;
});

describe('a packaged app with ELECTRON_RENDERER_URL set', () => {
  beforeEach(() => {
    fake.isPackaged = true;
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
  });

  it('loads the built page, not the URL', () => {
    createWindow({ preload: '/p.cjs', show: false, settings });
    expect(fake.loaded).toEqual(['app://inbox-triage/index.html']);
  });

  it('sends the CSP header on everything', () => {
    secureSession();
    expect(headersFor('app://inbox-triage/index.html')['Content-Security-Policy']).toHaveLength(1);
    expect(headersFor('http://localhost:5173/')['Content-Security-Policy']).toHaveLength(1);
  });

  it('does not take the URL for the app', () => {
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('app://inbox-triage/index.html')).toBe(true);
  });
});

describe('an unpackaged app (electron-vite dev)', () => {
  beforeEach(() => {
    fake.isPackaged = false;
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
  });

  it('loads the dev server and relaxes the header for its pages only', () => {
    createWindow({ preload: '/p.cjs', show: false, settings });
    expect(fake.loaded).toEqual(['http://localhost:5173/']);
    secureSession();
    expect(headersFor('http://localhost:5173/')['Content-Security-Policy']).toBeUndefined();
    expect(headersFor('app://inbox-triage/index.html')['Content-Security-Policy']).toHaveLength(1);
  });

  it('matches the dev origin exactly', () => {
    expect(isAppUrl('http://localhost:5173/index.html')).toBe(true);
    expect(isAppUrl('http://localhost:5173.evil/')).toBe(false);
    expect(isAppUrl('http://localhost:5173@evil.test/')).toBe(false);
    expect(isAppUrl('http://localhost:51730/')).toBe(false);
  });

  it('ignores a dev URL that is not a loopback dev origin', () => {
    process.env.ELECTRON_RENDERER_URL = 'http://evil.test:5173';
    createWindow({ preload: '/p.cjs', show: false, settings });
    expect(fake.loaded).toEqual(['app://inbox-triage/index.html']);
    expect(isAppUrl('http://evil.test:5173/')).toBe(false);
    secureSession();
    expect(headersFor('http://evil.test:5173/')['Content-Security-Policy']).toHaveLength(1);
  });
});
