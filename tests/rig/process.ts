// Server processes of the rig (Dovecot's and Cyrus' masters) as children of the test process:
// signals by PID, the process tree from /proc, and a spawn that ends the server when the test
// process dies without cleaning up.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Linux /proc: direct children of a process. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Linux /proc: a process's command name ('' when it is gone). */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export function exitOf(child: ChildProcess): Promise<void> {
  return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface SpawnServerOptions {
  /** Where stdout and stderr go (appended). */
  logFile: string;
  /** Run as this user and group (setpriv --reuid/--regid --init-groups) instead of as root. */
  runAs?: { user: string; group: string };
}

/** Spawns a server that stays in the foreground, so it is our child and we see it exit. Through
 *  `setpriv --pdeathsig TERM` it gets SIGTERM if this process dies without running its exit hook
 *  (kill -9, a crashed vitest fork). Linux sends it when the spawning *thread* ends, which for
 *  Node's spawn() is the main thread. The kernel clears that signal when a process changes its
 *  uid, so a server that would drop root itself is started as its user by setpriv (which sets
 *  the signal after switching). */
export function spawnServer(command: string, args: string[], opts: SpawnServerOptions): ChildProcess {
  const log = openSync(opts.logFile, 'a');
  const stdio: ['ignore', number, number] = ['ignore', log, log];
  let child: ChildProcess;
  if (existsSync('/usr/bin/setpriv')) {
    const as = opts.runAs ? ['--reuid', opts.runAs.user, '--regid', opts.runAs.group, '--init-groups'] : [];
    child = spawn('/usr/bin/setpriv', [...as, '--pdeathsig', 'TERM', command, ...args], { stdio });
  } else {
    if (opts.runAs) throw new Error(`setpriv (util-linux) is needed to run ${command} as ${opts.runAs.user}`);
    child = spawn(command, args, { stdio });
  }
  closeSync(log);
  child.on('error', () => {}); // reported through 'exit' / the caller's start timeout
  return child;
}

/** Removes instance dirs (`baseDir/prefix*`) left by a test process that was killed outright
 *  (SIGKILL, OOM): its server got the parent-death signal, but nobody removed the dir, and under
 *  /dev/shm that is RAM. A dir is stale when the PID in `pidFile` (relative to the dir) is gone
 *  and it is over a minute old (a younger one may be starting right now in another process). */
export function sweepStaleDirs(baseDir: string, prefix: string, pidFile: string): void {
  let names: string[];
  try {
    names = readdirSync(baseDir).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(baseDir, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
      const file = join(dir, pidFile);
      if (existsSync(file) && isAlive(Number(readFileSync(file, 'utf8').trim()))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* another process swept it first */
    }
  }
}

/** Where instance dirs go by default: /dev/shm when writable (file creation there is ~10x
 *  cheaper than on disk, which is what seeding does), else the OS temp dir. */
export function defaultBaseDir(): string {
  try {
    const probe = mkdtempSync('/dev/shm/.inbox-triage-probe-');
    rmSync(probe, { recursive: true });
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}
