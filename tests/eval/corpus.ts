// Where the shared corpora live, read in place (never copied into the project: see
// ../shared/corpora/README.md for their licences).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccountConfig } from '../../main/core/model.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corporaRoot = path.resolve(projectRoot, '../shared/corpora');

/** The corpus folder, or null (with the reason printed) when it is not there. */
export function corpusDir(name: string): string | null {
  const dir = path.join(corporaRoot, name);
  if (!existsSync(dir)) {
    console.warn(`[eval] skipped: corpus ${dir} is absent (it lives next to the project, in ../shared/corpora)`);
    return null;
  }
  return dir;
}

/** Every file under `dir`, recursively, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function account(name: string, addresses: string[]): AccountConfig {
  return {
    name,
    imap: { host: 'imap.invalid', port: 993, security: 'tls', user: addresses[0] },
    addresses,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

export const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
