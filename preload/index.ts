// The preload: window.api, one function per AppApi method, each a single ipcRenderer.invoke on
// its own channel (api:<method>), plus onEvent. Nothing else crosses: no generic invoke, no
// ipcRenderer, no process.env (electron-vite's template exposes all three; see ARCHITECTURE.md).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, type ApiEvent, type ApiErrorShape } from '../main/core/api.js';

type Reply = { result: unknown } | { error: ApiErrorShape };

const api: Record<string, unknown> = {};
for (const method of API_METHODS) {
  api[method] = async (...args: unknown[]) => {
    const reply = (await ipcRenderer.invoke(`api:${method}`, ...args)) as Reply;
    // Errors come back as data ({code, message}), not as a rejected invoke: Electron would wrap
    // those in "Error invoking remote method ..." and lose the code.
    if ('error' in reply) throw reply.error;
    return reply.result;
  };
}

api.onEvent = (listener: (event: ApiEvent) => void) => {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
  const handler = (_e: IpcRendererEvent, event: ApiEvent) => listener(event);
  ipcRenderer.on('api:event', handler);
  return () => {
    ipcRenderer.removeListener('api:event', handler);
  };
};

contextBridge.exposeInMainWorld('api', api);
