// Analysis timings over the benchmark's store; each feature adds its figure here.
import type { Store } from '../main/core/store/store.js';

export async function runAnalysisBench(_store: Store, _log: (s: string) => void): Promise<Record<string, number>> {
  return {};
}
