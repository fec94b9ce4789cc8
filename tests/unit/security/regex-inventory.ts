// Every regular expression in a source tree, found with the TypeScript parser (not with a regex,
// which would miss patterns inside templates, comments-looking strings or odd spacing):
//   - regex literals (/.../flags);
//   - RegExp(...) and new RegExp(...), their pattern and flags evaluated statically where they are
//     built from literals, templates, '+', [...].join(...) and file-level constants, else by
//     running the file's module code (imports stubbed) and evaluating the arguments at its end;
//   - .match / .matchAll / .search with a string argument (JavaScript turns it into a RegExp).
// A pattern that cannot be evaluated either way (built from a function's parameters) is returned
// with `error`: the ReDoS test fails on it, so nothing goes unchecked by accident.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Script } from 'node:vm';
import ts from 'typescript';

export interface FoundPattern {
  /** Path relative to the root given to `findPatterns`. */
  file: string;
  line: number;
  kind: 'literal' | 'constructor' | 'implicit';
  source: string;
  flags: string;
  /** Why the pattern could not be evaluated (then source is ''). */
  error?: string;
}

function sourceFiles(dir: string): string[] {
  if (statSync(dir).isFile()) return [dir];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(?:[cm]?ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const UNRESOLVED = Symbol('unresolved');
type Value = string | string[] | typeof UNRESOLVED;

/** File-level `const NAME = ...` declarations (any depth, only when the name is unique). */
function constDeclarations(sf: ts.SourceFile): Map<string, ts.Expression | null> {
  const out = new Map<string, ts.Expression | null>();
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isVariableDeclarationList(node.parent) && node.parent.flags & ts.NodeFlags.Const) {
      const name = node.name.text;
      out.set(name, out.has(name) ? null : node.initializer); // null: declared twice, ambiguous
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function evaluate(node: ts.Expression, consts: Map<string, ts.Expression | null>, depth = 0): Value {
  if (depth > 50) return UNRESOLVED;
  const again = (n: ts.Expression) => evaluate(n, consts, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return again(node.expression);
  if (ts.isRegularExpressionLiteral(node)) return UNRESOLVED;
  if (ts.isTemplateExpression(node)) {
    let s = node.head.text;
    for (const span of node.templateSpans) {
      const v = again(span.expression);
      if (typeof v !== 'string') return UNRESOLVED;
      s += v + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const a = again(node.left);
    const b = again(node.right);
    return typeof a === 'string' && typeof b === 'string' ? a + b : UNRESOLVED;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const items: string[] = [];
    for (const e of node.elements) {
      const v = again(e as ts.Expression);
      if (typeof v !== 'string') return UNRESOLVED;
      items.push(v);
    }
    return items;
  }
  if (ts.isIdentifier(node)) {
    const init = consts.get(node.text);
    return init ? again(init) : UNRESOLVED;
  }
  if (ts.isPropertyAccessExpression(node) && node.name.text === 'source' && ts.isIdentifier(node.expression)) {
    const init = consts.get(node.expression.text);
    if (init && ts.isRegularExpressionLiteral(init)) return splitLiteral(init.text).source;
    return UNRESOLVED;
  }
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
    const list = again(node.expression.expression);
    const sep = node.arguments.length ? again(node.arguments[0]) : ',';
    return Array.isArray(list) && typeof sep === 'string' ? list.join(sep) : UNRESOLVED;
  }
  return UNRESOLVED;
}

function splitLiteral(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf('/');
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

function isRegExpCallee(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return e.text === 'RegExp';
  return ts.isPropertyAccessExpression(e) && e.name.text === 'RegExp' && ts.isIdentifier(e.expression) && e.expression.text === 'globalThis';
}

/** A callable, endlessly nested stand-in for every import: pure pattern code never touches it. */
function stubModule(): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (key === Symbol.toPrimitive || key === 'then' ? undefined : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

/**
 * Evaluate argument lists of RegExp calls the static evaluator could not: the file is compiled
 * to CommonJS with a probe appended that returns each argument list, and run with stubbed
 * imports. Arguments that use a function's locals throw (ReferenceError) and stay unresolved.
 */
function probe(file: string, text: string, calls: { args: string[] }[]): ({ source: string; flags: string } | { error: string })[] {
  const probeText = `\n;(module as any).exports.__redosProbe = [${calls.map((c) => `() => [${c.args.join(', ')}]`).join(',\n')}];\n`;
  let js: string;
  try {
    js = ts.transpileModule(text + probeText, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: file }).outputText;
  } catch (e) {
    return calls.map(() => ({ error: `cannot compile: ${(e as Error).message}` }));
  }
  const module = { exports: {} as Record<string, unknown> };
  try {
    const run = new Script(`(function (require, module, exports) {${js}\n})`, { filename: file }).runInThisContext() as (r: unknown, m: unknown, e: unknown) => void;
    run(() => stubModule(), module, module.exports);
  } catch (e) {
    return calls.map(() => ({ error: `module code failed: ${(e as Error).message}` }));
  }
  const fns = module.exports.__redosProbe as (() => unknown[])[];
  return fns.map((fn) => {
    try {
      const [pattern, flags] = fn();
      if (pattern instanceof RegExp) return { source: pattern.source, flags: typeof flags === 'string' ? flags : pattern.flags };
      if (typeof pattern !== 'string' || (flags !== undefined && typeof flags !== 'string')) return { error: 'pattern or flags not a string' };
      return { source: pattern, flags: (flags as string | undefined) ?? '' };
    } catch (e) {
      return { error: `built from values known only at run time (${(e as Error).message})` };
    }
  });
}

/** Every pattern in the .ts/.tsx files under `dir`, or in the file `dir` (paths relative to `root`). */
export function findPatterns(root: string, dir: string): FoundPattern[] {
  const found: FoundPattern[] = [];
  for (const path of sourceFiles(dir)) {
    const file = relative(root, path).split('\\').join('/');
    const text = readFileSync(path, 'utf8');
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const consts = constDeclarations(sf);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const pending: { at: FoundPattern; args: string[] }[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        found.push({ file, line: lineOf(node), kind: 'literal', ...splitLiteral(node.text) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && isRegExpCallee(node.expression)) {
        const args = [...(node.arguments ?? [])];
        const at: FoundPattern = { file, line: lineOf(node), kind: 'constructor', source: '', flags: '' };
        found.push(at);
        // RegExp(/x/g) copies a literal the visit below finds anyway; its flags may differ.
        const pattern = args[0] ? evaluate(args[0], consts) : '';
        const flags = args[1] ? evaluate(args[1], consts) : '';
        if (typeof pattern === 'string' && typeof flags === 'string') {
          at.source = pattern;
          at.flags = flags;
        } else {
          pending.push({ at, args: args.map((a) => a.getText(sf)) });
        }
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ['match', 'matchAll', 'search'].includes(node.expression.name.text) &&
        node.arguments.length === 1
      ) {
        const v = evaluate(node.arguments[0], consts);
        if (typeof v === 'string') found.push({ file, line: lineOf(node), kind: 'implicit', source: v, flags: '' });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (pending.length) {
      const results = probe(path, text, pending);
      pending.forEach(({ at }, i) => {
        const r = results[i];
        if ('error' in r) at.error = r.error;
        else {
          at.source = r.source;
          at.flags = r.flags;
        }
      });
    }
  }
  return found;
}
