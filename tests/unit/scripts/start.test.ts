// Issue "Exactly once for real", item 9: `npm start` (scripts/start.js) installs Electron's binary
// with Electron's own installer (node_modules/electron/install.js: Electron 45 has no install
// script, nothing downloads it at `npm install`), then opens the desktop app; only when the
// installer fails does it fall back to `triage serve`, showing the installer's error and how to
// retry. Both ways run against a throwaway project (fixture.ts) and a mirror on 127.0.0.1: a fake
// Electron release for the success path, a closed port for the failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, ELECTRON_PKG, ELECTRON_VERSION, fakeElectronRelease, makeFixture, platformPath, runStart, shasums, startMirror, type Fixture, type Mirror } from './fixture.js';

const posix = process.platform !== 'win32';
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
function fixture(): Fixture {
  const f = makeFixture();
  made.push(f.dir);
  return f;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'triage-electron-cache-'));
  made.push(d);
  return d;
}

describe('the fixture', () => {
  it('carries Electron’s own installer, byte for byte, and no binary', () => {
    const f = fixture();
    expect(readFileSync(join(f.electronDir, 'install.js'), 'utf8')).toBe(readFileSync(join(ELECTRON_PKG, 'install.js'), 'utf8'));
    expect(existsSync(join(f.electronDir, 'path.txt'))).toBe(false);
    expect(existsSync(join(f.electronDir, 'dist'))).toBe(false);
  });
});

describe.skipIf(!posix)('npm start where the binary is missing and the download works', () => {
  let f: Fixture;
  let mirror: Mirror;
  let cache: string;
  const release = fakeElectronRelease();

  beforeAll(async () => {
    f = fixture();
    cache = tempDir();
    mirror = await startMirror({ [release.fileName]: release.body, 'SHASUMS256.txt': shasums({ [release.fileName]: release.body }) });
  });
  afterAll(() => mirror.close());

  it('runs Electron’s installer (ELECTRON_MIRROR and the cache variable respected), then opens the app with that binary', async () => {
    const run = await runStart(f, [], {
      ELECTRON_MIRROR: mirror.url,
      electron_config_cache: cache,
      // The fake release is not the one checksums.json knows: check it against the mirror's SHASUMS256.txt.
      electron_use_remote_checksums: '1',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(mirror.requests).toContain(`/v${ELECTRON_VERSION}/${release.fileName}`);
    // What install.js leaves behind: path.txt naming the binary, the binary in dist/, the zip in the cache.
    expect(readFileSync(join(f.electronDir, 'path.txt'), 'utf8')).toBe(platformPath());
    expect(existsSync(join(f.electronDir, 'dist', platformPath()))).toBe(true);
    expect(readdirSync(cache, { recursive: true }).map(String).some((p) => p.endsWith(release.fileName))).toBe(true);
    // electron-vite preview built the app and started that binary on it (cwd: the project, entry ".").
    expect(existsSync(join(f.dir, 'out', 'main', 'index.js'))).toBe(true);
    const [cwd, ...argv] = readFileSync(f.electronLog, 'utf8').trimEnd().split('\n');
    expect(realpathSync(cwd)).toBe(realpathSync(f.dir));
    expect(argv[0]).toBe('.');
    expect(existsSync(f.serveLog)).toBe(false);
    expect(run.stderr).not.toMatch(/triage serve/);
  });

  it('a second start finds the binary and does not download again', async () => {
    rmSync(f.electronLog, { force: true });
    const before = mirror.requests.length;
    const run = await runStart(f, [], { ELECTRON_MIRROR: mirror.url, electron_config_cache: cache, electron_use_remote_checksums: '1' });
    expect(run.code, run.stderr).toBe(0);
    expect(mirror.requests.length).toBe(before);
    expect(run.stderr).not.toMatch(/Downloading/i);
    expect(existsSync(f.electronLog)).toBe(true);
  });
});

describe.skipIf(!posix)('npm start where the binary is missing and the download fails', () => {
  it('falls back to `triage serve`, with the installer’s error and how to retry', async () => {
    const f = fixture();
    const port = await closedPort();
    const mirror = `http://127.0.0.1:${port}/`;
    const run = await runStart(f, ['--port', '8123'], { ELECTRON_MIRROR: mirror, electron_config_cache: tempDir() });
    expect(run.code, run.stderr).toBe(0);
    // The installer ran and failed: its own error is shown (Node's fetch against a closed port).
    expect(run.stderr).toMatch(/fetch failed/);
    expect(run.stderr).toContain(mirror);
    // How to retry: the installer on its own, or npm start again.
    expect(run.stderr).toContain('node node_modules/electron/install.js');
    expect(run.stderr).toMatch(/npm start/);
    expect(run.stderr).toMatch(/triage serve/);
    expect(JSON.parse(readFileSync(f.serveLog, 'utf8'))).toEqual(['serve', '--port', '8123']);
    expect(existsSync(join(f.electronDir, 'path.txt'))).toBe(false);
    expect(existsSync(f.electronLog)).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux')('ELECTRON_OVERRIDE_DIST_PATH', () => {
  it('is a folder holding the binary, as electron’s index.js reads it; that binary is started and nothing is downloaded', async () => {
    const f = fixture();
    const dist = tempDir();
    writeFileSync(join(dist, platformPath()), '#!/bin/sh\n{ pwd; for a in "$@"; do echo "$a"; done; } > "$FAKE_ELECTRON_LOG"\n');
    chmodSync(join(dist, platformPath()), 0o755);
    const port = await closedPort();
    const run = await runStart(f, [], { ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/Downloading|triage serve/);
    expect(readFileSync(f.electronLog, 'utf8').split('\n')[1]).toBe('.');
  });
});
