// Patterns rewritten to be linear (issue 14) match what they matched before. Each rewrite is found
// in its file (through the same inventory the ReDoS test uses, so the test follows the code), the
// old pattern is rebuilt from it by undoing the rewrite, and both run over many short random
// strings of the characters that matter: same match, same groups (an unset group and '' count alike).
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { findPatterns } from './regex-inventory.js';
import { addressInName } from '../../../main/core/triage/junk.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const over = (parts: string[], max = 14) => fc.array(fc.constantFrom(...parts), { maxLength: max }).map((a) => a.join(''));

interface Rewrite {
  file: string;
  /** A piece of the new pattern's source that identifies it, and what stood there before. */
  now: string;
  was: string;
  /** Pieces random inputs are made of. */
  parts: string[];
}

const REPLY_COUNTER_NOW = String.raw`\s*(?:(?:\[\d+\]|\(\d+\)|\^\d+)\s*)?[:：]`;
const REPLY_COUNTER_WAS = String.raw`\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]`;
const PREFIX_PARTS = ['re', 'Re', 'aw', 'fwd', 'i', ' ', '\t', '[2]', '(3)', '^4', ':', '：', '.', 'x', '[tag]', 'automatic reply', 'RE'];

const REWRITES: Rewrite[] = [
  { file: 'main/core/mail/subject.ts', now: REPLY_COUNTER_NOW, was: REPLY_COUNTER_WAS, parts: PREFIX_PARTS },
  {
    file: 'main/core/followup/template.ts',
    now: String.raw`\s*(?:(?:\[\d+\]|\(\d+\))\s*)?[:：]\s*`,
    was: String.raw`\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*`,
    parts: PREFIX_PARTS,
  },
  {
    file: 'main/core/contacts/rhythm.ts',
    now: String.raw`\s*(?:(?:\[\d+\]|\(\d+\))\s*)?[:：])*))\1`,
    was: String.raw`\s*(?:\[\d+\]|\(\d+\))?\s*[:：])*))\1`,
    parts: [...PREFIX_PARTS, '(', '['],
  },
  { file: 'main/core/contacts/details.ts', now: String.raw`@[^\s@][^\s@.]*\.[^\s@]+$`, was: String.raw`@[^\s@]+\.[^\s@]+$`, parts: ['a', '@', '.', ' ', 'b'] },
  { file: 'main/cli/commands/contact.ts', now: String.raw`@[^\s@][^\s@.]*\.[^\s@]+$`, was: String.raw`@[^\s@]+\.[^\s@]+$`, parts: ['a', '@', '.', ' ', 'b'] },
  {
    file: 'main/core/followup/first-name.ts',
    now: String.raw`\b[\s,.!-]*([^\s,.!-].*)?$`,
    was: String.raw`\b[\s,.!-]*(.*)$`,
    parts: ['best', 'regards', 'thanks', ' ', ',', '.', '!', '-', 'Anna', '\u2028', 'lg'],
  },
];

function sameMatch(a: RegExpExecArray | null, b: RegExpExecArray | null): void {
  expect(b === null).toBe(a === null);
  if (!a || !b) return;
  expect([...b].map((g) => g ?? '')).toEqual([...a].map((g) => g ?? ''));
}

describe('rewritten patterns match what they matched', () => {
  const patterns = findPatterns(ROOT, resolve(ROOT, 'main'));

  it.each(REWRITES.map((r, i) => [i, r.file, r] as const))('rewrite %i in %s', (_i, _file, rw) => {
    const mine = patterns.filter((p) => p.file === rw.file && p.source.includes(rw.now));
    expect(mine.length, `no pattern in ${rw.file} contains ${rw.now}`).toBeGreaterThan(0);
    for (const p of mine) {
      const now = new RegExp(p.source, p.flags.replace('g', ''));
      const was = new RegExp(p.source.split(rw.now).join(rw.was), p.flags.replace('g', ''));
      expect(was.source).not.toBe(now.source);
      fc.assert(
        fc.property(over(rw.parts), (s) => {
          sameMatch(was.exec(s), now.exec(s));
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('the Date header patterns give the zone text the old tail "\\s*(.*)$" captured', () => {
    const mine = patterns.filter((p) => p.file === 'main/core/calendar/date-header.ts' && p.source.startsWith('^') && p.source.includes('(?:\\.\\d+)?'));
    expect(mine).toHaveLength(2);
    const parts = ['Mon, ', '17 Nov 2025 ', '2025-11-17', 'T', ' ', '09:13', ':02', '.5', '123', ' +0100', 'GMT', 'x'];
    for (const p of mine) {
      const now = new RegExp(p.source, p.flags);
      const was = new RegExp(p.source + String.raw`\s*(.*)$`, p.flags);
      fc.assert(
        fc.property(over(parts, 8), (s) => {
          const a = was.exec(s);
          const b = now.exec(s);
          expect(b === null).toBe(a === null);
          if (a && b) expect(s.slice(b[0].length).trimStart()).toBe(a[a.length - 1]);
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('an address written into a display name is found as the pattern found it', () => {
    const was = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[a-z]{2,}/i;
    fc.assert(
      fc.property(over(['a', 'B', '@', '.', 'co', 'm', '1', ' ', '"', '<', '-', 'é'], 16), (name) => {
        expect(addressInName(name)).toBe(was.exec(name)?.[0] ?? null);
      }),
      { numRuns: 5000 },
    );
    const t0 = performance.now();
    addressInName('a@'.repeat(20_000) + 'a');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
