// Settings only the desktop app has, through electron-store: the window's size and place, start
// at login, and whether the user was told the app keeps running in the tray. (The settings the
// service reads, such as business hours, live in the store's prefs, shared with the CLI.)
import { app } from 'electron';
import ElectronStore from 'electron-store';

interface DesktopSettings {
  bounds?: { x?: number; y?: number; width: number; height: number };
  toldAboutTray: boolean;
}

export type DesktopSettingsStore = ElectronStore<DesktopSettings>;

/**
 * The settings file (desktop.json) in `dataDir`. Opened by the caller once the data dir is chosen
 * (TRIAGE_DATA_DIR or the default): a store made while this module loads would take Electron's
 * userData of that moment, before main/electron/index.ts points it at the data dir.
 */
export function openDesktopSettings(dataDir: string): DesktopSettingsStore {
  return new ElectronStore<DesktopSettings>({
    name: 'desktop',
    cwd: dataDir,
    defaults: { toldAboutTray: false },
    schema: {
      bounds: {
        type: 'object',
        properties: { x: { type: 'number' }, y: { type: 'number' }, width: { type: 'number', minimum: 400 }, height: { type: 'number', minimum: 300 } },
        required: ['width', 'height'],
      },
      toldAboutTray: { type: 'boolean' },
    },
    clearInvalidConfig: true,
  });
}

/** Start at login is the OS's setting; read it from there, so it never disagrees. */
export const loginItem = {
  get: () => app.getLoginItemSettings().openAtLogin,
  set: (on: boolean) => app.setLoginItemSettings({ openAtLogin: on, args: on ? ['--hidden'] : [] }),
};
