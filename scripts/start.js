#!/usr/bin/env node
// `npm start`: the desktop app. Electron's npm package has no install script (Electron 45
// downloads its binary on first use), so the first start runs Electron's own installer,
// node_modules/electron/install.js, which honours ELECTRON_MIRROR, electron_config_cache and the
// other @electron/get settings. Only if that fails (an offline machine) does it say why and how to
// retry, and serve the same app in the browser through `triage serve`, whose URL it prints.
//   npm start [-- --port P]   (--port only matters for the browser fallback)
//   npm start -- --dev        electron-vite dev (hot reload) instead of the built app
// Plain JS: it must run before anything is built. It never calls require('electron') (whose
// download-on-require would bypass the fallback), and runs the installer as a child process.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const installer = join(electronDir, 'install.js');

/** The executable's name inside dist/, as install.js writes it to path.txt (its getPlatformPath). */
function platformPath() {
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The Electron binary the app would run, or null when it is not there. Mirrors electron's own
 * lookup (index.js, install.js): ELECTRON_OVERRIDE_DIST_PATH is a folder holding the binary;
 * otherwise path.txt names it inside node_modules/electron/dist, and dist/version must be the
 * package's version (a stale dist from another Electron is reinstalled).
 */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, named || platformPath());
    return existsSync(bin) ? bin : null;
  }
  if (!named) return null;
  try {
    const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
    if (readFileSync(join(electronDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '') !== version) return null;
  } catch {
    return null;
  }
  const bin = join(electronDir, 'dist', named);
  return existsSync(bin) ? bin : null;
}

/** Where install.js downloads from (as @electron/get picks it), for the message on failure. */
function downloadSource() {
  const env = process.env;
  return env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR || env.npm_package_config_electron_mirror || env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/';
}

/**
 * Runs Electron's installer with this process's environment (mirror, cache, proxy settings pass
 * through). Resolves to null on success, or to what it printed when it failed.
 */
function runInstaller() {
  return new Promise((resolve) => {
    process.stderr.write(`Downloading Electron's binary (first start only) from ${downloadSource()} ...\n`);
    let output = '';
    let child;
    try {
      child = spawn(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve(String(e && e.stack ? e.stack : e));
      return;
    }
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const stop = (sig) => child.kill(sig);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('error', (e) => (output += String(e.stack || e)));
    child.on('close', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (code === 0) resolve(null);
      else resolve(output.trim() || `install.js ended with ${signal ? `signal ${signal}` : `exit code ${code}`}`);
    });
  });
}

/** The installer's error without its stack frames, indented under our message. */
function installerError(output) {
  const lines = output.split(/\r?\n/).filter((l) => l.trim() && !/^\s+at\s/.test(l));
  // Node's fetch says only this when the connection itself failed (its cause is not printed).
  if (/\bfetch failed\b/.test(output)) lines.push('(no connection to the download host: no network, DNS, a proxy or TLS)');
  return (lines.length ? lines : [output]).map((l) => `    ${l}`).join('\n');
}

const args = process.argv.slice(2);
const run = (cmd, cmdArgs, env = process.env) => {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
};

function openDesktopApp(bin) {
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  // electron-vite finds Electron through ELECTRON_EXEC_PATH first: the binary found here.
  run(process.execPath, [cli, args.includes('--dev') ? 'dev' : 'preview'], { ...process.env, ELECTRON_EXEC_PATH: bin });
}

function serveInBrowser() {
  const port = args.indexOf('--port');
  run(process.execPath, [join(root, 'bin', 'triage.js'), 'serve', ...(port >= 0 && args[port + 1] ? ['--port', args[port + 1]] : [])]);
}

let bin = electronBinary();
if (!bin && process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  process.stderr.write(
    `ELECTRON_OVERRIDE_DIST_PATH is set, but ${join(process.env.ELECTRON_OVERRIDE_DIST_PATH, platformPath())} does not exist: ` +
      'unset it to use the downloaded binary, or point it at a folder holding Electron.\n' +
      'Starting the app in your browser with `triage serve` instead.\n',
  );
  serveInBrowser();
} else if (bin) {
  openDesktopApp(bin);
} else {
  const failure = existsSync(installer) ? await runInstaller() : `${installer} is missing: run \`npm install\` first.`;
  bin = failure ? null : electronBinary();
  if (bin) {
    openDesktopApp(bin);
  } else {
    process.stderr.write(
      [
        "Electron's binary could not be installed, so the desktop app cannot open. The installer said:",
        installerError(failure ?? 'it finished, but node_modules/electron/path.txt does not name a binary that exists.'),
        `It downloads Electron ${readVersion()} from ${downloadSource()}.`,
        'To retry: once this machine can reach it (or with ELECTRON_MIRROR set to a mirror that has it, or',
        'HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1 behind a proxy), run `npm start` again, or install the',
        'binary alone with `node node_modules/electron/install.js`.',
        'Meanwhile: the same app in your browser, with `triage serve`.',
        '',
      ].join('\n'),
    );
    serveInBrowser();
  }
}

function readVersion() {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return '';
  }
}
