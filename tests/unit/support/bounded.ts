// A time bound for hostile-input tests: generous for a loaded 2-core machine (the slowest parser
// call over the hostile fixtures takes a few ms on an idle one), so it only catches exponential or
// polynomial blow-up, never ordinary slowness.
import { expect } from 'vitest';

export const HOSTILE_BOUND_MS = 1000;

/** Runs `fn`, failing when it throws or takes longer than the bound. */
export function bounded<T>(what: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  expect(ms, `${what} took ${Math.round(ms)} ms`).toBeLessThan(HOSTILE_BOUND_MS);
  return out;
}
