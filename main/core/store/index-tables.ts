// The two big tables of a log's index (log-index.ts), kept as they are read from the file until
// they are changed, so that opening a log costs one JSON.parse and no Map of every record.
// Measured at 100k records on the shared 2-core machine: building a Map of 100k id strings took
// 70-280 ms, more than the parse itself; a binary search over the sorted ids costs ~17 string
// compares per look-up, and a sync looks up only what it touches.

/** id → [offset, length] of its line: the sorted ids of the file, and what changed since. */
export class SpanTable {
  /** Sorted ascending, with `baseSpans` (offset, length per id) beside them. */
  private baseIds: string[] = [];
  private baseSpans: number[] = [];
  /** Changes since the file: a span, or null for a record removed. */
  private readonly overlay = new Map<string, [number, number] | null>();
  private live = 0;

  /** From the file: `ids` must be sorted ascending without repeats (checked by the caller). */
  static fromSorted(ids: string[], spans: number[]): SpanTable {
    const t = new SpanTable();
    t.baseIds = ids;
    t.baseSpans = spans;
    t.live = ids.length;
    return t;
  }

  get size(): number {
    return this.live;
  }

  private find(id: string): number {
    return search(this.baseIds, id);
  }

  /** The id of the file's table equal to `id` (one string for both), or `id` itself. */
  shared(id: string): string {
    const i = this.find(id);
    return i < 0 ? id : this.baseIds[i];
  }

  /** The id at a place of the file's table (what a folder of the file names by number). */
  baseId(n: number): string | undefined {
    return this.baseIds[n];
  }

  get(id: string): [number, number] | undefined {
    const o = this.overlay.get(id);
    if (o !== undefined) return o ?? undefined;
    const i = this.find(id);
    return i < 0 ? undefined : [this.baseSpans[2 * i], this.baseSpans[2 * i + 1]];
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  set(id: string, at: number, len: number): void {
    if (!this.has(id)) this.live++;
    this.overlay.set(id, [at, len]);
  }

  delete(id: string): void {
    if (!this.has(id)) return;
    this.live--;
    this.overlay.set(id, null);
  }

  *keys(): IterableIterator<string> {
    for (const id of this.baseIds) if (!this.overlay.has(id)) yield id;
    for (const [id, span] of this.overlay) if (span) yield id;
  }

  /** Every live id sorted, with its span (flat): what the file holds. Linear in the base. */
  sorted(): { ids: string[]; spans: number[] } {
    if (this.overlay.size === 0) return { ids: this.baseIds, spans: this.baseSpans };
    const added = [...this.overlay.keys()].filter((id) => this.overlay.get(id)).sort();
    const ids: string[] = [];
    const spans: number[] = [];
    const push = (id: string, span: [number, number]) => {
      ids.push(id);
      spans.push(span[0], span[1]);
    };
    let j = 0;
    for (let i = 0; i < this.baseIds.length; i++) {
      const id = this.baseIds[i];
      while (j < added.length && added[j] < id) push(added[j], this.overlay.get(added[j++])!);
      if (this.overlay.has(id)) continue; // changed (taken from `added`) or removed
      ids.push(id);
      spans.push(this.baseSpans[2 * i], this.baseSpans[2 * i + 1]);
    }
    while (j < added.length) push(added[j], this.overlay.get(added[j++])!);
    return { ids, spans };
  }
}

/** Where `id` is in sorted `ids`, or -1. */
export function search(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A folder's uids and their records as the file keeps them: two arrays of the same length, a
 * record by its place in the file's sorted ids (a number is smaller to keep and to parse).
 */
export interface FlatFolder {
  uids: number[];
  ids: number[];
}

/** folder → uid → record id; a folder is made a Map only when it is asked for or changed. */
export class FolderTable {
  private readonly flat = new Map<string, FlatFolder>();
  private readonly maps = new Map<string, Map<number, string>>();

  /** The file's ids, to which the flat folders' numbers point. */
  private idOf: (n: number) => string | undefined = () => undefined;

  static fromFlat(folders: Map<string, FlatFolder>, spans: SpanTable): FolderTable {
    const t = new FolderTable();
    for (const [folder, f] of folders) t.flat.set(folder, f);
    t.idOf = (n) => spans.baseId(n);
    return t;
  }

  /** The folder's table, to read or change (made on first use). */
  uids(folder: string): Map<number, string> {
    let m = this.maps.get(folder);
    if (m) return m;
    m = new Map();
    const f = this.flat.get(folder);
    if (f) {
      for (let i = 0; i < f.uids.length; i++) {
        const id = this.idOf(f.ids[i]);
        if (id !== undefined) m.set(f.uids[i], id);
      }
      this.flat.delete(folder);
    }
    this.maps.set(folder, m);
    return m;
  }

  /** Every folder as the file keeps it, its records numbered by their place in `ids` (sorted). */
  toFlat(ids: string[]): Record<string, FlatFolder> {
    const out: Record<string, FlatFolder> = {};
    const add = (folder: string, entries: Iterable<[number, string | undefined]>) => {
      const f: FlatFolder = { uids: [], ids: [] };
      for (const [uid, id] of entries) {
        const n = id === undefined ? -1 : search(ids, id);
        if (n < 0) continue;
        f.uids.push(uid);
        f.ids.push(n);
      }
      if (f.uids.length) out[folder] = f;
    };
    for (const [folder, f] of this.flat) add(folder, f.uids.map((uid, i) => [uid, this.idOf(f.ids[i])]));
    for (const [folder, m] of this.maps) add(folder, m);
    return out;
  }
}
