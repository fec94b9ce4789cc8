// Server processes of the rig (Dovecot's and Cyrus' masters) as children of the test process:
// signals by PID, the process tree from /proc, and a spawn that ends the server when the test
// process dies without cleaning up.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, imapGreets, sleep } from './net.js';

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

/** True while a process group has members (a negative `pid` to kill(2) means the group). */
export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
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

/** Linux /proc: inodes of the sockets a process has open. */
export function socketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(Number(m[1]));
    } catch {
      /* closed meanwhile */
    }
  }
  return inodes;
}

/** Linux /proc: inodes of the TCP sockets (IPv4 and IPv6) listening on `port`, any address. */
export function listenerInodes(port: number): number[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st ... inode (field 9); st 0A = LISTEN
      if (f.length > 9 && f[3] === '0A' && f[1].endsWith(`:${hexPort}`)) inodes.push(Number(f[9]));
    }
  }
  return inodes;
}

/** True when something other than `pid` listens on `port` (Linux /proc; false elsewhere). */
export function portHeldByOther(port: number, pid: number): boolean {
  const listeners = listenerInodes(port);
  if (listeners.length === 0) return false;
  const own = socketInodes(pid);
  return listeners.some((inode) => !own.has(inode));
}

/**
 * Waits until nothing listens on `ports` any more (Linux /proc; at once elsewhere). A master that
 * has exited may leave preforked children that still hold its listening sockets for a moment;
 * a restart that binds before they are gone fails with "Address already in use" (seen under load).
 */
export async function waitPortsFree(ports: number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ports.some((p) => listenerInodes(p).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
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
  /** In a process group of its own (its PID is the group ID), so that all it forks can be
   *  signalled at once with signal(-pid, ...), also after it exited. */
  ownGroup?: boolean;
}

/** Spawns a server that stays in the foreground, so it is our child and we see it exit. Through
 *  `setpriv --pdeathsig TERM` it gets SIGTERM if this process dies without running its exit hook
 *  (kill -9, a crashed vitest fork). Linux sends it when the spawning *thread* ends, which for
 *  Node's spawn() is the main thread. The kernel clears that signal when a process changes its
 *  uid, so a server that would drop root itself is started as its user by setpriv (which sets
 *  the signal after switching). */
export function spawnServer(command: string, args: string[], opts: SpawnServerOptions): ChildProcess {
  const log = openSync(opts.logFile, 'a');
  const options = { stdio: ['ignore', log, log] as ['ignore', number, number], detached: opts.ownGroup ?? false };
  let child: ChildProcess;
  if (existsSync('/usr/bin/setpriv')) {
    const as = opts.runAs ? ['--reuid', opts.runAs.user, '--regid', opts.runAs.group, '--init-groups'] : [];
    child = spawn('/usr/bin/setpriv', [...as, '--pdeathsig', 'TERM', command, ...args], options);
  } else {
    if (opts.runAs) throw new Error(`setpriv (util-linux) is needed to run ${command} as ${opts.runAs.user}`);
    child = spawn(command, args, options);
  }
  closeSync(log);
  child.on('error', () => {}); // reported through 'exit' / the caller's start timeout
  return child;
}

export interface GreetingWait {
  /** The server's name in messages ("Dovecot", "Cyrus"). */
  name: string;
  timeoutMs: number;
  logTail: () => string;
  /** Runs each round before the greeting probe; throws to give up at once. */
  check?: () => Promise<void>;
  /** Ends a server that did not greet in time. */
  giveUp: () => Promise<void>;
}

/** Resolves once IMAP on `port` greets; throws when the server exits first or does not greet in
 *  time (after giving up on it). */
export async function waitForGreeting(child: ChildProcess, port: number, w: GreetingWait): Promise<void> {
  const deadline = Date.now() + w.timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(`${w.name} exited while starting (code ${child.exitCode ?? child.signalCode}):\n${w.logTail()}`);
    }
    await w.check?.();
    if (await imapGreets(port)) return;
    await sleep(20);
  }
  await w.giveUp();
  throw new Error(`${w.name} did not answer on 127.0.0.1:${port} within ${w.timeoutMs} ms:\n${w.logTail()}`);
}

/** Instance dirs and ports for a server: a fresh dir (`prepare` fills it) and two distinct free
 *  loopback ports (IMAP, LMTP) for `create`, whose instance is then launched. Ports are picked
 *  by binding port 0, and another process may take one before the server binds it, so when
 *  `portTaken` says that is why launching failed, it starts over (3 tries). */
export async function startInstance<T extends { launch(): Promise<void> }>(o: {
  baseDir: string;
  prefix: string;
  prepare: (dir: string) => void;
  create: (dir: string, imapPort: number, lmtpPort: number) => T;
  portTaken: (err: unknown) => boolean;
}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(o.baseDir, o.prefix));
    o.prepare(dir);
    const imapPort = await freePort();
    let lmtpPort = await freePort();
    while (lmtpPort === imapPort) lmtpPort = await freePort();
    const instance = o.create(dir, imapPort, lmtpPort);
    try {
      await instance.launch();
      return instance;
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      if (attempt >= 3 || !o.portTaken(err)) throw err;
    }
  }
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
