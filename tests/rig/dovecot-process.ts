// The Dovecot master as a child process: start, wait for the greeting, stop fast, and make sure
// nothing outlives the test process (exit hook, parent-death signal, sweep of stale dirs).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { imapGreets, sleep } from './net.js';

const DOVECOT = '/usr/sbin/dovecot';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
export const DIR_PREFIX = 'inbox-triage-dovecot-';

const running = new Map<number, string>(); // master pid → instance dir

process.on('exit', () => {
  // Only synchronous work is possible here. Killed by a signal, this hook does not run; the
  // parent-death signal (spawnMaster) and sweepStaleDirs cover that case.
  for (const [pid, dir] of running) {
    for (const c of childPids(pid)) signal(c, 'SIGTERM');
    signal(pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
});

export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Linux /proc: direct children of a process, and a process's command name. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Removes instance dirs left by a test process that was killed outright (SIGKILL, OOM): its
 *  Dovecot got the parent-death signal, but nobody removed the dir, and under /dev/shm that is
 *  RAM. A dir is stale when its master is gone and it is over a minute old (a younger one may
 *  be starting right now in another process). */
export function sweepStaleDirs(baseDir: string): void {
  let names: string[];
  try {
    names = readdirSync(baseDir).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(baseDir, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
      const pidFile = join(dir, 'run', 'master.pid');
      if (existsSync(pidFile) && isAlive(Number(readFileSync(pidFile, 'utf8').trim()))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* another process swept it first */
    }
  }
}

export function logTail(dir: string, lines = 20): string {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  const text = `${read('stderr.log')}${read('dovecot.log')}`.trim();
  return text ? text.split('\n').slice(-lines).join('\n') : '(Dovecot wrote no log)';
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function exitOf(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Runs `dovecot -F` (foreground: the master stays our child, so we see it exit). Through
 *  `setpriv --pdeathsig TERM` the master gets SIGTERM if this process dies without running its
 *  exit hook (kill -9, a crashed vitest fork). Linux sends it when the spawning *thread* ends,
 *  which for Node's spawn() is the main thread. */
function spawnMaster(dir: string): ChildProcess {
  const stderr = openSync(join(dir, 'stderr.log'), 'a');
  const args = ['-F', '-c', join(dir, 'dovecot.conf')];
  const stdio: ['ignore', number, number] = ['ignore', stderr, stderr];
  const child = existsSync('/usr/bin/setpriv')
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'TERM', DOVECOT, ...args], { stdio })
    : spawn(DOVECOT, args, { stdio });
  closeSync(stderr);
  child.on('error', () => {}); // reported through 'exit' / the start timeout
  return child;
}

async function waitUntilUp(child: ChildProcess, port: number, dir: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(`Dovecot exited while starting (code ${child.exitCode ?? child.signalCode}):\n${logTail(dir)}`);
    }
    if (await imapGreets(port)) return;
    await sleep(25);
  }
  child.kill('SIGKILL');
  throw new Error(`Dovecot did not answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms:\n${logTail(dir)}`);
}

/** Starts the master for the config in `dir` and resolves once IMAP on `port` greets. */
export async function launchMaster(dir: string, port: number): Promise<ChildProcess> {
  const child = spawnMaster(dir);
  if (child.pid) running.set(child.pid, dir);
  try {
    await waitUntilUp(child, port, dir);
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
}
