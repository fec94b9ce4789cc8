import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { lockDataDir } from '../../../main/core/store/lock.js';
import { removeDir, tempDir } from '../../integration/helpers.js';

describe('data dir lock', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('respects a PID file of an earlier version whose owner lives, with the owner PID in the message', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeFileSync(join(dir, 'triage.lock'), '1\n'); // PID 1 is always alive
    await expect(lockDataDir(dir, { waitMs: 200 })).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/PID 1\b/) });
  });

  it('refuses a second store of the same process while the first is open', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir, { waitMs: 100 })).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/already has .* open/) });
    await first.release();
    const second = await lockDataDir(dir, { waitMs: 100 });
    await second.release();
  });

  it('takes over a PID file of an earlier version whose owner died', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'triage.lock'), `${dead}\n`);
    const lock = await lockDataDir(dir, { waitMs: 200 });
    await lock.release();
  });
});

describe('account log files', () => {
  it('account names map to distinct files, also names that differ only in case or punctuation', async () => {
    const { accountFileName } = await import('../../../main/core/store/store.js');
    const names = ['a.b', 'a_b', 'a+', 'a_2B', 'Work', 'work', 'pat@acme.com', 'pat_acme.com'];
    const files = names.map(accountFileName);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(names.length);
  });
});

describe('a brand-new lock file without its PID yet', () => {
  it('is respected, not taken as stale', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'triage.lock'), '');
    await expect(lockDataDir(dir, { waitMs: 200 })).rejects.toMatchObject({ code: 'locked' });
    removeDir(dir);
  });
});
