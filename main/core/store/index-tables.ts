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

  /** Where `id` is in the file's table, or -1. */
  private find(id: string): number {
    const i = lowerBound(this.baseIds, id, 0);
    return i < this.baseIds.length && this.baseIds[i] === id ? i : -1;
  }

  /** The id of the file's table equal to `id` (one string for both), or `id` itself. */
  shared(id: string): string {
    const i = this.find(id);
    return i < 0 ? id : this.baseIds[i];
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

  /**
   * Every live id sorted, with its span (flat): what the file holds. The changes are few after a
   * sync (hundreds against 100k): the file's table is copied in runs between them, with no look-up
   * per id (a Map look-up per id was 40-180 ms at 100k).
   */
  sorted(): { ids: string[]; spans: number[] } {
    if (this.overlay.size === 0) return { ids: this.baseIds, spans: this.baseSpans };
    const changes = [...this.overlay].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ids: string[] = [];
    const spans: number[] = [];
    const base = this.baseIds;
    const baseSpans = this.baseSpans;
    let from = 0; // the next place of the file's table not yet copied
    const copy = (to: number) => {
      for (let k = from; k < to; k++) {
        ids.push(base[k]);
        spans.push(baseSpans[2 * k], baseSpans[2 * k + 1]);
      }
    };
    for (const [id, span] of changes) {
      const at = lowerBound(base, id, from);
      copy(at);
      from = at < base.length && base[at] === id ? at + 1 : at; // replaced or removed
      if (span) {
        ids.push(id);
        spans.push(span[0], span[1]);
      }
    }
    copy(base.length);
    return { ids, spans };
  }

}

/** The first place at or after `from` in sorted `ids` whose id is not below `id`. */
function lowerBound(ids: string[], id: string, from: number): number {
  let lo = from;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A folder's uids and their records' ids as the file keeps them (two arrays of the same length).
 * Ids, not places in the sorted ids: numbering them again on every save cost more (measured:
 * 300 ms under load at 100k) than parsing the strings.
 */
export interface FlatFolder {
  uids: number[];
  ids: string[];
}

/** folder → uid → record id; a folder is made a Map only when it is asked for or changed. */
export class FolderTable {
  private readonly flat = new Map<string, FlatFolder>();
  private readonly maps = new Map<string, Map<number, string>>();

  static fromFlat(folders: Map<string, FlatFolder>): FolderTable {
    const t = new FolderTable();
    for (const [folder, f] of folders) t.flat.set(folder, f);
    return t;
  }

  /** The folder's table, to read or change (made on first use). */
  uids(folder: string): Map<number, string> {
    let m = this.maps.get(folder);
    if (m) return m;
    m = new Map();
    const f = this.flat.get(folder);
    if (f) {
      for (let i = 0; i < f.uids.length; i++) m.set(f.uids[i], f.ids[i]);
      this.flat.delete(folder);
    }
    this.maps.set(folder, m);
    return m;
  }

  /** Every folder as the file keeps it (folders never made a Map are written as they were read). */
  toFlat(): Record<string, FlatFolder> {
    const out: Record<string, FlatFolder> = {};
    for (const [folder, f] of this.flat) out[folder] = f;
    for (const [folder, m] of this.maps) if (m.size) out[folder] = { uids: [...m.keys()], ids: [...m.values()] };
    return out;
  }
}
