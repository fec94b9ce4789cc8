// One process at a time per data dir. nedb and the message log both assume a single writer:
// two writers would interleave appends and one's compaction (a rename) would drop the other's
// later appends.
//
// Node has no flock(), so the lock is built from the two operations that are atomic on every
// file system we run on (POSIX rename(2), Windows MoveFileEx):
//
//   <dir>/triage.lock/owner.json     the lock: a directory, present only while held
//
// - Taking a free lock: a complete directory `triage.lock.new-<token>/owner.json` is renamed to
//   `triage.lock`. rename() of a directory onto an existing non-empty directory fails (ENOTEMPTY/
//   EEXIST on POSIX, EPERM on Windows), so at most one process installs a lock, and the lock is
//   never seen without its owner record.
// - Taking over a stale lock: the stale lock is renamed to `triage.lock.stale-<its token>`. The
//   name is a function of the generation judged stale, so the rename is a compare-and-swap: of
//   the processes that all saw the same dead owner, the first moves it away; any later one finds
//   its target taken (the tombstone is a non-empty directory) and fails, even if a new lock is in
//   place by then. Check-then-delete, which this replaces, let two such processes each remove
//   the lock and both take a new one. Tombstones are kept for a week: a process paused for longer
//   between reading a lock and renaming it is the one case this does not cover.
// - Stale means: the owner's PID is gone, or it is alive but is another process (its start time
//   differs: the PID was reused), or the machine rebooted since (boot id). Linux: start time is
//   field 22 of /proc/PID/stat (clock ticks since boot, hence the boot id with it); macOS/BSD:
//   `ps -o lstart=` (wall clock at fork, stable); Windows: no start time, so a live PID counts as
//   the owner and the message tells the user how to clear the lock by hand.
// - release() removes the lock only if it is still ours (our token).
// Not covered: a data dir shared by two machines (a network home): the PID of a process on the
// other machine is checked on this one. owner.json records the host so the message can say so.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { TriageError } from '../errors.js';

export interface DataDirLock {
  release(): Promise<void>;
}

export const LOCK_NAME = 'triage.lock';
const OWNER_FILE = 'owner.json';
/** How long a lock without a readable owner is taken for one being written (a power cut can leave one). */
const UNREADABLE_GRACE_MS = 5000;
/** How long a tombstone of a taken-over lock is kept (see the top of this file). */
const TOMBSTONE_KEEP_MS = 7 * 86_400_000;

/** Who holds a lock. `start` and `boot` are null where the platform cannot tell them. */
export interface LockOwner {
  pid: number;
  /** The process's start time, as the platform reports it ('linux:<ticks>', 'ps:<lstart>'). */
  start: string | null;
  /** Linux boot id: a start time in ticks means nothing across a reboot. */
  boot: string | null;
  host: string;
  /** Unique per lock taken: names the lock's tombstone and tells release() the lock is ours. */
  token: string;
  since: string;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The start time of a process, or null when this platform (or its permissions) cannot tell. */
export function processStartTime(pid: number): string | null {
  if (process.platform === 'win32') return null;
  if (process.platform === 'linux') {
    const stat = readText(`/proc/${pid}/stat`);
    if (stat === null) return null;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so count from the last ')'.
    // Field 22 (starttime) is the 20th after it (proc(5)).
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return ticks && /^\d+$/.test(ticks) ? `linux:${ticks}` : null;
  }
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 3000 });
  const text = ps.status === 0 ? ps.stdout.trim() : '';
  return text ? `ps:${text}` : null;
}

let bootIdCache: string | null | undefined;
/** Linux's boot id (changes on every boot); null elsewhere. */
export function bootId(): string | null {
  if (bootIdCache === undefined) bootIdCache = readText('/proc/sys/kernel/random/boot_id')?.trim() || null;
  return bootIdCache;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Tokens of the locks this process holds (another Store of this process is a live holder too). */
const heldHere = new Set<string>();

/** Whether the owner a lock names is still running. */
export function ownerAlive(owner: Pick<LockOwner, 'pid' | 'start' | 'boot' | 'token'>): boolean {
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false; // written before a reboot
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  if (!pidAlive(owner.pid)) return false;
  if (owner.start) {
    const now = processStartTime(owner.pid);
    if (now && now !== owner.start) return false; // the PID now belongs to another process
  }
  return true;
}

function parseOwner(text: string | null): LockOwner | null {
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (!o || !Number.isInteger(o.pid) || (o.pid as number) <= 0 || typeof o.token !== 'string' || !/^[0-9a-f]{8,64}$/.test(o.token)) return null;
    return {
      pid: o.pid as number,
      start: typeof o.start === 'string' ? o.start : null,
      boot: typeof o.boot === 'string' ? o.boot : null,
      host: typeof o.host === 'string' ? o.host : '',
      token: o.token,
      since: typeof o.since === 'string' ? o.since : '',
    };
  } catch {
    return null;
  }
}

/** What is at `triage.lock` now. */
type Found =
  | { kind: 'none' }
  | { kind: 'lock'; owner: LockOwner }
  /** A directory without a readable owner (power cut before the record reached the disk). */
  | { kind: 'unreadable'; ino: bigint; ageMs: number }
  /** A PID file written by versions before the directory lock. */
  | { kind: 'legacy'; pid: number | null; ino: bigint; ageMs: number; mtimeMs: number };

function inspect(path: string): Found {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  const ageMs = Date.now() - Number(st.mtimeMs);
  if (!st.isDirectory()) {
    const pid = Number.parseInt((readText(path) ?? '').trim(), 10);
    return { kind: 'legacy', pid: Number.isInteger(pid) && pid > 0 ? pid : null, ino: st.ino, ageMs, mtimeMs: Number(st.mtimeMs) };
  }
  const owner = parseOwner(readText(join(path, OWNER_FILE)));
  return owner ? { kind: 'lock', owner } : { kind: 'unreadable', ino: st.ino, ageMs };
}

/** Stale (safe to take over, and the tombstone name of this generation), or held (by whom, if known). */
function staleness(found: Exclude<Found, { kind: 'none' }>): { stale: true; tombstone: string } | { stale: false; pid: number | null; owner?: LockOwner } {
  switch (found.kind) {
    case 'lock':
      return ownerAlive(found.owner) ? { stale: false, pid: found.owner.pid, owner: found.owner } : { stale: true, tombstone: found.owner.token };
    case 'unreadable':
      // The inode names the generation: it stays in use (as the tombstone) after the takeover.
      return found.ageMs > UNREADABLE_GRACE_MS ? { stale: true, tombstone: `ino${found.ino}` } : { stale: false, pid: null };
    case 'legacy': {
      const bootedAt = Date.now() - uptimeMs();
      const dead =
        found.pid === null
          ? found.ageMs > UNREADABLE_GRACE_MS
          : // Written before this boot: its PID, if alive, is someone else's. (A clock stepped forward
            // by more than the margin could misjudge a live old version's lock; a one-time hazard.)
            found.pid === process.pid || !pidAlive(found.pid) || found.mtimeMs < bootedAt - 60_000;
      return dead ? { stale: true, tombstone: `ino${found.ino}` } : { stale: false, pid: found.pid };
    }
  }
}

function uptimeMs(): number {
  return uptime() * 1000;
}

const EXISTS = new Set(['ENOTEMPTY', 'EEXIST', 'EPERM', 'EISDIR', 'ENOTDIR', 'EACCES']);

function newOwner(): LockOwner {
  return {
    pid: process.pid,
    start: processStartTime(process.pid),
    boot: bootId(),
    host: hostname(),
    token: randomBytes(12).toString('hex'),
    since: new Date().toISOString(),
  };
}

/** Write `<lock>.new-<token>/owner.json` completely (fsynced), ready to be renamed into place. */
function prepare(lockPath: string, owner: LockOwner): string {
  const tmp = `${lockPath}.new-${owner.token}`;
  mkdirSync(tmp);
  const fd = openSync(join(tmp, OWNER_FILE), 'wx', 0o644);
  try {
    writeSync(fd, JSON.stringify(owner) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Move away, then delete, the lock at `lockPath` if it holds `token`. */
function removeIfOurs(lockPath: string, token: string): void {
  const found = inspect(lockPath);
  if (found.kind !== 'lock' || found.owner.token !== token) return; // not ours (any more): leave it
  const gone = `${lockPath}.released-${token}`;
  try {
    renameSync(lockPath, gone);
  } catch {
    return;
  }
  rmSync(gone, { recursive: true, force: true });
}

/** Leftovers of crashed lockers and old tombstones; only what can no longer matter. */
function sweep(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(`${LOCK_NAME}.`));
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      const age = Date.now() - st.mtimeMs;
      let remove = false;
      if (name.startsWith(`${LOCK_NAME}.new-`)) {
        const owner = parseOwner(readText(join(path, OWNER_FILE)));
        remove = owner ? !ownerAlive(owner) : age > 60_000;
      } else if (name.startsWith(`${LOCK_NAME}.released-`)) remove = age > 60_000;
      else if (name.startsWith(`${LOCK_NAME}.stale-`)) remove = age > TOMBSTONE_KEEP_MS;
      if (remove) rmSync(path, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
}

function heldMessage(dir: string, lockPath: string, pid: number | null, owner?: LockOwner): string {
  if (pid === process.pid) {
    return `This inbox-triage process (PID ${pid}) already has ${dir} open; close that store before opening it again.`;
  }
  const who = pid === null ? 'PID unknown' : `PID ${pid}`;
  const since = owner?.since ? `, since ${owner.since}` : '';
  const elsewhere = owner?.host && owner.host !== hostname() ? ` on ${owner.host}` : '';
  return (
    `Another inbox-triage process (${who}) is using ${dir}${since}${elsewhere}; close it or wait for it to finish, then try again. ` +
    `If no inbox-triage is running${elsewhere ? ' there' : ''}, delete ${lockPath} and start again.`
  );
}

export async function lockDataDir(dir: string, { waitMs = 3000 }: { waitMs?: number } = {}): Promise<DataDirLock> {
  const lockPath = join(dir, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  const owner = newOwner();
  let lastError: unknown = null;
  for (;;) {
    // Every path below makes progress in a race that someone wins; a file system that keeps
    // refusing (permissions, a read-only dir) must not spin forever.
    if (Date.now() > deadline + 10_000) throw lastError ?? new TriageError('locked', heldMessage(dir, lockPath, null));
    const tmp = prepare(lockPath, owner);
    let installed = false;
    try {
      renameSync(tmp, lockPath);
      installed = true;
    } catch (e) {
      lastError = e;
      rmSync(tmp, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOENT') continue; // our prepared dir was swept by a concurrent locker: again
      if (!EXISTS.has(code)) throw e;
    }
    if (installed) return held(dir, lockPath, owner);

    const found = inspect(lockPath);
    if (found.kind === 'none') continue; // released (or taken over) meanwhile: try again at once
    const verdict = staleness(found);
    if (verdict.stale) {
      // The compare-and-swap (see the top of this file): only one process moves this generation away.
      const tombstone = `${lockPath}.stale-${verdict.tombstone}`;
      try {
        renameSync(lockPath, tombstone);
        try {
          writeMarker(tombstone, owner);
        } catch {
          /* the tombstone itself is what matters */
        }
      } catch (e) {
        lastError = e;
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (code !== 'ENOENT' && !EXISTS.has(code)) throw e;
      }
      continue;
    }
    if (Date.now() >= deadline) throw new TriageError('locked', heldMessage(dir, lockPath, verdict.pid, verdict.owner));
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  }
}

/** Who took a stale lock over, and when (a legacy file's tombstone is a file: nothing to add). */
function writeMarker(tombstone: string, by: LockOwner): void {
  if (!statSync(tombstone).isDirectory()) return;
  const fd = openSync(join(tombstone, 'taken.json'), 'w');
  try {
    writeSync(fd, JSON.stringify({ by: by.pid, token: by.token, at: new Date().toISOString() }) + '\n');
  } finally {
    closeSync(fd);
  }
}

function held(dir: string, lockPath: string, owner: LockOwner): DataDirLock {
  heldHere.add(owner.token);
  sweep(dir);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(owner.token);
    try {
      removeIfOurs(lockPath, owner.token);
    } catch {
      /* nothing left to do: a lock that stays behind is taken over as stale */
    }
  };
  // Synchronous on exit: the event loop is gone by then.
  process.once('exit', release);
  return {
    release: async () => {
      process.removeListener('exit', release);
      release();
    },
  };
}
