// The bundled sample mailbox is found from a checkout and loads as an account without a server.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { defaultDemoMbox, isDemoAccount, loadDemo } from '../../../main/core/demo/index.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the sample mailbox', () => {
  it('is found where a checkout keeps it, and loads as a demo account', async () => {
    expect(existsSync(defaultDemoMbox())).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'triage-demo-'));
    const store = await Store.open(dir);
    try {
      const summary = await loadDemo({ store, now: new Date('2026-11-20T10:00:00Z') });
      expect(summary.demo).toBe(true);
      const [account] = await store.listAccounts();
      expect(isDemoAccount(account)).toBe(true);
      expect((await store.messages(account.name)).size).toBeGreaterThan(10);
    } finally {
      await store.close();
    }
  });
});
