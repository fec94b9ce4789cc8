import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { lockDataDir } from '../../../main/core/store/lock.js';
import { removeDir, tempDir } from '../../integration/helpers.js';

describe('data dir lock', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach(removeDir));

  it('refuses a second holder while the first lives, with the owner PID in the message', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await lockDataDir(dir);
    writeFileSync(join(dir, 'triage.lock'), '1\n'); // PID 1 is always alive
    await expect(lockDataDir(dir, { waitMs: 200 })).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/PID 1\b/) });
    await first.release();
  });

  it('takes over a lock whose owner died', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'triage.lock'), `${dead}\n`);
    const lock = await lockDataDir(dir, { waitMs: 200 });
    await lock.release();
  });
});
