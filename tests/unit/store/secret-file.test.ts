// secrets.json (main/core/store/secret-file.ts) with a stand-in for the keychain: concurrent saves,
// a corrupt file, and the write itself (atomic, fsynced).
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SealedSecretStore, type Sealer } from '../../../main/core/store/secret-file.js';
import { removeDir, tempDir } from '../../integration/helpers.js';
import { watchSyncs } from './support/syncs.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
const dataDir = () => {
  const d = tempDir('triage-secrets-');
  dirs.push(d);
  return d;
};

/** A keychain stand-in: reversible, and slow by a random few milliseconds like a real one. */
const sealer: Sealer = {
  available: async () => true,
  encrypt: async (plain) => {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    return Buffer.from(`sealed:${plain}`);
  },
  decrypt: async (sealed) => {
    const text = sealed.toString();
    if (!text.startsWith('sealed:')) throw new Error('not ours');
    return text.slice('sealed:'.length);
  },
};

function open(dir: string, warnings: string[] = []): SealedSecretStore {
  return new SealedSecretStore({ file: join(dir, 'secrets.json'), sealer, warn: (m) => warnings.push(m) });
}

describe('saved passwords', () => {
  it('concurrent saves all survive (no lost update, no shared temp file)', async () => {
    const dir = dataDir();
    const store = open(dir);
    const accounts = Array.from({ length: 20 }, (_, i) => `acct${i}`);
    const results = await Promise.allSettled(accounts.map((a) => store.set(a, `pw-${a}`)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    // A fresh instance has no memory: what it reads is what is on disk.
    const fresh = open(dir);
    const missing: string[] = [];
    for (const a of accounts) if ((await fresh.get(a)) !== `pw-${a}`) missing.push(a);
    expect(missing).toEqual([]);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('saves and removals interleaved keep exactly what should stay', async () => {
    const dir = dataDir();
    const store = open(dir);
    await Promise.all(['a', 'b', 'c', 'd'].map((a) => store.set(a, `pw-${a}`)));
    await Promise.all([store.remove('a'), store.set('e', 'pw-e'), store.remove('c'), store.set('b', 'pw-b2')]);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).sort()).toEqual(['b', 'd', 'e']);
    expect(await open(dir).get('b')).toBe('pw-b2');
  });

  it('a corrupt file is kept aside and reported, never overwritten by the next save', async () => {
    const dir = dataDir();
    const file = join(dir, 'secrets.json');
    const garbage = '{"work":"c2VhbGVkOnB3LXdvcms=","home":"c2Vh'; // cut short: other saved passwords are in there
    writeFileSync(file, garbage);
    const warnings: string[] = [];
    const store = open(dir, warnings);
    expect(await store.get('work')).toBeNull();
    await store.set('new', 'pw-new');
    // The damaged file, byte for byte, under a name the warning gives.
    const aside = readdirSync(dir).filter((f) => f.startsWith('secrets.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]), 'utf8')).toBe(garbage);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(aside[0]);
    expect(warnings[0]).toMatch(/saved passwords .* enter them again/i);
    // The new file holds the new password; reading it again reports nothing more.
    expect(await open(dir, warnings).get('new')).toBe('pw-new');
    expect(warnings).toHaveLength(1);
  });

  it('an account named __proto__ is saved like any other', async () => {
    const dir = dataDir();
    await open(dir).set('__proto__', 'pw-p');
    await open(dir).set('other', 'pw-o');
    expect(await open(dir).get('__proto__')).toBe('pw-p');
  });

  it('a file that is not a map of sealed passwords counts as corrupt too', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'secrets.json'), '["work"]');
    const warnings: string[] = [];
    await open(dir, warnings).set('x', 'pw-x');
    expect(readdirSync(dir).filter((f) => f.startsWith('secrets.json.corrupt-'))).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('is written to a temp file of its own, fsynced, renamed into place, and the directory fsynced, before set() resolves', async () => {
    const dir = dataDir();
    const store = open(dir);
    await store.set('first', 'pw-1');
    const syncs = await watchSyncs(dataDir(), () => store.set('second', 'pw-2'));
    const final = readFileSync(join(dir, 'secrets.json'));
    const tmp = syncs.findIndex((s) => s.file.startsWith(join(dir, 'secrets.json.')) && s.size === final.length && s.doneBeforeResolve);
    expect(tmp, JSON.stringify(syncs)).toBeGreaterThanOrEqual(0);
    const dirSync = syncs.findIndex((s, i) => i > tmp && s.file === dir && s.doneBeforeResolve);
    expect(dirSync, JSON.stringify(syncs)).toBeGreaterThan(tmp);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  // A guard for the corrupt-file handling above (it passed before too): only an unparsable file
  // is moved aside; a read that fails (here EISDIR) fails the save and moves nothing.
  it('a read error other than a missing file is not taken for an empty or corrupt file', async () => {
    const dir = dataDir();
    const store = new SealedSecretStore({ file: dir, sealer, warn: () => undefined }); // a directory: EISDIR
    await expect(store.set('a', 'pw')).rejects.toThrow();
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readdirSync(dirname(dir)).filter((f) => f.startsWith(`${basename(dir)}.corrupt-`))).toEqual([]);
  });
});
