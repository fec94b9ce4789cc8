// The index beside a message log (`<log>.index`): what sync needs without the records. For every
// live record the byte offset and length of its latest line (MessageLog.get reads that one line),
// per folder uid → record id, the records a rule marks (the body pass's candidates, see TextRule),
// the records still unchecked, the counts per folder and the log's line counts.
//
// A cache, like the summary: it names the log it was made from (its size and a hash of its first
// and last bytes), and one that does not match, is torn or is unreadable is ignored: the log is
// then loaded whole and the index made again. Written with a temp file and a rename, not fsynced
// (a power cut leaves an old or torn index, which its check refuses).
//
// One JSON document of flat arrays, the ids sorted (index-tables.ts searches them where they lie:
// opening builds no Map of every record).
import { createHash } from 'node:crypto';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { FolderTable, SpanTable, type FlatFolder } from './index-tables.js';

const FORMAT = 5;
/** Bytes hashed at each end of the log: a log rewritten to the same size is still told apart. */
const EDGE_BYTES = 4096;

/** What identifies the log an index was made from. */
export interface LogIdentity {
  bytes: number;
  edges: string;
}

/** The index as MessageLog holds it. */
export interface IndexState {
  lines: number;
  corruptLines: number;
  endsWithNewline: boolean;
  /** id → [offset, length] of its latest line (length without the newline). */
  spans: SpanTable;
  /** folder → uid → record id. */
  byFolder: FolderTable;
  /** Copies per folder (every location, as counts() reports them). */
  perFolder: Map<string, number>;
  unchecked: Set<string>;
  /** The ids the rule `markTag` marks; null when not known (no rule, or another one). */
  marked: Set<string> | null;
  markTag: string | null;
}

const indexFile = (log: string) => `${log}.index`;

/** Size and a hash of the first and last EDGE_BYTES of the log: a few microseconds to read. */
export async function logIdentity(file: string): Promise<LogIdentity | null> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await fh.stat();
    const hash = createHash('sha1');
    const buf = Buffer.alloc(Math.min(size, EDGE_BYTES));
    await fh.read(buf, 0, buf.length, 0);
    hash.update(buf);
    if (size > EDGE_BYTES) {
      const tail = Buffer.alloc(Math.min(size - EDGE_BYTES, EDGE_BYTES));
      await fh.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
    return { bytes: size, edges: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

/**
 * The first line of the file: which log it is of, and its line counts. A command that loads every
 * record reads only this (readIndexHeader) and the rest when it first writes (MessageLog).
 */
export interface IndexHeader {
  format: number;
  log: LogIdentity;
  lines: number;
  corruptLines: number;
  endsWithNewline: boolean;
}

/** The second line. */
interface IndexDoc {
  /** Sorted ascending (SpanTable searches them). */
  ids: string[];
  /** offset, length per id, flat. */
  spans: number[];
  folders: Record<string, FlatFolder>;
  perFolder: Record<string, number>;
  unchecked: string[];
  marked: string[] | null;
  markTag: string | null;
}

/** Write the index of a log as it is now (`log` is its identity after the last write). */
export async function writeIndex(file: string, log: LogIdentity, s: IndexState): Promise<void> {
  const { ids, spans } = s.spans.sorted();
  const header: IndexHeader = { format: FORMAT, log, lines: s.lines, corruptLines: s.corruptLines, endsWithNewline: s.endsWithNewline };
  const doc: IndexDoc = {
    ids,
    spans,
    folders: s.byFolder.toFlat(),
    perFolder: Object.fromEntries(s.perFolder),
    unchecked: [...s.unchecked],
    marked: s.marked ? [...s.marked] : null,
    markTag: s.marked ? s.markTag : null,
  };
  const tmp = `${indexFile(file)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(header)}\n${JSON.stringify(doc)}`);
  await rename(tmp, indexFile(file));
}

const headerFits = (h: IndexHeader | null, log: LogIdentity): h is IndexHeader =>
  !!h && h.format === FORMAT && h.log?.bytes === log.bytes && h.log.edges === log.edges && Number.isInteger(h.lines) && Number.isInteger(h.corruptLines);

/** The header of the index when it is of the log as it is now, else null; reads only its start. */
export async function readIndexHeader(file: string, log: LogIdentity): Promise<IndexHeader | null> {
  let fh;
  try {
    fh = await open(indexFile(file), 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (nl < 0) return null;
    const h = JSON.parse(buf.toString('utf8', 0, nl)) as IndexHeader;
    return headerFits(h, log) ? h : null;
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

/** The index of the log as it is now, or null (none, torn, of another log or format). */
export async function readIndex(file: string, log: LogIdentity): Promise<IndexState | null> {
  let header: IndexHeader;
  let doc: IndexDoc;
  try {
    const text = await readFile(indexFile(file), 'utf8');
    const nl = text.indexOf('\n');
    if (nl < 0) return null;
    header = JSON.parse(text.slice(0, nl)) as IndexHeader;
    if (!headerFits(header, log)) return null;
    doc = JSON.parse(text.slice(nl + 1)) as IndexDoc;
  } catch {
    return null;
  }
  try {
    if (!doc) return null;
    const { ids, spans } = doc;
    if (!Array.isArray(ids) || !Array.isArray(spans) || spans.length !== ids.length * 2) return null;
    // Sorted, no repeats, every span inside the log: a binary search over them is then sound.
    for (let i = 0; i < ids.length; i++) {
      if (typeof ids[i] !== 'string' || (i > 0 && !(ids[i - 1] < ids[i]))) return null;
      const at = spans[2 * i];
      const len = spans[2 * i + 1];
      if (!(at >= 0 && len >= 0 && at + len <= log.bytes)) return null;
    }
    const folders = new Map<string, FlatFolder>();
    for (const [folder, f] of Object.entries(doc.folders)) {
      if (!Array.isArray(f?.uids) || !Array.isArray(f.ids) || f.uids.length !== f.ids.length) return null;
      folders.set(folder, { uids: f.uids, ids: f.ids });
    }
    const perFolder = new Map<string, number>();
    for (const [folder, n] of Object.entries(doc.perFolder)) if (typeof n === 'number') perFolder.set(folder, n);
    if (!Array.isArray(doc.unchecked)) return null;
    const table = SpanTable.fromSorted(ids, spans);
    return {
      lines: header.lines,
      corruptLines: header.corruptLines,
      endsWithNewline: header.endsWithNewline !== false,
      spans: table,
      byFolder: FolderTable.fromFlat(folders),
      perFolder,
      unchecked: new Set(doc.unchecked),
      marked: Array.isArray(doc.marked) ? new Set(doc.marked) : null,
      markTag: typeof doc.markTag === 'string' ? doc.markTag : null,
    };
  } catch {
    return null; // a hand-edited or torn document: made again from the log
  }
}
