// The Cyrus master as a child process: start as the `cyrus` user, wait for the greeting, stop by
// its PID, and make sure nothing outlives the test process (exit hook, parent-death signal,
// sweep of stale dirs).
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './net.js';
import { exitOf, groupAlive, hasExited, portHeldByOther, signal, spawnServer, sweepStaleDirs as sweep, waitForGreeting } from './process.js';

/** cyrus-imapd conflicts with dovecot-imapd, so tests/rig/provision.js unpacks it here (same
 *  path there); cyrus-common, installed normally, has master, lmtpd and the tools. */
export const CYRUS_IMAPD_ROOT = '/var/lib/inbox-triage-rig/cyrus';
export const IMAPD_BIN_DIR = join(CYRUS_IMAPD_ROOT, 'usr/lib/cyrus/bin');
export const COMMON_BIN_DIR = '/usr/lib/cyrus/bin';
const MASTER = join(COMMON_BIN_DIR, 'master');
export const SASLPASSWD2 = '/usr/sbin/saslpasswd2';
/** Debian's cyrus-common creates this user (group `mail`); Cyrus refuses to run as root. */
export const CYRUS_USER = { user: 'cyrus', group: 'mail' };

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
export const DIR_PREFIX = 'inbox-triage-cyrus-';
const PID_FILE = join('run', 'master.pid');

const running = new Map<number, string>(); // master pid → instance dir

process.on('exit', () => {
  // Only synchronous work is possible here. Killed by a signal, this hook does not run; the
  // parent-death signal (spawnServer) and sweepStaleDirs cover that case.
  for (const [pid, dir] of running) {
    signal(-pid, 'SIGTERM'); // the master's process group: master and services
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
});

/** What is missing for the Cyrus rig, or null when everything is there. */
export function cyrusMissing(): string | null {
  const missing = [MASTER, join(COMMON_BIN_DIR, 'lmtpd'), join(IMAPD_BIN_DIR, 'imapd'), join(IMAPD_BIN_DIR, 'idled'), SASLPASSWD2].filter((f) => !existsSync(f));
  return missing.length > 0 ? missing.join(', ') : null;
}

/** The Cyrus version of the unpacked imapd (the Debian package version, e.g. 3.6.1-4+deb12u5). */
export function cyrusPackageVersion(): string {
  try {
    return readFileSync(join(CYRUS_IMAPD_ROOT, 'VERSION'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/** Removes Cyrus instance dirs whose master is gone (see process.ts sweepStaleDirs). */
export function sweepStaleDirs(baseDir: string): void {
  sweep(baseDir, DIR_PREFIX, PID_FILE);
}

/** Cyrus' services log to syslog, which this machine does not run: what there is to show is the
 *  master's own output. */
export function logTail(dir: string, lines = 20): string {
  const file = join(dir, 'master.log');
  const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return text ? text.split('\n').slice(-lines).join('\n') : '(the Cyrus master wrote nothing; its services log to syslog)';
}

/** Runs master in the foreground (no -d) as `cyrus`: -D keeps its stdout/stderr (our log file),
 *  -p puts the PID file in the instance dir instead of /run. */
function spawnMaster(dir: string): ChildProcess {
  const args = ['-C', join(dir, 'imapd.conf'), '-M', join(dir, 'cyrus.conf'), '-p', join(dir, PID_FILE), '-D'];
  return spawnServer(MASTER, args, { logFile: join(dir, 'master.log'), runAs: CYRUS_USER, ownGroup: true });
}

/** A port the master was to listen on is another process's. Unlike Dovecot, the Cyrus master
 *  does not exit when a bind fails: it logs (to syslog) and runs without that service. */
export class PortTakenError extends Error {}

/** Starts the master for the config in `dir` and resolves once IMAP on `ports[0]` greets;
 *  throws PortTakenError when another process listens on one of `ports`. */
export async function launchMaster(dir: string, ports: number[]): Promise<ChildProcess> {
  const child = spawnMaster(dir);
  if (child.pid) running.set(child.pid, dir);
  try {
    await waitForGreeting(child, ports[0], {
      name: 'Cyrus master',
      timeoutMs: START_TIMEOUT_MS,
      logTail: () => logTail(dir),
      check: async () => {
        const taken = ports.filter((p) => portHeldByOther(p, child.pid!));
        if (taken.length === 0) return;
        await haltMaster(child);
        throw new PortTakenError(`port ${taken.join(', ')} is taken by another process`);
      },
      giveUp: () => haltMaster(child),
    });
    return child;
  } catch (err) {
    if (child.pid) running.delete(child.pid);
    throw err;
  }
}

/** SIGTERM to the master we started (setpriv execs it, so it has the child's PID); it ends its
 *  services. The master leads a process group of its own (spawnServer ownGroup) that holds
 *  exactly it and the services it forked: once the master is gone, whatever of the group is
 *  left (a service forked while the master was still starting up outlives it) gets SIGTERM,
 *  then SIGKILL. Preforked services hold the listening sockets, so none may survive a restart.
 *  Resolves once the whole group is gone. */
export async function haltMaster(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  if (!hasExited(child)) {
    const exited = exitOf(child);
    signal(pid, 'SIGTERM');
    const timeout = sleep(STOP_TIMEOUT_MS).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
  if (groupAlive(pid)) {
    signal(-pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(10);
    if (groupAlive(pid)) signal(-pid, 'SIGKILL');
  }
  running.delete(pid);
}
