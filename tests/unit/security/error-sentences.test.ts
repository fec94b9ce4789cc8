// Issue 15: "every API error the app shows is a sentence for that screen, never a CLI command".
// The app shows a TriageError's message as it is; what only a terminal user can do next (a
// command, a flag) goes into its `cli` part, which the CLI prints after the sentence. This reads
// every `new TriageError(code, message…)` in main/core and main/app and checks the message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TriageError, cliMessage, toApiError } from '../../../main/core/errors.js';
import { OAUTH_PROVIDER_IDS, resolveClient } from '../../../main/core/auth/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });

/** The message argument of each `new TriageError('code', <message>` (its first string literal). */
function messages(source: string): string[] {
  const out: string[] = [];
  const re = /new TriageError\(\s*'[a-z-]+',\s*/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    let i = re.lastIndex;
    // A conditional message ("a ? `…` : `…`"): take every literal up to the options or the end.
    let text = '';
    let depth = 0;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '`' || c === "'" || c === '"') {
        const end = source.indexOf(c, i + 1);
        text += source.slice(i + 1, end) + ' ';
        i = end;
        continue;
      }
      if (c === '(' || c === '{' || c === '[') depth++;
      if (c === ')' || c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      }
      if (c === ',' && depth === 0) break;
    }
    out.push(text);
  }
  return out;
}

// A command the CLI has ("triage queue cancel", "run triage sync"), or a flag ("--force", "(--user)").
const CLI_WORDS = /\btriage (account|sync|status|unanswered|junk|rescue|resend|queue|send-due|contact|serve)\b|(^|[\s(])--[a-z]/;

describe('error sentences', () => {
  const sources = [...files(join(ROOT, 'main/core')), ...files(join(ROOT, 'main/app'))];
  it('no message the app shows names a CLI command or flag', () => {
    const found: string[] = [];
    for (const f of sources) for (const m of messages(readFileSync(f, 'utf8'))) if (CLI_WORDS.test(m)) found.push(`${relative(ROOT, f)}: ${m.trim()}`);
    expect(found).toEqual([]);
  });

  it('the sentence the Accounts view shows without an OAuth client id names Settings, not a flag (the CLI gets its own)', () => {
    for (const id of OAUTH_PROVIDER_IDS) {
      let error: unknown;
      try {
        resolveClient(id, { env: {}, settings: null });
      } catch (e) {
        error = e;
      }
      expect(toApiError(error)).toMatchObject({ code: 'oauth-not-configured', message: expect.stringContaining('Settings → Sign-in apps') });
      expect(toApiError(error).message).not.toMatch(CLI_WORDS);
      expect(cliMessage(error)).toContain(`--client-id, TRIAGE_OAUTH_${id.toUpperCase()}_CLIENT_ID or Settings`);
    }
  });

  it('the reader above finds the messages (it is not vacuous)', () => {
    expect(messages("throw new TriageError('bad-input', `Run \"triage sync\" now`, { cli: 'x' });")).toEqual(['Run "triage sync" now ']);
    expect(sources.flatMap((f) => messages(readFileSync(f, 'utf8'))).length).toBeGreaterThan(80);
  });

  it('the CLI adds its next step; the app never sees it', () => {
    const e = new TriageError('needs-force', 'A follow-up is already queued.', { cli: 'Use --force.' });
    expect(toApiError(e)).toEqual({ code: 'needs-force', message: 'A follow-up is already queued.' });
    expect(cliMessage(e)).toBe('A follow-up is already queued. Use --force.');
  });
});
