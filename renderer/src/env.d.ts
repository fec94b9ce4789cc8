// window.api: the preload's bridge in Electron, or the HTTP bridge of `triage serve`.
import type { WindowApi } from '../../main/core/api';

declare global {
  interface Window {
    api?: WindowApi;
  }
}

declare module '*.css';

export {};
