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
//
// Two ways to open it. `open` loads every record (the analyses, rescue, the conversation view).
// `openIndexed` reads only the index beside the log (log-index.ts): `get` then reads the one line
// of that record (a pread) and puts keep no record in memory, so a sync that changes a little
// reads a little, and a first sync does not hold the whole account. `loadAll` turns the one into
// the other. Both keep the index up to date on every write; it is saved by `saveIndex` (sync
// calls it when done, Store.close and compaction too), and one found stale is made again.
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MessageRecord } from '../model.js';
import { InternPool } from './intern.js';
import { logIdentity, readIndex, readIndexHeader, writeIndex, type IndexState } from './log-index.js';
import { FolderTable, SpanTable } from './index-tables.js';

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

/**
 * What the body pass asks for (imap/bodies.ts gives it): the log keeps the ids of the records
 * `wants` marks, so a sync finds them without reading every record. `tag` names the rule's
 * version; an index made under another tag has its marks made again.
 */
export interface TextRule {
  tag: string;
  wants(record: MessageRecord): boolean;
}

export class MessageLog {
  /** Every record when `complete`; else only the ones read by get() since the last write. */
  private readonly records = new Map<string, MessageRecord>();
  private complete = false;
  private lines = 0;
  private corruptLines = 0;
  private bytes = 0;
  private endsWithNewline = true;
  private changes = 0;
  /** Lines parsed (replays and get): how much of the log a command read. */
  private parsed = 0;
  /** The index (log-index.ts), kept with every set and drop. */
  private spans = new SpanTable();
  private byFolder = new FolderTable();
  /** Copies per folder (locations), kept with every set and drop. */
  private readonly perFolder = new Map<string, number>();
  /** Records that are unchecked(): a sync need not look when there is none. */
  private readonly unchecked = new Set<string>();
  private marked: Set<string> | null = null;
  private rule: TextRule | null;
  /** The index on disk is not of the log as it is now. */
  private indexDirty = false;
  /**
   * Opened to load every record (open): the index file is of this log (its header said so) but
   * not read yet. It is read before the first write (loadPendingIndex); until then size, counts
   * and the rest come from the records.
   */
  private indexPending = false;
  /** Writes, loads and index saves one at a time (a load must not race an append). */
  private tail: Promise<unknown> = Promise.resolve();
  /** Shared parts of the records held (intern.ts), for records loaded and records put alike. */
  private readonly pool = new InternPool();

  private constructor(
    readonly file: string,
    rule: TextRule | null,
  ) {
    this.rule = rule;
  }

  /** Grows with every put or remove: what an analysis cache keys on (a compaction keeps it). */
  get version(): number {
    return this.changes;
  }

  /**
   * Open and load every record. The index is not read (a command that only reads, such as an
   * analysis, does not hold it: measured ~20 MB at 100k), only its header is checked; a write
   * reads it first.
   */
  static async open(file: string, rule: TextRule | null = null): Promise<MessageLog> {
    const identity = await logIdentity(file);
    const header = identity ? await readIndexHeader(file, identity) : null;
    if (!identity || !header) {
      const log = await MessageLog.openIndexed(file, rule);
      await log.loadAll();
      return log;
    }
    const log = new MessageLog(file, rule);
    log.bytes = identity.bytes;
    log.lines = header.lines;
    log.corruptLines = header.corruptLines;
    log.endsWithNewline = header.endsWithNewline;
    log.indexPending = true;
    await log.loadAll();
    if ((await MessageLog.summary(file)) === null) await log.writeSummary();
    return log;
  }

  /** Read the index now if it was left for later (open): sync needs it. */
  ensureIndex(): Promise<void> {
    return this.indexPending ? this.serial(() => this.loadPendingIndex()) : Promise.resolve();
  }

  /** Inside serial(): before a write, or what needs the index. */
  private async loadPendingIndex(): Promise<void> {
    if (!this.indexPending) return;
    this.indexPending = false;
    const identity = await logIdentity(this.file);
    const state = identity && identity.bytes === this.bytes ? await readIndex(this.file, identity) : null;
    if (state) {
      this.adopt(state, this.bytes);
      if (!this.marked && this.rule) this.remark();
      return;
    }
    // Gone or damaged since it was opened: made again from the file, as for a log without one.
    const fh = await open(this.file, 'r');
    try {
      this.records.clear();
      this.perFolder.clear();
      this.unchecked.clear();
      this.spans = new SpanTable();
      this.byFolder = new FolderTable();
      await this.replay(fh, true);
    } finally {
      await fh.close();
    }
    this.indexDirty = true;
  }

  /**
   * Open from the index alone; a log without a valid index (none, stale, torn: an older version
   * wrote it, or a crash came between a write and the index) is loaded whole and indexed again.
   */
  static async openIndexed(file: string, rule: TextRule | null = null): Promise<MessageLog> {
    const log = new MessageLog(file, rule);
    await mkdir(dirname(file), { recursive: true });
    const identity = await logIdentity(file);
    if (!identity) {
      log.marked = new Set();
      return log;
    }
    const state = await readIndex(file, identity);
    if (state) {
      log.adopt(state, identity.bytes);
      if (log.marked === null && log.spans.size === 0) log.marked = new Set();
    } else {
      // Made from one whole load, whose records are then kept (complete: set() keeps them).
      log.complete = true;
      const fh = await open(file, 'r');
      try {
        await log.replay(fh, true);
      } finally {
        await fh.close();
      }
      log.indexDirty = true;
      await log.saveIndex();
    }
    if ((await MessageLog.summary(file)) === null) await log.writeSummary();
    return log;
  }

  private adopt(s: IndexState, bytes: number): void {
    this.bytes = bytes;
    this.lines = s.lines;
    this.corruptLines = s.corruptLines;
    this.endsWithNewline = s.endsWithNewline;
    this.spans = s.spans;
    this.byFolder = s.byFolder;
    for (const [folder, n] of s.perFolder) this.perFolder.set(folder, n);
    for (const id of s.unchecked) this.unchecked.add(id);
    this.marked = s.marked && this.rule && s.markTag === this.rule.tag ? s.marked : null;
  }

  /** Load every record (once): values() and all() need it. */
  loadAll(): Promise<void> {
    if (this.complete) return Promise.resolve();
    return this.serial(async () => {
      if (this.complete) return;
      let fh: FileHandle;
      try {
        fh = await open(this.file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        this.complete = true;
        return;
      }
      try {
        // The index is of this very file (checked when opened, kept since): only the records,
        // in the file's order (the records read by get() are dropped first, so the order is a
        // fresh load's).
        this.records.clear();
        await this.replay(fh, false);
      } finally {
        await fh.close();
      }
      this.complete = true;
    });
  }

  /** Whether every record is in memory. */
  get loaded(): boolean {
    return this.complete;
  }

  /** Give the rule whose marks the log keeps; marks made under another rule are dropped. */
  setTextRule(rule: TextRule): void {
    if (this.rule?.tag === rule.tag) return;
    this.rule = rule;
    this.marked = null;
    if (this.complete) this.remark();
  }

  /** The ids the text rule marks (loading every record once when they are not known). */
  async markedIds(): Promise<string[]> {
    if (!this.rule) throw new Error('MessageLog.markedIds: no text rule given');
    await this.ensureIndex();
    if (!this.marked) {
      await this.loadAll();
      if (!this.marked) this.remark();
    }
    return [...this.marked!];
  }

  private remark(): void {
    const marked = new Set<string>();
    if (this.rule) for (const r of this.records.values()) if (this.rule.wants(r)) marked.add(r._id);
    this.marked = marked;
    this.indexDirty = true;
  }

  /** uid → record id of one folder: a copy the caller may change. */
  folderIndex(path: string): Map<number, string> {
    if (this.indexPending) {
      // Not asked for before ensureIndex() (Store.messageLog calls it); from the records, as a
      // last resort.
      const index = new Map<number, string>();
      for (const r of this.records.values()) for (const l of r.locations) if (l.folder === path) index.set(l.uid, r._id);
      return index;
    }
    return new Map(this.byFolder.uids(path));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
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

  /** Write the index when it is behind the log. A cache: a failure is only a slower next start. */
  saveIndex(): Promise<void> {
    if (!this.indexDirty) return Promise.resolve();
    return this.serial(async () => {
      await this.loadPendingIndex();
      if (!this.indexDirty) return;
      const identity = await logIdentity(this.file);
      if (!identity || identity.bytes !== this.bytes) return; // nothing written yet, or not ours
      this.indexDirty = false;
      await writeIndex(this.file, identity, {
        lines: this.lines,
        corruptLines: this.corruptLines,
        endsWithNewline: this.endsWithNewline,
        spans: this.spans,
        byFolder: this.byFolder,
        perFolder: this.perFolder,
        unchecked: this.unchecked,
        marked: this.marked,
        markTag: this.rule?.tag ?? null,
      }).catch(() => {
        this.indexDirty = true;
      });
    });
  }

  counts(): LogCounts {
    let perFolder = this.perFolder;
    if (this.indexPending) {
      perFolder = new Map();
      for (const r of this.records.values()) {
        if (!Array.isArray(r.locations)) continue;
        for (const l of r.locations) if (l && typeof l.folder === 'string') perFolder.set(l.folder, (perFolder.get(l.folder) ?? 0) + 1);
      }
    }
    return { records: this.size, folders: Object.fromEntries([...perFolder].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }

  /**
   * Read the file line by line ('\n' is never part of a UTF-8 sequence, so bytes split safely).
   * `indexing`: the index is made from it too; else only the records are filled in.
   */
  private async replay(fh: FileHandle, indexing: boolean): Promise<void> {
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    let carry: Buffer | null = null; // the start of a line that goes on in the next chunk
    let carryAt = 0;
    let last = 0x0a;
    let pos = 0;
    if (indexing) {
      this.lines = 0;
      this.corruptLines = 0;
      this.marked = this.rule ? new Set() : null;
    }
    const line = (text: string, at: number, len: number) => (indexing ? this.indexLine(text, at, len) : this.recordLine(text));
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (!bytesRead) break;
      last = chunk[bytesRead - 1];
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0 || nl >= bytesRead) break;
        if (carry) {
          const whole = Buffer.concat([carry, chunk.subarray(start, nl)]);
          line(whole.toString('utf8'), carryAt, whole.length);
          carry = null;
        } else line(chunk.toString('utf8', start, nl), pos + start, nl - start);
        start = nl + 1;
      }
      // The chunk is read into again: keep a copy of the unfinished line.
      if (start < bytesRead) {
        if (!carry) carryAt = pos + start;
        carry = carry ? Buffer.concat([carry, chunk.subarray(start, bytesRead)]) : Buffer.from(chunk.subarray(start, bytesRead));
      }
      pos += bytesRead;
    }
    // A last line without newline: a write cut short.
    if (carry) line(carry.toString('utf8'), carryAt, carry.length);
    if (indexing) {
      this.bytes = pos;
      this.endsWithNewline = pos === 0 || last === 0x0a;
    }
  }

  private parse(line: string): MessageRecord | Tombstone | null {
    if (!line) return null;
    this.parsed++;
    try {
      const doc = JSON.parse(line);
      return doc && typeof doc._id === 'string' ? doc : null;
    } catch {
      return null;
    }
  }

  private indexLine(line: string, at: number, len: number): void {
    if (!line) return;
    this.lines++;
    const doc = this.parse(line);
    if (!doc) {
      this.corruptLines++;
      return;
    }
    if ((doc as Tombstone).$deleted) this.drop(doc._id);
    else this.set(this.pool.record(doc as MessageRecord), at, len);
  }

  /** A line of a log whose index is known: the records only (the last line of an id wins). */
  private recordLine(line: string): void {
    const doc = this.parse(line);
    if (!doc) return;
    if ((doc as Tombstone).$deleted) this.records.delete(doc._id);
    else {
      // One string for the id in the record and in the index (100k ids: ~3 MB).
      doc._id = this.spans.shared(doc._id);
      this.records.set(doc._id, this.pool.record(doc as MessageRecord));
    }
  }

  /** The record as stored now, from memory or by reading its line. */
  private current(id: string): MessageRecord | undefined {
    const held = this.records.get(id);
    if (held || this.complete) return held;
    const span = this.spans.get(id);
    if (!span) return undefined;
    const buf = Buffer.allocUnsafe(span[1]);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buf, 0, span[1], span[0]);
    } finally {
      closeSync(fd);
    }
    const doc = this.parse(buf.toString('utf8'));
    if (!doc || doc._id !== id || (doc as Tombstone).$deleted) {
      // The index passed its check but does not match this line: never guess. It is deleted so
      // the next start loads the log whole.
      this.indexDirty = false;
      rm(`${this.file}.index`, { force: true }).catch(() => undefined);
      throw new Error(`The message index of ${this.file} does not match the log; it is rebuilt on the next start.`);
    }
    const r = this.pool.record(doc as MessageRecord);
    this.records.set(id, r);
    return r;
  }

  /** Insert or replace (at: the line's offset, len its length); a replaced record keeps its place. */
  private set(r: MessageRecord, at: number, len: number): void {
    const old = this.spans.has(r._id) ? this.current(r._id) : undefined;
    if (old) this.unindex(old);
    this.spans.set(r._id, at, len);
    if (unchecked(r)) this.unchecked.add(r._id);
    if (this.marked && this.rule?.wants(r)) this.marked.add(r._id);
    this.countLocations(r, 1);
    // Without every record in memory, a record put is not kept: a first sync holds none.
    if (this.complete) this.records.set(r._id, r);
    else this.records.delete(r._id);
  }

  private drop(id: string): void {
    const old = this.current(id);
    if (!old) return;
    this.unindex(old);
    this.spans.delete(id);
    this.records.delete(id);
  }

  private unindex(old: MessageRecord): void {
    this.unchecked.delete(old._id);
    this.marked?.delete(old._id);
    this.countLocations(old, -1);
  }

  private countLocations(r: MessageRecord, by: number): void {
    if (!Array.isArray(r.locations)) return;
    for (const l of r.locations) {
      if (!l || typeof l.folder !== 'string') continue;
      this.perFolder.set(l.folder, (this.perFolder.get(l.folder) ?? 0) + by);
      const uids = this.byFolder.uids(l.folder);
      if (by > 0) uids.set(l.uid, r._id);
      else if (uids.get(l.uid) === r._id) uids.delete(l.uid);
    }
  }

  /** Records whose copies a sync must read again (written by an older version, see unchecked()). */
  get uncheckedRecords(): number {
    if (this.indexPending) {
      let n = 0;
      for (const r of this.records.values()) if (unchecked(r)) n++;
      return n;
    }
    return this.unchecked.size;
  }

  get size(): number {
    return this.indexPending ? this.records.size : this.spans.size;
  }

  /** A record; without every record loaded, its line is read (and kept until it is written). */
  get(id: string): MessageRecord | undefined {
    return this.current(id);
  }

  has(id: string): boolean {
    return this.indexPending ? this.records.has(id) : this.spans.has(id);
  }

  /** The ids of every live record, from the index (no record read). */
  ids(): IterableIterator<string> {
    return this.indexPending ? this.records.keys() : this.spans.keys();
  }

  values(): IterableIterator<MessageRecord> {
    this.mustBeLoaded();
    return this.records.values();
  }

  /** Records are shared, not copied: callers must treat them as read-only. */
  all(): MessageRecord[] {
    this.mustBeLoaded();
    return [...this.records.values()];
  }

  private mustBeLoaded(): void {
    if (!this.complete) throw new Error('MessageLog: every record is asked for, but the log was opened from its index (call loadAll first)');
  }

  /** Records held in memory: all of them once loaded, else only those read since their last write. */
  get recordsHeld(): number {
    return this.records.size;
  }

  /** Lines parsed since it was opened (replays and reads of one record): what a command read. */
  get linesParsed(): number {
    return this.parsed;
  }

  stats(): LogStats {
    return { records: this.size, lines: this.lines, corruptLines: this.corruptLines, bytes: this.bytes };
  }

  /** Insert or replace records; one append for the whole batch. */
  put(records: MessageRecord[]): Promise<void> {
    if (!records.length) return Promise.resolve();
    return this.serial(async () => {
      await this.loadPendingIndex();
      const spans = await this.append(records.map((r) => JSON.stringify(r)));
      // Held with their repeated parts shared when every record is held; else not held at all
      // (nor pooled: a first sync puts every record of the account).
      for (let i = 0; i < records.length; i++) this.set(this.complete ? this.pool.record(records[i]) : records[i], spans[i][0], spans[i][1]);
      this.changes++;
      this.indexDirty = true;
      await this.writeSummary();
    });
  }

  remove(ids: string[]): Promise<void> {
    return this.serial(async () => {
      await this.loadPendingIndex();
      const present = ids.filter((id) => this.spans.has(id));
      if (!present.length) return;
      await this.append(present.map((id) => JSON.stringify({ _id: id, $deleted: true })));
      for (const id of present) this.drop(id);
      this.changes++;
      this.indexDirty = true;
      await this.writeSummary();
    });
  }

  /** Append lines; returns the offset and byte length of each (without its newline). */
  private async append(lines: string[]): Promise<[number, number][]> {
    let text = '';
    // A partial line left by a crash must not swallow the first record appended after it.
    if (this.bytes > 0 && !this.endsWithNewline) text = '\n';
    const spans: [number, number][] = [];
    let pos = this.bytes + text.length;
    for (const line of lines) {
      const len = Buffer.byteLength(line);
      spans.push([pos, len]);
      pos += len + 1;
      text += line + '\n';
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
    this.bytes = pos;
    this.lines += lines.length;
    return spans;
  }

  /** Worth compacting when at least a third of the lines are superseded. */
  needsCompaction(): boolean {
    return this.lines > 1000 && this.lines > this.size * 1.5;
  }

  /** Rewrite the file with one line per live record, crash-safely (every record is loaded). */
  async compact(): Promise<void> {
    await this.loadAll();
    await this.serial(async () => {
      await this.loadPendingIndex();
      const tmp = `${this.file}.compacting`;
      await rm(tmp, { force: true });
      const fh = await open(tmp, 'w');
      let bytes = 0;
      const spans: [string, number, number][] = [];
      try {
        // Written in chunks so compaction never builds the whole file as one string.
        let chunk = '';
        let chunkBytes = 0;
        for (const r of this.records.values()) {
          const line = JSON.stringify(r);
          const len = Buffer.byteLength(line);
          spans.push([r._id, bytes + chunkBytes, len]);
          chunk += line + '\n';
          chunkBytes += len + 1;
          if (chunk.length > 1 << 20) {
            await fh.write(chunk);
            bytes += chunkBytes;
            chunk = '';
            chunkBytes = 0;
          }
        }
        if (chunk) {
          await fh.write(chunk);
          bytes += chunkBytes;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
      fsyncDir(dirname(this.file));
      const table = new SpanTable();
      for (const [id, at, len] of spans) table.set(id, at, len);
      this.spans = table;
      this.lines = this.records.size;
      this.corruptLines = 0;
      this.bytes = bytes;
      this.endsWithNewline = true;
      this.indexDirty = true;
      await this.writeSummary();
    });
    await this.saveIndex();
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
