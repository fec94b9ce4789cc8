// The message store of one account: an append-only JSON-lines log replayed into a Map.
//
// Why not nedb for messages (it keeps the other, small stores): measured on this machine with
// 100k records of ~830 bytes, nedb-promises took 6.5 s to load (a JSON reviver per line, an AVL
// index, and a full rewrite of the file on every load) and 880 MB RSS; this log loads the same
// data in ~1 s. The format keeps nedb's good ideas: one document per line, an update appends
// the whole document, the last line wins, and compaction rewrites the file crash-safely
// (temp file, fsync, rename, fsync of the directory).
//
// Loading reads the file as a stream of 1 MB chunks, line by line: never one string of the whole
// file (V8 caps a string at ~512 MB, an account of roughly 430k-650k messages, and the string and
// its parse garbage were most of the peak memory of a command at 100k). Repeated parts of the
// records (addresses, folders, flags, Message-IDs) are shared as they are read (intern.ts).
//
// Crash safety: a kill -9 can leave at most a partial last line, which load skips and the next
// compaction drops. Appends happen in one write per batch, in order, so the log is always a
// prefix of what the process meant to write. Each append is fsynced before it resolves (a power
// cut loses at most the batch being written, whose caller never heard it was stored).
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MessageRecord } from '../model.js';
import { InternPool } from './intern.js';

/** Bytes read per step while loading. */
const READ_CHUNK = 1 << 20;

interface Tombstone {
  _id: string;
  $deleted: true;
}

/** How many records a log holds, and how many copies each folder: what `status` shows. */
export interface LogCounts {
  records: number;
  folders: Record<string, number>;
}

export interface LogStats {
  records: number;
  lines: number;
  corruptLines: number;
  bytes: number;
}

/**
 * A record an older version merged by Message-ID alone (no digest), or with a location still to
 * be checked against the server (imap/copy-batch.ts): sync reads its copies again.
 */
function unchecked(r: MessageRecord): boolean {
  if (r.digest === undefined) return true;
  for (const l of r.locations ?? []) if (l.unverified) return true;
  return false;
}

export class MessageLog {
  private readonly records = new Map<string, MessageRecord>();
  /** How many records are unchecked(): kept up to date so a sync need not look when none is. */
  private uncheckedCount = 0;
  private lines = 0;
  private corruptLines = 0;
  private bytes = 0;
  private endsWithNewline = true;
  private changes = 0;
  /** Copies per folder (locations), kept with every set and drop. */
  private readonly perFolder = new Map<string, number>();
  /** Shared parts of the records held (intern.ts), for records loaded and records put alike. */
  private readonly pool = new InternPool();

  private constructor(readonly file: string) {}

  /** Grows with every put or remove: what an analysis cache keys on (a compaction keeps it). */
  get version(): number {
    return this.changes;
  }

  static async open(file: string): Promise<MessageLog> {
    const log = new MessageLog(file);
    await mkdir(dirname(file), { recursive: true });
    let fh: FileHandle;
    try {
      fh = await open(file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return log;
      throw e;
    }
    try {
      await log.replay(fh);
    } finally {
      await fh.close();
    }
    if ((await MessageLog.summary(file)) === null) await log.writeSummary();
    return log;
  }

  /**
   * The counts of a log without loading it, from the summary written beside it after every write
   * (`<log>.summary.json`); null when there is none or it is not of the log as it is now (its
   * size differs: a write after it, a crash before it was written), and the log must be loaded.
   */
  static async summary(file: string): Promise<LogCounts | null> {
    try {
      const [text, info] = await Promise.all([readFile(`${file}.summary.json`, 'utf8'), stat(file)]);
      const s = JSON.parse(text) as { bytes?: unknown; records?: unknown; folders?: unknown };
      if (s.bytes !== info.size || typeof s.records !== 'number' || !s.folders || typeof s.folders !== 'object') return null;
      return { records: s.records, folders: s.folders as Record<string, number> };
    } catch {
      return null;
    }
  }

  /** What summary() reads. A cache: not fsynced (a torn one is refused by its size check). */
  private async writeSummary(): Promise<void> {
    await writeFile(`${this.file}.summary.json`, JSON.stringify({ bytes: this.bytes, ...this.counts() })).catch(() => undefined);
  }

  counts(): LogCounts {
    return { records: this.records.size, folders: Object.fromEntries([...this.perFolder].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }

  private countLocations(r: MessageRecord, by: number): void {
    if (!Array.isArray(r.locations)) return;
    for (const l of r.locations) {
      if (!l || typeof l.folder !== 'string') continue;
      this.perFolder.set(l.folder, (this.perFolder.get(l.folder) ?? 0) + by);
    }
  }

  /** Read the file line by line ('\n' is never part of a UTF-8 sequence, so bytes split safely). */
  private async replay(fh: FileHandle): Promise<void> {
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    let carry: Buffer | null = null; // the start of a line that goes on in the next chunk
    let last = 0x0a;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (!bytesRead) break;
      this.bytes += bytesRead;
      last = chunk[bytesRead - 1];
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0 || nl >= bytesRead) break;
        if (carry) {
          this.replayLine(Buffer.concat([carry, chunk.subarray(start, nl)]).toString('utf8'));
          carry = null;
        } else this.replayLine(chunk.toString('utf8', start, nl));
        start = nl + 1;
      }
      // The chunk is read into again: keep a copy of the unfinished line.
      if (start < bytesRead) carry = carry ? Buffer.concat([carry, chunk.subarray(start, bytesRead)]) : Buffer.from(chunk.subarray(start, bytesRead));
    }
    // A last line without newline: a write cut short.
    if (carry) this.replayLine(carry.toString('utf8'));
    this.endsWithNewline = this.bytes === 0 || last === 0x0a;
  }

  private replayLine(line: string): void {
    if (!line) return;
    this.lines++;
    let doc: MessageRecord | Tombstone;
    try {
      doc = JSON.parse(line);
    } catch {
      this.corruptLines++;
      return;
    }
    if (!doc || typeof doc._id !== 'string') {
      this.corruptLines++;
      return;
    }
    if ((doc as Tombstone).$deleted) this.drop(doc._id);
    else this.set(this.pool.record(doc as MessageRecord));
  }

  /** Insert or replace; a replaced record keeps its place in the order (Map semantics). */
  private set(r: MessageRecord): void {
    const old = this.records.get(r._id);
    if (old) {
      if (unchecked(old)) this.uncheckedCount--;
      this.countLocations(old, -1);
    }
    this.records.set(r._id, r);
    if (unchecked(r)) this.uncheckedCount++;
    this.countLocations(r, 1);
  }

  private drop(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    if (unchecked(old)) this.uncheckedCount--;
    this.countLocations(old, -1);
    this.records.delete(id);
  }

  /** Records whose copies a sync must read again (written by an older version, see unchecked()). */
  get uncheckedRecords(): number {
    return this.uncheckedCount;
  }

  get size(): number {
    return this.records.size;
  }

  get(id: string): MessageRecord | undefined {
    return this.records.get(id);
  }

  values(): IterableIterator<MessageRecord> {
    return this.records.values();
  }

  /** Records are shared, not copied: callers must treat them as read-only. */
  all(): MessageRecord[] {
    return [...this.records.values()];
  }

  stats(): LogStats {
    return { records: this.records.size, lines: this.lines, corruptLines: this.corruptLines, bytes: this.bytes };
  }

  /** Insert or replace records; one append for the whole batch. */
  async put(records: MessageRecord[]): Promise<void> {
    if (!records.length) return;
    let text = '';
    for (const r of records) text += JSON.stringify(r) + '\n';
    await this.append(text, records.length);
    // Held with their repeated parts shared (a first sync puts every record of the account).
    for (const r of records) this.set(this.pool.record(r));
    this.changes++;
    await this.writeSummary();
  }

  async remove(ids: string[]): Promise<void> {
    const present = ids.filter((id) => this.records.has(id));
    if (!present.length) return;
    let text = '';
    for (const id of present) text += JSON.stringify({ _id: id, $deleted: true }) + '\n';
    await this.append(text, present.length);
    for (const id of present) this.drop(id);
    this.changes++;
    await this.writeSummary();
  }

  private async append(text: string, lines: number): Promise<void> {
    // A partial line left by a crash must not swallow the first record appended after it.
    if (this.bytes > 0 && !this.endsWithNewline) {
      text = '\n' + text;
    }
    // One write, then fsync before resolving: sync stores a folder's lastUid (fsynced in
    // folders.db) only after its batch is here, so the batch must not be left in the page cache.
    const fh = await open(this.file, 'a');
    try {
      await fh.appendFile(text, 'utf8'); // loops until all is written, unlike one write()
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.endsWithNewline = true;
    this.bytes += Buffer.byteLength(text);
    this.lines += lines;
  }

  /** Worth compacting when at least a third of the lines are superseded. */
  needsCompaction(): boolean {
    return this.lines > 1000 && this.lines > this.records.size * 1.5;
  }

  /** Rewrite the file with one line per live record, crash-safely. */
  async compact(): Promise<void> {
    const tmp = `${this.file}.compacting`;
    await rm(tmp, { force: true });
    const fh = await open(tmp, 'w');
    let bytes = 0;
    try {
      // Written in chunks so compaction never builds the whole file as one string.
      let chunk = '';
      for (const r of this.records.values()) {
        chunk += JSON.stringify(r) + '\n';
        if (chunk.length > 1 << 20) {
          await fh.write(chunk);
          bytes += Buffer.byteLength(chunk);
          chunk = '';
        }
      }
      if (chunk) {
        await fh.write(chunk);
        bytes += Buffer.byteLength(chunk);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
    fsyncDir(dirname(this.file));
    this.lines = this.records.size;
    this.corruptLines = 0;
    this.bytes = bytes;
    this.endsWithNewline = true;
    await this.writeSummary();
  }
}

/** After a rename, fsync the directory so the new name survives a power cut (POSIX). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on every platform (Windows): the rename is still atomic there.
  }
}
