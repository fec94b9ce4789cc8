// electron-vite: three builds, one per runtime. main/electron/index.ts (Electron main, ESM),
// preload/index.ts (CommonJS: a sandboxed preload cannot be an ES module), renderer/ (React).
// `npm run build` needs no Electron binary; `triage serve` serves out/renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * The dev server (electron-vite dev) injects an inline React Refresh preamble and talks over a
 * WebSocket; the strict CSP of index.html would block both, so dev relaxes it. Builds keep it.
 */
function devCsp(): Plugin {
  return {
    name: 'inbox-triage:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(<meta http-equiv="Content-Security-Policy" content=")[^"]*/, "$1default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: http://localhost:*; object-src 'none'; base-uri 'none'");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'main/electron/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), devCsp()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
