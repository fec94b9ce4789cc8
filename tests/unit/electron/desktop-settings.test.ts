// Issue "Exactly once for real", item 8: the desktop settings file (electron-store) lives under the
// data dir the app chose, TRIAGE_DATA_DIR included. main/electron/index.ts is loaded with 'electron'
// replaced by a fake app that keeps its paths the way Electron does, and electron-store by a fake
// that resolves its folder as the real one does: options.cwd, else app.getPath('userData') at the
// moment the store is constructed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';

const fake = vi.hoisted(() => {
  const paths = new Map<string, string>();
  return {
    paths,
    storeDirs: [] as string[],
    storeNames: [] as string[],
    app: {
      isPackaged: false,
      getPath: (name: string) => {
        const p = paths.get(name);
        if (!p) throw new Error(`no path ${name}`);
        return p;
      },
      setPath: (name: string, value: string) => void paths.set(name, value),
      setName: () => undefined,
      requestSingleInstanceLock: () => true,
      quit: () => undefined,
      on: () => undefined,
      // start() never runs: these tests are about what happens while the module loads.
      whenReady: () => new Promise<void>(() => undefined),
      getLoginItemSettings: () => ({ openAtLogin: false }),
      setLoginItemSettings: () => undefined,
    },
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
  BrowserWindow: class {},
  dialog: {},
  net: {},
  Notification: class {},
  powerMonitor: { on: () => undefined },
  session: {},
  shell: {},
  ipcMain: {},
  safeStorage: {},
  Menu: {},
  Tray: class {},
  nativeImage: {},
}));

vi.mock('electron-store', () => ({
  default: class {
    constructor(options: { cwd?: string; name?: string }) {
      fake.storeDirs.push(options.cwd ?? fake.app.getPath('userData'));
      fake.storeNames.push(options.name ?? 'config');
    }
    get() {
      return undefined;
    }
    set() {}
  },
}));

const saved = process.env.TRIAGE_DATA_DIR;
beforeEach(() => {
  vi.resetModules();
  fake.storeDirs = [];
  fake.storeNames = [];
  fake.paths.clear();
  // Electron's defaults before the app renames itself: userData is appData/<name>.
  fake.paths.set('appData', '/home/pat/.config');
  fake.paths.set('userData', '/home/pat/.config/Electron');
});
afterEach(() => {
  if (saved === undefined) delete process.env.TRIAGE_DATA_DIR;
  else process.env.TRIAGE_DATA_DIR = saved;
});

describe('desktop settings file', () => {
  it('is created under TRIAGE_DATA_DIR when it is set', async () => {
    process.env.TRIAGE_DATA_DIR = '/tmp/triage-data-elsewhere';
    await import('../../../main/electron/index.js');
    expect(fake.app.getPath('userData')).toBe('/tmp/triage-data-elsewhere');
    expect(fake.storeNames).toEqual(['desktop']);
    expect(fake.storeDirs).toEqual(['/tmp/triage-data-elsewhere']);
  });

  it('is created under the default data dir otherwise', async () => {
    delete process.env.TRIAGE_DATA_DIR;
    await import('../../../main/electron/index.js');
    expect(fake.storeDirs).toEqual([join('/home/pat/.config', 'inbox-triage')]);
  });

  it('loading the module opens nothing: the caller says where', async () => {
    const mod = await import('../../../main/electron/desktop-settings.js');
    expect(fake.storeDirs).toEqual([]);
    expect('openDesktopSettings' in mod).toBe(true);
  });
});
