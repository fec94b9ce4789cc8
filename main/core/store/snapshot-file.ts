// Persisted analysis results, so a command that only reads (`triage unanswered`, `triage junk`,
// the app's first list) does not load and analyse every record again. Measured at 100k messages:
// loading the log and analysing took 6-45 s per command on this 2-core machine (load 12-14);
// reading a snapshot takes a few tens of ms.
//
// A snapshot is valid for one state of everything an analysis reads, named by storeFingerprint:
//   - each account's message log by its file's identity (inode, size, mtime): the log is
//     append-only, so every write grows it; a compaction makes a new file with the same records
//     (a false "changed" costs one analysis, never a wrong list);
//   - the small stores' documents themselves (accounts, folders less their sync times, prefs
//     less send-due's bookkeeping): small, hashed whole;
//   - what the caller adds: the code's build (another build may analyse differently), the
//     machine's zone, Node's version (its Intl data).
// The fingerprint is taken *before* the records are read, so a snapshot never carries a key newer
// than its contents. Files are written whole to a temporary name and renamed: a reader sees the
// old snapshot or the new one; anything unreadable is treated as missing.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from './store.js';

/** Bumped when a snapshot's shape changes. */
const FORMAT = 1;

/** Folder fields a sync rewrites without changing anything an analysis reads. */
const VOLATILE_FOLDER_FIELDS = new Set(['lastSyncAt', 'lastError']);
/** Prefs no analysis reads (followup/send-due.ts bookkeeping, written on every run). */
const UNREAD_PREF_PREFIX = 'setting:plan-check:';

function sortedJson(docs: object[], drop: ReadonlySet<string> = new Set()): string {
  const rows = docs.map((d) => JSON.stringify(Object.entries(d).filter(([k]) => !drop.has(k)).sort(([a], [b]) => (a < b ? -1 : 1))));
  return rows.sort().join('\n');
}

/**
 * A name for the current state of everything the analyses read. `extra` names what else the
 * result depends on (the code's build, the machine's zone).
 */
export async function storeFingerprint(store: Store, extra: string): Promise<string> {
  const [accounts, folders, prefs] = await Promise.all([store.accounts.find({}), store.folders.find({}), store.prefs.find({})]);
  const h = createHash('sha256');
  h.update(`format ${FORMAT}\n${extra}\n`);
  h.update(sortedJson(accounts));
  h.update('\0');
  h.update(sortedJson(folders, VOLATILE_FOLDER_FIELDS));
  h.update('\0');
  h.update(sortedJson(prefs.filter((p) => !String(p._id).startsWith(UNREAD_PREF_PREFIX))));
  for (const name of accounts.map((a) => a._id).sort()) {
    const info = await stat(store.logFile(name), { bigint: true }).catch(() => null);
    h.update(`\0${name}:${info ? `${info.ino}:${info.size}:${info.mtimeNs}` : 'none'}`);
  }
  return h.digest('hex');
}

function fileOf(store: Store, name: string): string {
  return join(store.dir, 'analysis', `${name}.json`);
}

/** The snapshot `name` written under `key`, or null (none, another key, unreadable). */
export async function readSnapshot<T>(store: Store, name: string, key: string): Promise<T | null> {
  try {
    const doc = JSON.parse(await readFile(fileOf(store, name), 'utf8')) as { key?: unknown; value?: T };
    return doc && doc.key === key && doc.value !== undefined ? doc.value : null;
  } catch {
    return null;
  }
}

/** Keep `value` as snapshot `name` for `key`. A cache: a failure to write is not an error. */
export async function writeSnapshot(store: Store, name: string, key: string, value: unknown): Promise<void> {
  const file = fileOf(store, name);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(store.dir, 'analysis'), { recursive: true });
    await writeFile(tmp, JSON.stringify({ key, value }));
    await rename(tmp, file);
  } catch {
    // A full disk or a read-only data dir: the next command analyses again.
  }
}
