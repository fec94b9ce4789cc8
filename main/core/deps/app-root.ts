// Where the checkout (or the unpacked app) is: the folder holding inbox-triage's package.json,
// found by walking up from this module. A fixed '../..' breaks as soon as the code runs from a
// bundle (out/cli/<build>/, out/main/) instead of its source folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | null = null;

export function appRoot(): string {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'inbox-triage') return (found = dir);
      } catch {
        /* not ours: keep walking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('inbox-triage: cannot find the app folder (no package.json named inbox-triage above the code)');
    dir = up;
  }
}
