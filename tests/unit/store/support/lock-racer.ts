// A child process for the lock tests: takes and releases data-dir locks when the parent says so
// (child_process IPC), so many real processes can race on one lock. Run with `node --import tsx`.
import { lockDataDir, type DataDirLock } from '../../../../main/core/store/lock.js';

type Command = { type: 'race'; dir: string; at: number; waitMs?: number } | { type: 'release'; dir: string } | { type: 'exit' };

const held = new Map<string, DataDirLock>();

async function startAt(at: number): Promise<void> {
  // Sleep until just before the instant, then spin: the racers start within a millisecond or so.
  const early = at - Date.now() - 15;
  if (early > 0) await new Promise((r) => setTimeout(r, early));
  while (Date.now() < at) {
    /* spin */
  }
}

process.on('message', async (m: Command) => {
  if (m.type === 'race') {
    await startAt(m.at);
    try {
      held.set(m.dir, await lockDataDir(m.dir, { waitMs: m.waitMs ?? 0 }));
      process.send!({ type: 'result', pid: process.pid, got: true });
    } catch (e) {
      const err = e as { code?: string; message?: string };
      process.send!({ type: 'result', pid: process.pid, got: false, code: err.code ?? 'error', message: err.message });
    }
  } else if (m.type === 'release') {
    await held.get(m.dir)?.release();
    held.delete(m.dir);
    process.send!({ type: 'released', pid: process.pid });
  } else if (m.type === 'exit') {
    process.exit(0);
  }
});
process.send!({ type: 'ready', pid: process.pid });
