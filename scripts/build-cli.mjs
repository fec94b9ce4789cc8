// The `triage` command as a built bundle (esbuild), so a command does not transpile the
// TypeScript sources at every start: `npm install` builds it (the `prepare` script), so does
// `npm run build`, and bin/triage.js rebuilds it when a source under main/ is newer than the
// build. Commands are split along their dynamic imports (main/cli/index.ts): `triage --help`
// loads only the entry chunk.
//
// Layout: out/cli/<build id>/index.js and its chunks; out/cli/current.json names the build in use
// (written by rename, so a process never sees half a build); older builds are removed.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT = join(ROOT, 'out', 'cli');
const CURRENT = join(CLI_OUT, 'current.json');
/** What the bundle is made of: a change to any of these makes it stale. */
const SOURCES = [join(ROOT, 'main'), join(ROOT, 'package-lock.json'), join(ROOT, 'scripts', 'build-cli.mjs')];

function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let max = info.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** The entry file of the current build, or null when there is none or a source is newer. */
export function freshBundle() {
  let current;
  try {
    current = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return null;
  }
  if (typeof current?.dir !== 'string' || typeof current.builtAt !== 'number') return null;
  if (Math.max(...SOURCES.map(newest)) > current.builtAt) return null;
  return join(CLI_OUT, current.dir, 'index.js');
}

/** Build into a new folder, then point current.json at it. Returns the entry file. */
export async function buildCli({ quiet = false } = {}) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const dir = `b${startedAt.toString(36)}-${process.pid}`;
  const outdir = join(CLI_OUT, dir);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'main', 'cli', 'index.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    logLevel: quiet ? 'error' : 'warning',
    // The build's name: analysis snapshots written by another build are not read (triage/lists.ts).
    define: { __TRIAGE_BUILD__: JSON.stringify(dir) },
    // CommonJS packages bundled into ESM still call require() and read __dirname.
    banner: {
      js: "import { createRequire as __triageRequire } from 'node:module'; import { fileURLToPath as __triageUrl } from 'node:url'; import { dirname as __triageDir } from 'node:path'; const require = __triageRequire(import.meta.url); const __filename = __triageUrl(import.meta.url); const __dirname = __triageDir(__filename);",
    },
  });
  const tmp = `${CURRENT}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir, builtAt: startedAt }));
  renameSync(tmp, CURRENT);
  // Earlier builds: a running process may still be loading chunks of the one just replaced, so
  // keep the previous one and remove the rest.
  const old = readdirSync(CLI_OUT)
    .filter((d) => d.startsWith('b') && d !== dir)
    .sort((a, b) => statSync(join(CLI_OUT, b)).mtimeMs - statSync(join(CLI_OUT, a)).mtimeMs);
  for (const d of old.slice(1)) rmSync(join(CLI_OUT, d), { recursive: true, force: true });
  if (!quiet) process.stderr.write(`triage: built the command in ${Date.now() - startedAt} ms (${join('out', 'cli', dir)})\n`);
  return join(outdir, 'index.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}
