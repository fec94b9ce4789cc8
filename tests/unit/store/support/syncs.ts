// Observes fsync(2) as the store code calls it: every FileHandle.sync() goes through the one
// prototype all FileHandles share. Linux only (the file is found through /proc/self/fd).
import { readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * Every FileHandle.sync() of the process while `fn` runs: the file it was for, its size at that
 * moment (fstat on the same handle), and whether it completed before `fn` resolved.
 */
export async function watchSyncs(scratchDir: string, fn: () => Promise<unknown>): Promise<{ file: string; size: number; doneBeforeResolve: boolean }[]> {
  const probe = await open(join(scratchDir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
  await probe.close();
  const seen: { file: string; size: number; doneBeforeResolve: boolean }[] = [];
  let resolved = false;
  const original = proto.sync;
  const spy = vi.spyOn(proto, 'sync').mockImplementation(async function (this: { fd: number; stat(): Promise<{ size: number }> }) {
    const file = readlinkSync(`/proc/self/fd/${this.fd}`);
    const size = (await this.stat()).size;
    await original.call(this);
    seen.push({ file, size, doneBeforeResolve: !resolved });
  });
  try {
    await fn();
  } finally {
    resolved = true;
    spy.mockRestore();
  }
  return seen;
}

