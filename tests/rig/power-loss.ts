// Cutting the power under a killed child process (see power-loss.mjs, which the child loads):
// every file under the data dir goes back to what its last fsync covered. The stores are
// append-only between compactions, and a compaction is a rename of a fsynced file, so "the bytes
// the last fsync covered" is the file as a power cut leaves it.
import { existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const POWER_LOSS_PRELOAD = fileURLToPath(new URL('./power-loss.mjs', import.meta.url));

/** The environment that makes a child record what it made durable into `logFile`. */
export function powerLossEnv(logFile: string, ignoreSuffix?: string): Record<string, string> {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${POWER_LOSS_PRELOAD}`.trim(),
    TRIAGE_TEST_DURABLE_LOG: logFile,
    ...(ignoreSuffix ? { TRIAGE_TEST_DURABLE_IGNORE: ignoreSuffix } : {}),
  };
}

export interface Cut {
  file: string;
  size: number;
  durable: number;
}

/** After the child is dead: truncate each file under `dir` to its durable size. Returns what was cut. */
export function cutPower(dir: string, logFile: string): Cut[] {
  const durable = new Map<string, number>();
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : [];
  for (const line of lines) {
    const r = JSON.parse(line) as { sync?: string; size?: number; rename?: string; to?: string };
    if (r.sync !== undefined) durable.set(r.sync, r.size!);
    else if (r.rename !== undefined) {
      const size = durable.get(r.rename);
      durable.delete(r.rename);
      // A rename of a file never fsynced by this process: its content is unknown, left as it is.
      if (size === undefined) durable.delete(r.to!);
      else durable.set(r.to!, size);
    }
  }
  const cuts: Cut[] = [];
  for (const [file, size] of durable) {
    if (!file.startsWith(dir) || !existsSync(file)) continue;
    const now = statSync(file).size;
    if (now > size) {
      truncateSync(file, size);
      cuts.push({ file: file.slice(dir.length + 1), size: now, durable: size });
    }
  }
  return cuts;
}
