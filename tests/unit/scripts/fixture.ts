// A throwaway project for scripts/start.js: the script itself, Electron's npm package as npm
// installs it (install.js, index.js, package.json, checksums.json: no binary), every other
// dependency linked from this checkout (the real @electron/get, extract-zip, electron-vite), a
// one-file main process for electron-vite to build, and a `triage` stand-in recording its
// arguments. Plus a fake Electron release: a zip shaped like electron-vVERSION-PLATFORM-ARCH.zip
// whose "binary" is a shell script recording how it was started, and a mirror on 127.0.0.1.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const ELECTRON_PKG = join(ROOT, 'node_modules', 'electron');
export const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ELECTRON_PKG, 'package.json'), 'utf8')) as { version: string }).version;

/** What electron's install.js names the executable inside dist/ (its getPlatformPath). */
export function platformPath(platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export interface Fixture {
  dir: string;
  electronDir: string;
  /** Where the fake binary and the triage stand-in write what they were started with. */
  electronLog: string;
  serveLog: string;
}

export function makeFixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'triage-start-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'start.js'), join(dir, 'scripts', 'start.js'));

  // node_modules: electron copied as npm ships it (its files list), the rest linked.
  const nm = join(dir, 'node_modules');
  mkdirSync(nm);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'electron' || name.startsWith('.')) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(nm, name), 'dir');
  }
  const electronDir = join(nm, 'electron');
  mkdirSync(electronDir);
  const pkg = JSON.parse(readFileSync(join(ELECTRON_PKG, 'package.json'), 'utf8')) as { files: string[] };
  for (const f of [...pkg.files, 'package.json']) cpSync(join(ELECTRON_PKG, f), join(electronDir, f));

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'start-fixture', private: true, type: 'module', main: './out/main/index.js' }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.js'), "console.log('main process');\n");
  writeFileSync(
    join(dir, 'electron.vite.config.mjs'),
    "import { defineConfig } from 'electron-vite';\nexport default defineConfig({ main: { build: { outDir: 'out/main', rolldownOptions: { input: { index: 'src/main.js' } } } } });\n",
  );
  const electronLog = join(dir, 'electron-started.txt');
  const serveLog = join(dir, 'serve-started.json');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    join(dir, 'bin', 'triage.js'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(serveLog)}, JSON.stringify(process.argv.slice(2)));\n`,
  );
  return { dir, electronDir, electronLog, serveLog };
}

/** A zip archive of stored (uncompressed) entries with Unix modes, as Electron's releases carry. */
export function zip(entries: { name: string; data: Buffer | string; mode?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes carry the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | (e.mode ?? 0o644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The release zip install.js asks for on this machine, with a recording stand-in for the binary. */
export function fakeElectronRelease(): { fileName: string; body: Buffer } {
  const fileName = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
  // Records its working directory and arguments, one per line, in $FAKE_ELECTRON_LOG.
  const script = '#!/bin/sh\n{ pwd; for a in "$@"; do echo "$a"; done; } > "$FAKE_ELECTRON_LOG"\n';
  const body = zip([
    { name: platformPath(), data: script, mode: 0o755 },
    { name: 'version', data: ELECTRON_VERSION },
    { name: 'LICENSE', data: 'fake' },
  ]);
  return { fileName, body };
}

export interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** An Electron download mirror on 127.0.0.1 (ELECTRON_MIRROR's layout: vVERSION/FILE). */
export async function startMirror(files: Record<string, Buffer>): Promise<Mirror> {
  const requests: string[] = [];
  const dir = `/v${ELECTRON_VERSION}/`;
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').startsWith(dir) ? (req.url ?? '').slice(dir.length) : '';
    const body = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export function shasums(files: Record<string, Buffer>): Buffer {
  return Buffer.from(
    Object.entries(files)
      .map(([name, body]) => `${createHash('sha256').update(body).digest('hex')} *${name}`)
      .join('\n') + '\n',
  );
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture's scripts/start.js (asynchronously: the mirror lives in this process). */
export function runStart(fixture: Fixture, args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<Run> {
  const base: Record<string, string | undefined> = { ...process.env };
  // Nothing from this machine's npm or Electron settings leaks into the run.
  for (const k of Object.keys(base)) if (/^(npm_|ELECTRON_|electron_)/i.test(k)) delete base[k];
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(fixture.dir, 'scripts', 'start.js'), ...args], {
      cwd: fixture.dir,
      env: { ...base, FAKE_ELECTRON_LOG: fixture.electronLog, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout ends what it started too (and nothing else).
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
      fail(new Error(`start.js did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}
