// The Dovecot master as a child process: start, wait for the greeting, stop fast, and make sure
// nothing outlives the test process (exit hook, parent-death signal, sweep of stale dirs).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './net.js';
import { childPids, commOf, exitOf, hasExited, isAlive, signal, spawnServer, sweepStaleDirs as sweep, waitForGreeting } from './process.js';

const DOVECOT = '/usr/sbin/dovecot';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
export const DIR_PREFIX = 'inbox-triage-dovecot-';

const running = new Map<number, string>(); // master pid → instance dir

process.on('exit', () => {
  // Only synchronous work is possible here. Killed by a signal, this hook does not run; the
  // parent-death signal (spawnServer) and sweepStaleDirs cover that case.
  for (const [pid, dir] of running) {
    for (const c of childPids(pid)) signal(c, 'SIGTERM');
    signal(pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
});

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT);
}

/** Removes Dovecot instance dirs whose master is gone (see process.ts sweepStaleDirs). */
export function sweepStaleDirs(baseDir: string): void {
  sweep(baseDir, DIR_PREFIX, join('run', 'master.pid'));
}

export function logTail(dir: string, lines = 20): string {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  const text = `${read('stderr.log')}${read('dovecot.log')}`.trim();
  return text ? text.split('\n').slice(-lines).join('\n') : '(Dovecot wrote no log)';
}

/** Runs `dovecot -F` (foreground: the master stays our child, so we see it exit); the master
 *  stays root, so the parent-death signal holds. */
function spawnMaster(dir: string): ChildProcess {
  return spawnServer(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { logFile: join(dir, 'stderr.log') });
}

/** Starts the master for the config in `dir` and resolves once IMAP on `port` greets. */
export async function launchMaster(dir: string, port: number): Promise<ChildProcess> {
  const child = spawnMaster(dir);
  if (child.pid) running.set(child.pid, dir);
  try {
    await waitForGreeting(child, port, {
      name: 'Dovecot',
      timeoutMs: START_TIMEOUT_MS,
      logTail: () => logTail(dir),
      giveUp: async () => void child.kill('SIGKILL'),
    });
    return child;
  } catch (err) {
    if (child.pid) running.delete(child.pid);
    throw err;
  }
}

/** SIGTERM to the PID in master.pid, then wait until the master has exited. */
export async function haltMaster(child: ChildProcess, dir: string): Promise<void> {
  if (hasExited(child)) return;
  const pidFile = join(dir, 'run', 'master.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : child.pid!;
  const exited = exitOf(child);
  // Every process the master started, gone before we return: an orphaned imap process still
  // holds the master's unix listeners, and the next master then refuses to start ("Dovecot is
  // already running? Socket already exists: run/login/imap", seen in CI under a load of 8).
  const started = new Set(childPids(pid));
  signal(pid, 'SIGTERM');
  // The master does not stop running imap/lmtp processes itself: they notice its death only
  // ~10 s later and then say "BYE Server shutting down". SIGTERM them now (same BYE) so that
  // stop() and restart() cut client connections at once, as a real restart would.
  for (const c of childPids(pid)) if (commOf(c) !== 'log') signal(c, 'SIGTERM');
  // Once its services are gone, Dovecot 2.3's master still waits for the log process to stop
  // "listening", which it never does: services_monitor_wait() gives up only after
  // MAX_DIE_WAIT_SECS (src/master/service-monitor.c), i.e. >1 s per stop. Nothing is left to
  // lose by then (mail processes have exited and written their indexes), so end the master
  // and its log process as soon as the log process is its only child.
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!done && Date.now() < deadline) {
    const children = childPids(pid);
    children.forEach((c) => started.add(c));
    if (children.length > 0 && children.every((c) => commOf(c) === 'log')) {
      signal(pid, 'SIGKILL');
      children.forEach((c) => signal(c, 'SIGKILL'));
      break;
    }
    await sleep(10);
  }
  if (!done && Date.now() >= deadline) child.kill('SIGKILL');
  await exited;
  running.delete(child.pid!);
  const left = () => [...started].filter((c) => c !== pid && isAlive(c));
  const orphansDeadline = Date.now() + STOP_TIMEOUT_MS;
  while (left().length && Date.now() < orphansDeadline) await sleep(10);
  for (const c of left()) signal(c, 'SIGKILL');
  while (left().length && Date.now() < orphansDeadline + 1000) await sleep(10);
}
