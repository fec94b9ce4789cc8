#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is installed; otherwise (an offline
// install, where electron's postinstall could not download it) one line saying so, and the same
// app in the browser through `triage serve`, whose URL it prints.
//   npm start [-- --port P]   (--port only matters for the browser fallback)
//   npm start -- --dev        electron-vite dev (hot reload) instead of the built app
// Plain JS: it must run before anything is built. It never calls require('electron'), which
// would try to download the binary.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** Where the electron package would run its binary from, or null when it is not there. */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    return existsSync(p) ? p : null;
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) => {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
};

if (electronBinary()) {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  run(process.execPath, [cli, args.includes('--dev') ? 'dev' : 'preview']);
} else {
  process.stderr.write("Electron's binary is not installed (offline install?): starting the app in your browser with `triage serve` instead.\n");
  const port = args.indexOf('--port');
  run(process.execPath, [join(root, 'bin', 'triage.js'), 'serve', ...(port >= 0 && args[port + 1] ? ['--port', args[port + 1]] : [])]);
}
