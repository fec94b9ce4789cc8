// The lists are analyses of the whole store (threading, contacts, rhythms): hundreds of ms at
// 100k messages. The app asks for the same list many times between changes (a badge count, the
// view, a view switch), so each result is kept until the store's version moves (store.version():
// every write to messages, folders, accounts or prefs) or its clock passes: a result of another
// clock replaces the one before instead of being kept beside it (a long-running app keeps one list
// per query, not one per minute). The lists' clock-free cores (snapshot.ts) are kept here too, and
// on disk (store/snapshot-file.ts).
export type AnalysisKind = 'unanswered' | 'junk';

export class AnalysisCache {
  private readonly entries = new Map<string, { version: string; clock: string; value: Promise<unknown> }>();
  /** How many analyses really ran, per kind (a result read from a disk snapshot is not one):
   *  what tests and the bench count. */
  readonly runs: Record<AnalysisKind, number> = { unanswered: 0, junk: 0 };

  /** Count an analysis that really ran (called by the compute function given to get()). */
  ran(kind: AnalysisKind): void {
    this.runs[kind]++;
  }

  /** The cached result for (kind, key) at this version and `clock`, or `compute()`'s, kept for
   *  next time in place of the key's result of another clock. */
  get<T>(kind: AnalysisKind, key: string, version: string, compute: () => Promise<T>, clock = ''): Promise<T> {
    const id = `${kind}|${key}`;
    const hit = this.entries.get(id);
    if (hit && hit.version === version && hit.clock === clock) return hit.value as Promise<T>;
    // Results of older versions are worthless now.
    for (const [k, e] of this.entries) if (e.version !== version) this.entries.delete(k);
    const value = compute();
    this.entries.set(id, { version, clock, value });
    value.catch(() => this.entries.delete(id));
    return value;
  }
}
