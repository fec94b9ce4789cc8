// Practice 1 (STYLE.md): folders say what runtime their code needs, and this test enforces it.
// - only main/electron and preload import 'electron' (and Electron-only packages);
// - the renderer imports no Node module and, from the core, only the contract (main/core/api);
// - the preload imports only 'electron' and the contract.
// Practice 16: the layer table (layers.ts, explained in docs/ARCHITECTURE.md): a file imports its
// own room or a lower layer, a folder only through its index.ts, and no import cycle exists.
// Tests mirror the source: tests/unit/<folder> is named after the folder it tests.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { LAYERS, findCycles, importGraph, importRule, roomOf } from './layers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const ELECTRON_ONLY = /^(electron|electron-store|electron-updater)(\/.*)?$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'out') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(m|c)?[jt]sx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Module specifiers a file imports: import/export from, dynamic import(), require(). */
export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

const rel = (p: string) => relative(ROOT, p).split('\\').join('/');

describe('runtime layering', () => {
  it('finds imports in every form it checks', () => {
    expect(importsOf(`import { app } from 'electron';\nimport type { X } from "./x.js";\nconst e = require('electron/main');\nawait import('electron');\nexport * from 'electron-store';`)).toEqual([
      'electron',
      './x.js',
      'electron-store',
      'electron',
      'electron/main',
    ]);
    expect(importsOf(`// import { app } from 'electron'\n/* require('electron') */`)).toEqual([]);
  });

  it("only main/electron and preload import 'electron' or Electron-only packages", () => {
    const offenders: string[] = [];
    for (const dir of ['main', 'renderer', 'bin', 'tests', 'bench', 'scripts']) {
      let list: string[] = [];
      try {
        list = files(join(ROOT, dir));
      } catch {
        continue;
      }
      for (const f of list) {
        const r = rel(f);
        if (r.startsWith('main/electron/') || r.startsWith('preload/')) continue;
        if (r === 'tests/unit/security/imports.test.ts') continue;
        for (const spec of importsOf(readFileSync(f, 'utf8'))) if (ELECTRON_ONLY.test(spec)) offenders.push(`${r} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('main/electron/window-options.ts stays free of electron (the window test loads it without the binary)', () => {
    const specs = importsOf(readFileSync(join(ROOT, 'main/electron/window-options.ts'), 'utf8'));
    expect(specs.filter((s) => ELECTRON_ONLY.test(s))).toEqual([]);
  });

  it('the renderer imports no Node module, and from the core only the contract', () => {
    const offenders: string[] = [];
    const node = new Set(builtinModules);
    for (const f of files(join(ROOT, 'renderer'))) {
      for (const spec of importsOf(readFileSync(f, 'utf8'))) {
        const bare = spec.replace(/^node:/, '').split('/')[0];
        if (spec.startsWith('node:') || node.has(bare)) offenders.push(`${rel(f)} imports ${spec} (Node)`);
        if (/main\/(core|cli|serve|electron)\//.test(spec) && !/main\/core\/api(\.js|\.ts)?$/.test(spec)) offenders.push(`${rel(f)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the preload imports only electron and the contract', () => {
    const specs = importsOf(readFileSync(join(ROOT, 'preload/index.ts'), 'utf8'));
    expect(specs.every((s) => s === 'electron' || /main\/core\/api\.js$/.test(s))).toBe(true);
  });

  it('the Node project has no DOM types and the web project no Node types (practice 2: a wrong API is a compile error)', () => {
    // tsconfig files carry comments: drop them before parsing.
    const read = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { compilerOptions: { lib: string[]; types: string[] }; include: string[] };
    const node = read('tsconfig.json');
    const web = read('tsconfig.web.json');
    expect(node.compilerOptions.lib.map((l) => l.toLowerCase())).not.toContain('dom');
    expect(node.include.some((p) => p.startsWith('renderer'))).toBe(false);
    expect(web.compilerOptions.lib.map((l) => l.toLowerCase())).toContain('dom');
    expect(web.compilerOptions.types).toEqual([]);
    expect(web.include.filter((p) => p.startsWith('main/'))).toEqual(['main/core/api.ts', 'main/core/model.ts']);
  });
});

describe('the house: layers, entrances and cycles', () => {
  it('the rule catches each kind of wrong import (the checker itself can fail)', () => {
    expect(importRule('main/core/triage/lists.ts', 'main/core/followup/queue.ts')).toMatch(/main\/core\/triage \(layer \d+\) may not import main\/core\/followup/);
    expect(importRule('main/core/mail/dsn.ts', 'main/core/calendar/index.ts')).toMatch(/share layer \d+/);
    expect(importRule('main/core/followup/resend.ts', 'main/core/contacts/wait.ts')).toMatch(/entered only through main\/core\/contacts\/index\.ts/);
    expect(importRule('main/core/triage/lists.ts', 'main/core/service.ts')).toMatch(/may not import main\/core\/service\.ts/);
    expect(importRule('main/core/newroom/x.ts', 'main/core/api.ts')).toMatch(/in no room/);
    expect(importRule('main/core/followup/resend.ts', 'main/core/contacts/index.ts')).toBeNull();
    expect(importRule('main/core/followup/resend.ts', 'main/core/followup/queue.ts')).toBeNull();
    expect(importRule('main/core/store/store.ts', 'main/core/model.ts')).toBeNull();
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('every file of main/ is in a room of the table, and every room exists', () => {
    const graph = importGraph(ROOT);
    expect([...graph.keys()].filter((f) => !roomOf(f))).toEqual([]);
    for (const room of LAYERS.flat()) expect(statSync(join(ROOT, room), { throwIfNoEntry: false }), room).toBeTruthy();
  });

  it('every import follows the layer table', () => {
    const offenders: string[] = [];
    for (const [from, targets] of importGraph(ROOT)) {
      for (const to of targets) {
        const rule = importRule(from, to);
        if (rule) offenders.push(`${from} imports ${to}: ${rule}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no import cycle', () => {
    expect(findCycles(importGraph(ROOT)).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('tests/unit mirrors the source: each folder is named after a folder of main/core or main/, or is renderer/', () => {
    const crossCutting = new Set(['security', 'support', 'scripts']);
    // renderer/: the pure (no React, no DOM) modules of the renderer, e.g. views/sign-in-state.ts.
    const topLevel = new Set(['renderer']);
    const folders = readdirSync(join(ROOT, 'tests/unit')).filter((d) => statSync(join(ROOT, 'tests/unit', d)).isDirectory());
    const unmatched = folders.filter(
      (d) => !crossCutting.has(d) && !topLevel.has(d) && !statSync(join(ROOT, 'main/core', d), { throwIfNoEntry: false }) && !statSync(join(ROOT, 'main', d), { throwIfNoEntry: false }),
    );
    expect(unmatched).toEqual([]);
  });
});
