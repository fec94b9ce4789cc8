// The scanners that replaced super-linear patterns (issue 14) give what those patterns gave: each
// is compared with its old pattern on many short random strings over the characters that matter
// (short, so the old pattern is fast), then timed on the input that made the old one slow.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replaceEnclosed, trimEndChars } from '../../../main/core/mail/scan.js';
import { htmlToText } from '../../../main/core/mail/html-text.js';
import { parseAddresses, parseMessageIds } from '../../../main/core/mail/headers.js';
import { readDsn } from '../../../main/core/mail/dsn.js';
import { listFromSender } from '../../../main/core/mail/lists.js';
import { parseAuthResultsHeader } from '../../../main/core/mail/auth-results.js';
import { subjectKey } from '../../../main/core/mail/subject.js';
import type { MessageRecord } from '../../../main/core/model.js';

/** Strings of up to `max` characters drawn from `chars`. */
const over = (chars: string, max = 24) => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 3000) };

/** Milliseconds `fn` takes. */
function ms(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('replaceEnclosed and trimEndChars', () => {
  it('give what the patterns gave', () => {
    fc.assert(
      fc.property(over('()[]a '), (s) => {
        expect(replaceEnclosed(s, [['(', ')'], ['[', ']']], ' ')).toBe(s.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
        expect(replaceEnclosed(s, [['(', ')']], ' ')).toBe(s.replace(/\([^)]*\)/g, ' '));
      }),
      RUNS,
    );
    fc.assert(fc.property(over('.,!a;'), (s) => {
      expect(trimEndChars(s, '.,!')).toBe(s.replace(/[.,!]+$/, ''));
    }), RUNS);
  });

  it('are linear on unclosed brackets', () => {
    const s = '('.repeat(200_000) + '['.repeat(200_000);
    expect(ms(() => replaceEnclosed(s, [['(', ')'], ['[', ']']], ' '))).toBeLessThan(1000);
  });
});

describe('htmlToText', () => {
  const old = (html: string) =>
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/gi, ' ')
      .replace(/&amp;/gi, '&')
      .replace(/&lt;/gi, '<')
      .replace(/&gt;/gi, '>')
      .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n) < 0x110000 ? Number(n) : 0x20))
      .replace(/[ \t]+/g, ' ');
  const tokens = fc.array(fc.constantFrom('<', '>', '/', '<script', '<SCRIPT x', '</script>', '<style', '</Style>', '<br/>', 'a', ' ', '&amp;', '\n'), { maxLength: 16 }).map((a) => a.join(''));

  it('gives what the patterns gave', () => {
    fc.assert(fc.property(tokens, (s) => {
      expect(htmlToText(s)).toBe(old(s));
    }), RUNS);
  });

  it('is linear on tags that never close', () => {
    const s = '<script>' + '<'.repeat(100_000) + '<style'.repeat(20_000) + '<a href="'.repeat(20_000) + '>';
    expect(ms(() => htmlToText(s))).toBeLessThan(1000);
  });
});

describe('address and id fields', () => {
  it('simple addresses read as before', () => {
    const oldNamed = /^\s*([^<>]*?)\s*<([^<>\s@]+@[^<>\s@]+)>\s*$/;
    fc.assert(
      fc.property(over('ab@<> ,.', 20), (s) => {
        const got = parseAddresses(s);
        // Where the old fast path applied (no quotes, comments or groups, and every part a
        // "Name <a@b>" or a bare a@b), names and addresses agree. A part that is neither (say
        // "a,a<a@a>": the "a") sends the whole field to the full parser, which reads it differently.
        const parts = s.split(',');
        const fast = !/["();:\\]/.test(s) && parts.every((p) => !p.trim() || oldNamed.test(p) || /^[^<>\s@]+@[^<>\s@]+$/.test(p.trim()));
        if (!fast) return;
        for (const part of parts) {
          const m = oldNamed.exec(part);
          if (m) expect(got).toContainEqual({ name: m[1], address: m[2].toLowerCase() });
        }
      }),
      RUNS,
    );
    expect(parseAddresses('a,a<a@a>')).toEqual([{ name: 'a, a', address: 'a@a' }]); // fast-check's counterexample (seed -1813339420)
    expect(parseAddresses('  Anna Berg  <anna@x.example> , bob@y.example')).toEqual([
      { name: 'Anna Berg', address: 'anna@x.example' },
      { name: '', address: 'bob@y.example' },
    ]);
  });

  it('bare message ids read as before', () => {
    fc.assert(
      fc.property(over('a@<> ', 12), (s) => {
        if (/<([^<>\s]+)>/.test(s)) return;
        const bare = s.trim();
        expect(parseMessageIds(s)).toEqual(/^[^\s<>]+@[^\s<>]+$/.test(bare) ? [bare] : []);
      }),
      RUNS,
    );
  });

  it('list robots (owner-x@, x-request@, x-bounces@) read as before', () => {
    const re = /^(?:owner-(.+)|(.+)-(?:owner|request|bounces?))@(.+)$/;
    const parts = fc.array(fc.constantFrom('owner-', '-owner', '-request', '-bounce', '-bounces', '@', 'a', '-', 'x.y'), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(parts, (sender) => {
        const m = re.exec(sender);
        const rec = { from: [{ name: '', address: 'someone@else.example' }], sender: [{ name: '', address: sender }] } as unknown as MessageRecord;
        expect(listFromSender(rec)).toBe(m ? `${m[1] ?? m[2]}@${m[3]}` : null);
      }),
      RUNS,
    );
  });

  it('a DSN recipient field reads as before, and a 32 KB "a@a@…" one in linear time', () => {
    const old = (value: string) => {
      const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
      const m = /<?([^\s<>;"]+@[^\s<>;"]+?)>?\s*$/.exec(v.trim());
      return m ? m[1].toLowerCase() : null;
    };
    const dsnOf = (value: string) => readDsn({ text: '', deliveryStatus: [`Final-Recipient: ${value}\nAction: failed`], originalHeaders: [], dispositions: [], calendar: [] });
    fc.assert(
      fc.property(over('aB@<>;" .', 16), (v) => {
        const want = old(v);
        expect(dsnOf(v).recipients).toEqual(want ? [want] : []);
      }),
      RUNS,
    );
    const hostile = 'rfc822; ' + 'a@'.repeat(16_000) + 'a"';
    expect(ms(() => dsnOf(hostile))).toBeLessThan(1000);
    expect(dsnOf(hostile).recipients).toEqual([]);
  });
});

describe('Authentication-Results pairs', () => {
  it('read as the pattern read them', () => {
    const re = /([^\s=";]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]*)/g;
    const old = (clause: string) => {
      const pairs: [string, string][] = [];
      let m: RegExpExecArray | null;
      while ((m = re.exec(clause))) {
        let v = m[2];
        if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
        pairs.push([m[1].toLowerCase(), v]);
      }
      return pairs;
    };
    fc.assert(
      fc.property(over('aD=" \\\n.', 20), (clause) => {
        // One clause with a method so that parseAuthResultsHeader shows the pairs it read.
        const parsed = parseAuthResultsHeader(`mx.example; spf=pass ${clause}`);
        const props = Object.entries(parsed.results[0]?.props ?? {});
        const want: [string, string][] = [];
        for (const [k, v] of old(`spf=pass ${clause}`).slice(1)) if (!want.some(([w]) => w === k)) want.push([k, v]);
        expect(props).toEqual(want);
      }),
      RUNS,
    );
  });

  it('are read in linear time from a header of backslashes and parentheses', () => {
    const v = 'mx.example; spf=fail ' + '\\'.repeat(100_000) + ' dkim=' + '('.repeat(50_000) + ')'.repeat(50_000);
    expect(ms(() => parseAuthResultsHeader(v))).toBeLessThan(1000);
  });
});

describe('subjects', () => {
  it('a trailing "(fwd)" is removed as before', () => {
    fc.assert(
      fc.property(over('(fwd) \tx', 16), (s) => {
        const re = /\s*\((?:fwd|fw)\)\s*$/i;
        const viaOld = re.test(s) ? s.replace(re, '') : s;
        const key = subjectKey('Re: ' + s).key;
        expect(key).toBe(subjectKey('Re: ' + viaOld).key);
      }),
      RUNS,
    );
  });

  it('white space between prefix and colon costs linear time', () => {
    const s = 'i' + '\t '.repeat(500) + 's';
    expect(ms(() => { for (let i = 0; i < 100; i++) subjectKey(s + i); })).toBeLessThan(1000);
  });
});
