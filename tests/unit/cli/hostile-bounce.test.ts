// Issue 14: one crafted bounce froze the app. A multipart/report whose Final-Recipient is
// "a@a@a@…" (31 KB, inside the 32 KB that sync keeps of a body) made every unanswered analysis run
// a backtracking pattern for hours. The whole CLI process must now answer in seconds (the bound
// is generous for a shared 2-core machine: it guards against exponential blow-up, nothing finer).
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeHostileDataDir } from '../../fixtures/hostile/data-dir.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], timeoutMs: number): Promise<{ code: number | string | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, 'bin/triage.js'), ...args], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number | string }).code ?? (err as { signal?: string }).signal ?? 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr), ms: performance.now() - t0 });
    });
  });
}

describe('a hostile bounce in the store', () => {
  it('unanswered --json answers in seconds and still lists the sent mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-hostile-'));
    dirs.push(dir);
    await writeHostileDataDir(dir);
    const r = await cli(['--data-dir', dir, 'unanswered', '--json', '--now', '2025-11-24T12:00:00Z'], 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(30_000);
    const list = JSON.parse(r.stdout) as { subject: string; status: string }[];
    expect(list.map((e) => e.subject)).toEqual(['Lunch next week?']);
  }, 90_000);
});
