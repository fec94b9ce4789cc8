// The house's layer table and the checks that keep it (docs/ARCHITECTURE.md explains it).
// Rooms are folders (or single files at the top of main/core); a file may import its own room, or
// a room of a lower layer, entering a folder only through its index.ts. Anything else, and any
// import cycle, fails the test with the two file names and the rule.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Bottom up. Rooms in one layer do not import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  ['main/core/model.ts'],
  ['main/core/api.ts', 'main/core/deps'],
  ['main/core/errors.ts'],
  ['main/core/store'],
  ['main/core/mail', 'main/core/calendar', 'main/core/auth', 'main/core/net'],
  ['main/core/imap', 'main/core/smtp', 'main/core/settings', 'main/core/demo'],
  ['main/core/contacts', 'main/core/accounts', 'main/core/live'],
  ['main/core/triage'],
  ['main/core/followup'],
  ['main/core/service.ts'],
  ['main/app'],
  ['main/serve', 'main/electron'],
  ['main/cli'],
];

export interface Violation {
  from: string;
  to: string;
  rule: string;
}

/** The room a repository path belongs to (longest match in the table), or null. */
export function roomOf(path: string, layers: readonly (readonly string[])[] = LAYERS): string | null {
  let best: string | null = null;
  for (const layer of layers) {
    for (const room of layer) {
      const inside = room.endsWith('.ts') ? path === room : path.startsWith(room + '/');
      if (inside && (!best || room.length > best.length)) best = room;
    }
  }
  return best;
}

export function layerOf(room: string, layers: readonly (readonly string[])[] = LAYERS): number {
  return layers.findIndex((l) => l.includes(room));
}

/** The rule an import from `from` to `to` (repository paths of .ts files) breaks, or null. */
export function importRule(from: string, to: string, layers: readonly (readonly string[])[] = LAYERS): string | null {
  const a = roomOf(from, layers);
  const b = roomOf(to, layers);
  if (!a) return `${from} is in no room of the layer table: add its folder to LAYERS`;
  if (!b) return null; // outside main/ (a test helper, a script): not this table's business
  if (a === b) return null;
  const la = layerOf(a, layers);
  const lb = layerOf(b, layers);
  if (lb > la) return `${a} (layer ${la}) may not import ${b} (layer ${lb}, above it)`;
  if (lb === la) return `${a} and ${b} share layer ${la}: rooms of one layer do not import each other`;
  if (!b.endsWith('.ts') && to !== `${b}/index.ts`) return `${b} is entered only through ${b}/index.ts`;
  return null;
}

/** Relative module specifiers of a source text (import/export from, dynamic import, require). */
export function relativeImports(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const re of [/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g, /\bimport\s+['"](\.{1,2}\/[^'"]+)['"]/g, /\brequire\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g]) {
    for (const m of text.matchAll(re)) out.push(m[1]);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every import between files under `dir` (repository paths), resolved to files. */
export function importGraph(root: string, dir = 'main'): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const abs of sourceFiles(join(root, dir))) {
    const from = relative(root, abs).split('\\').join('/');
    const targets: string[] = [];
    for (const spec of relativeImports(readFileSync(abs, 'utf8'))) {
      const base = resolve(dirname(abs), spec);
      const file = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
      if (file) targets.push(relative(root, file).split('\\').join('/'));
    }
    graph.set(from, targets);
  }
  return graph;
}

/** Import cycles (strongly connected components of more than one file, or a file importing itself). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative enough for a source tree.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
