// One ipcMain.handle channel per AppApi method (api:<method>); arguments are validated and errors
// come back as {error: {code, message}} (see main/app/invoke.ts). Only the app's own page may call.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHODS, type AppApi } from '../core/api.js';
import { invoke, type ApiEvents } from '../app/index.js';

export function registerIpc({ api, events, isAppUrl, targets }: { api: AppApi; events: ApiEvents; isAppUrl(url: string): boolean; targets(): WebContents[] }): () => void {
  const fromApp = (e: IpcMainInvokeEvent) => !!e.senderFrame && e.senderFrame === e.sender.mainFrame && isAppUrl(e.senderFrame.url);
  for (const method of API_METHODS) {
    ipcMain.handle(`api:${method}`, async (e, ...args: unknown[]) => {
      if (!fromApp(e)) return { error: { code: 'bad-input', message: 'Refused: the call did not come from the app window.' } };
      return invoke(api, method, args);
    });
  }
  const off = events.on((event) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send('api:event', event);
  });
  return () => {
    off();
    for (const method of API_METHODS) ipcMain.removeHandler(`api:${method}`);
  };
}
