// The small stores (accounts, folders, queue, prefs): nedb datastores (nedb-promises over
// @seald-io/nedb 4), opened so that they survive crashes and power cuts.
//
// What nedb does by itself (lib/persistence.js, lib/storage.js): every insert/update/remove
// appends its documents to the file with fs.appendFile and resolves, without fsync ("like Redis
// with appendfsync no"); only a compaction (on every load) writes a temp file, fsyncs it, renames
// it and fsyncs the directory. On load, more than `corruptAlertThreshold` (10%) unreadable lines
// refuse the whole file, and below it unreadable lines are dropped without a word.
//
// What we add:
// - Durable writes: each append is followed by an fsync of the file before the operation
//   resolves. nedb runs one operation at a time per datastore (its executor), so a write that
//   resolved is on disk, in order, before anything the caller does next (the follow-up sender's
//   'data-end' phase before the last bytes of DATA; a folder's lastUid after its batch). fsync
//   flushes the file, whichever descriptor wrote it (POSIX fsync(2); Windows FlushFileBuffers on
//   a writable handle). macOS's fsync does not flush the drive's own cache (F_FULLFSYNC, which
//   Node does not offer): there a power cut can still lose the last writes.
// - Repair on load, before nedb reads the file: a torn last line (a write cut short by a crash or
//   power cut; its operation never resolved, so nothing acted on it) is cut off; lines damaged in
//   the middle are left for nedb to drop. Either way the file as found is kept aside first and
//   the problem reported, and the store opens: with a copy kept, refusing to start protects
//   nothing, and nedb's 10% rule made one torn line in a 5-line file stop the app.
import { copyFile, open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import Datastore from 'nedb-promises';

interface Persistence {
  persistNewStateAsync(docs: unknown[]): Promise<void>;
}

/** fsync(2) a file through a descriptor of our own. */
export async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

function readable(line: string): boolean {
  try {
    const doc = JSON.parse(line) as unknown;
    return typeof doc === 'object' && doc !== null;
  } catch {
    return false;
  }
}

/**
 * Check a datastore file before nedb loads it: cut off a torn last line, count damaged lines,
 * keep the file as found aside when either is there. Returns what to tell the user (nothing when
 * the file is intact or missing).
 */
export async function repairDatafile(file: string): Promise<string[]> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []; // new, or nedb's `file~` will do
    throw e;
  }
  const text = data.toString('utf8');
  // Byte offsets of every line (a power cut can also leave NUL bytes: they make an unreadable line).
  const lines: { start: number; text: string }[] = [];
  let at = 0;
  for (const part of text.split('\n')) {
    if (part.trim() !== '') lines.push({ start: at, text: part });
    at += Buffer.byteLength(part) + 1;
  }
  const last = lines.at(-1);
  const torn = last && !readable(last.text) ? last : null;
  const damaged = lines.filter((l) => l !== torn && !readable(l.text)).length;
  if (!torn && !damaged) return [];

  const name = basename(file);
  const copy = `${file}.${damaged ? 'damaged' : 'torn'}-${stamp()}`;
  await copyFile(file, copy);
  await fsyncFile(copy);
  const problems: string[] = [];
  if (torn) {
    const fh = await open(file, 'r+');
    try {
      await fh.truncate(torn.start);
      await fh.sync();
    } finally {
      await fh.close();
    }
    problems.push(
      `${name}: its last line was cut short (the app or the machine stopped while writing it); that unfinished change was dropped and the rest is intact. The file as it was is kept as ${basename(copy)}.`,
    );
  }
  if (damaged) {
    problems.push(
      `${name}: ${damaged} of ${lines.length} lines could not be read and were left out (the disk or another program changed the file). The file as it was is kept as ${basename(copy)}.`,
    );
  }
  return problems;
}

/** From now on, every append of `ds` is fsynced before its operation resolves. */
export function makeDurable(ds: Datastore<unknown>, file: string): void {
  // nedb-promises forwards unknown properties to the @seald-io/nedb datastore.
  const persistence = (ds as unknown as { persistence?: Persistence }).persistence;
  if (!persistence || typeof persistence.persistNewStateAsync !== 'function') {
    throw new Error('nedb changed: Persistence#persistNewStateAsync is gone, so store writes cannot be made durable (see main/core/store/small-store.ts)');
  }
  const append = persistence.persistNewStateAsync.bind(persistence);
  persistence.persistNewStateAsync = async (docs: unknown[]) => {
    await append(docs);
    if (docs.length) await fsyncFile(file);
  };
}

/** Open one small store: repaired, loaded (which compacts it) and durable. */
export async function openSmallStore<T>(file: string, report: (problem: string) => void): Promise<Datastore<T>> {
  for (const p of await repairDatafile(file)) report(p);
  // Damage is handled (and reported) above; nedb must not refuse what is left.
  const ds = Datastore.create({ filename: file, autoload: false, corruptAlertThreshold: 1 }) as Datastore<T>;
  makeDurable(ds as Datastore<unknown>, file);
  await ds.load();
  return ds;
}
