// The data-dir lock against real processes: racing takeovers of a stale lock, a dead owner whose
// PID now belongs to someone else, a live holder, and a release that must not free another's lock.
// These run real child processes (child_process.fork with tsx), not mocks: the hazards are
// between processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lockDataDir } from '../../../main/core/store/lock.js';
import { removeDir, tempDir } from '../../integration/helpers.js';

const RACER = resolve(import.meta.dirname, 'support/lock-racer.ts');
const LOCK = 'triage.lock';

interface Racer {
  child: ChildProcess;
  pid: number;
  next<T = Record<string, unknown>>(): Promise<T>;
  send(m: unknown): void;
}

function startRacer(): Promise<Racer> {
  const child = fork(RACER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: unknown[] = [];
  const waiting: ((m: unknown) => void)[] = [];
  child.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const racer: Racer = {
    child,
    pid: child.pid!,
    next: <T,>() => new Promise<T>((r) => (inbox.length ? r(inbox.shift() as T) : waiting.push(r as (m: unknown) => void))),
    send: (m) => child.send(m as never),
  };
  return racer.next().then(() => racer);
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

/** The owner record of the lock, whatever its layout: a PID file, or a directory with owner.json. */
function ownerPath(dir: string): string {
  const p = join(dir, LOCK);
  return statSync(p).isDirectory() ? join(p, 'owner.json') : p;
}

const dirs: string[] = [];
const racers: Racer[] = [];
let template: string;

beforeAll(async () => {
  // A genuinely stale lock: taken by a process that was then killed with SIGKILL (no exit handler
  // ran), in whatever layout lock.ts writes. Each trial copies it into a fresh data dir.
  template = tempDir('triage-lock-template-');
  dirs.push(template);
  const doomed = await startRacer();
  doomed.send({ type: 'race', dir: template, at: Date.now() });
  expect(await doomed.next()).toMatchObject({ got: true });
  doomed.child.kill('SIGKILL');
  await exited(doomed.child);
  expect(existsSync(join(template, LOCK))).toBe(true);
  for (let i = 0; i < 6; i++) racers.push(await startRacer());
}, 60_000);

afterAll(async () => {
  for (const r of racers) {
    r.send({ type: 'exit' });
    await exited(r.child);
  }
  dirs.splice(0).forEach(removeDir);
});

function staleDataDir(): string {
  const dir = tempDir('triage-lock-race-');
  dirs.push(dir);
  cpSync(join(template, LOCK), join(dir, LOCK), { recursive: true });
  return dir;
}

describe('a stale lock raced for by many processes', () => {
  it('never has two holders (40 trials of 6 processes started in step)', async () => {
    const TRIALS = 40;
    const doubled: number[] = [];
    const none: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const dir = staleDataDir();
      const at = Date.now() + 150;
      for (const r of racers) r.send({ type: 'race', dir, at });
      const results = await Promise.all(racers.map((r) => r.next<{ got: boolean; code?: string; message?: string }>()));
      const holders = results.filter((r) => r.got).length;
      if (holders > 1) doubled.push(t);
      if (holders === 0) none.push(t);
      // The losers were told it is taken, not some other failure.
      for (const r of results) if (!r.got) expect(r.code, r.message).toBe('locked');
      for (const r of racers) r.send({ type: 'release', dir });
      await Promise.all(racers.map((r) => r.next()));
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`lock race: ${doubled.length} of ${TRIALS} trials had two or more holders, ${none.length} had none`);
    expect(doubled).toEqual([]);
    expect(none).toEqual([]);
  }, 120_000);
});

describe('a lock whose owner died and whose PID now belongs to another live process', () => {
  it('is recognised as stale and taken over', async () => {
    const dir = staleDataDir();
    // A live process that is not the owner: the dead owner's PID "reused".
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const file = ownerPath(dir);
      const text = readFileSync(file, 'utf8');
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        record = null;
      }
      if (record && typeof record === 'object') writeFileSync(file, JSON.stringify({ ...record, pid: other.pid }));
      else writeFileSync(file, `${other.pid}\n`);
      const lock = await lockDataDir(dir, { waitMs: 300 });
      await lock.release();
    } finally {
      other.kill('SIGKILL');
      await exited(other);
    }
  });
});

describe('a lock held by a live process', () => {
  it('is refused with the holder, and the message says what to do', async () => {
    const dir = tempDir('triage-lock-held-');
    dirs.push(dir);
    const holder = racers[0];
    holder.send({ type: 'race', dir, at: Date.now() });
    expect(await holder.next()).toMatchObject({ got: true });
    try {
      const err = await lockDataDir(dir, { waitMs: 200 }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err).toMatchObject({ code: 'locked' });
      // The integration test and the CLI contract rely on this opening.
      expect(err!.message).toMatch(new RegExp(`^Another inbox-triage process \\(PID ${holder.pid}\\) is using `));
      // ...and the way out if the user knows better.
      expect(err!.message).toContain(join(dir, LOCK));
    } finally {
      holder.send({ type: 'release', dir });
      await holder.next();
    }
  });
});

describe('release', () => {
  it('frees only its own lock, never one another process took since', async () => {
    const dir = tempDir('triage-lock-release-');
    dirs.push(dir);
    const mine = await lockDataDir(dir);
    // Someone deletes the lock by hand (as the old message made users do) and another process takes it.
    rmSync(join(dir, LOCK), { recursive: true, force: true });
    const other = racers[1];
    other.send({ type: 'race', dir, at: Date.now() });
    expect(await other.next()).toMatchObject({ got: true });
    await mine.release();
    // The other process's lock is still in force.
    await expect(lockDataDir(dir, { waitMs: 100 })).rejects.toMatchObject({ code: 'locked', message: expect.stringContaining(`PID ${other.pid}`) });
    other.send({ type: 'release', dir });
    await other.next();
  });
});
