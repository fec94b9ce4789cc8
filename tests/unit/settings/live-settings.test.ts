// The two settings of issue 12: connections per account (the live updates' budget) and
// notifications on or off. Checked once in the core: a wrong patch names the field, and a
// hand-edited store falls back to the default instead of breaking the app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/store.js';
import { PREF_IDS, writePref } from '../../../main/core/store/index.js';
import { checkSettingsPatch, readSettings, writeSettings } from '../../../main/core/settings/index.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-settings-'));
  store = await Store.open(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('connectionsPerAccount and notifications', () => {
  it('defaults: two connections (one syncs, one watches), notifications on', async () => {
    expect(await readSettings(store)).toMatchObject({ connectionsPerAccount: 2, notifications: true });
  });

  it('kept as set: 1 (no watching) to 15 (Gmail’s limit), on or off', async () => {
    await writeSettings(store, { connectionsPerAccount: 1, notifications: false });
    expect(await readSettings(store)).toMatchObject({ connectionsPerAccount: 1, notifications: false });
    await writeSettings(store, { connectionsPerAccount: 15 });
    expect(await readSettings(store)).toMatchObject({ connectionsPerAccount: 15, notifications: false });
  });

  it.each([0, 16, 2.5, -1, Number.NaN, '3'])('refuses %s connections, naming the setting', (n) => {
    expect(() => checkSettingsPatch({ connectionsPerAccount: n as number })).toThrow(/Connections per account must be a whole number from 1 \(no live updates\) to 15/);
  });

  it('refuses notifications that are not true or false', () => {
    expect(() => checkSettingsPatch({ notifications: 'yes' as unknown as boolean })).toThrow(/Notifications are on \(true\) or off \(false\)/);
  });

  it('a hand-edited store with nonsense falls back to the defaults', async () => {
    await writePref(store, { _id: PREF_IDS.settings, kind: 'setting', connectionsPerAccount: 99, notifications: 'loud' });
    expect(await readSettings(store)).toMatchObject({ connectionsPerAccount: 2, notifications: true });
  });
});
