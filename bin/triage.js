#!/usr/bin/env node
// The `triage` command. It runs the built bundle (scripts/build-cli.mjs; `npm install` builds it)
// and rebuilds it first when a source is newer, so a checkout needs no manual build step. Where
// it cannot build (no esbuild, or another process is building), it runs the TypeScript sources
// through tsx, as before: slower to start, same behaviour.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_OUT, buildCli, freshBundle } from '../scripts/build-cli.mjs';

async function entry() {
  const fresh = freshBundle();
  if (fresh) return fresh;
  if (process.env.TRIAGE_NO_BUILD) return null;
  // One build at a time (tests start many commands at once): mkdir is atomic; a lock left by a
  // killed build is taken over after two minutes.
  const lock = join(CLI_OUT, '.build-lock');
  mkdirSync(CLI_OUT, { recursive: true });
  try {
    mkdirSync(lock);
  } catch {
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age < 120_000) return null;
    rmSync(lock, { recursive: true, force: true });
    return null;
  }
  try {
    return freshBundle() ?? (await buildCli({ quiet: true }));
  } catch (e) {
    process.stderr.write(`triage: could not build the command (${e instanceof Error ? e.message.split('\n')[0] : e}); running from the sources\n`);
    return null;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const built = await entry();
let main;
if (built) ({ main } = await import(built));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../main/cli/index.ts'));
}
const code = await main(process.argv.slice(2));
// Let stdout drain before exiting (large --json output into a pipe).
process.stdout.write('', () => process.exit(code));
