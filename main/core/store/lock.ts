// One process at a time per data dir. nedb and the message log both assume a single writer:
// two writers would interleave appends and one's compaction (a rename) would drop the other's
// later appends. The lock file holds the owner's PID; a lock whose owner is gone is taken over.
import { rmSync } from 'node:fs';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TriageError } from '../errors.js';

export interface DataDirLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dir: string, { waitMs = 3000 }: { waitMs?: number } = {}): Promise<DataDirLock> {
  const file = join(dir, 'triage.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The PID is written to a file of our own first and then linked into place: link() fails if
    // the lock exists, and the lock is never seen without its PID (an empty one would look stale).
    const mine = `${file}.${process.pid}`;
    await writeFile(mine, `${process.pid}\n`);
    let linked = false;
    try {
      await link(mine, file);
      linked = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        await rm(mine, { force: true });
        throw e;
      }
    }
    await rm(mine, { force: true });
    if (linked) {
      let released = false;
      const releaseSync = () => {
        if (released) return;
        released = true;
        try {
          // Synchronous on exit: the event loop is gone by then.
          rmSync(file, { force: true });
        } catch {
          /* nothing left to do */
        }
      };
      process.once('exit', releaseSync);
      return {
        release: async () => {
          if (released) return;
          released = true;
          process.removeListener('exit', releaseSync);
          await rm(file, { force: true });
        },
      };
    }
    const owner = Number.parseInt((await readFile(file, 'utf8').catch(() => '')).trim(), 10);
    // An unreadable lock that is brand new may be another writer's, mid-way: not stale yet.
    const young = await stat(file).then((st) => Date.now() - st.mtimeMs < 5000, () => false);
    if ((!Number.isFinite(owner) && !young) || (Number.isFinite(owner) && (owner === process.pid || !alive(owner)))) {
      // Stale: its owner died (kill -9, power cut) without removing it.
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TriageError(
        'locked',
        `Another inbox-triage process (PID ${Number.isFinite(owner) ? owner : "unknown"}) is using ${dir}; wait for it to finish or close the app, then try again.`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
