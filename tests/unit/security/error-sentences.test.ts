// Issue 15: "every API error the app shows is a sentence for that screen, never a CLI command".
// The app shows a TriageError's message as it is; what only a terminal user can do next (a
// command, a flag) goes into its `cli` part, which the CLI prints after the sentence. This reads
// every `new TriageError(code, message…)` in main/core and main/app and checks the message.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TriageError, cliMessage, toApiError } from '../../../main/core/errors.js';
import { AccessTokens, OAUTH_PROVIDER_IDS, judgeImapAuth, oauthOnlyMessage, resolveClient, signInAgainMessage, type StoredGrant, type TokenVault } from '../../../main/core/auth/index.js';
import { accountFromInput } from '../../../main/core/accounts/index.js';
import type { Store } from '../../../main/core/store/index.js';
import type { AccountConfig } from '../../../main/core/model.js';

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

// Sentences made by a function rather than written at the `new TriageError`: the reader above
// cannot see them, so each is called here, as the app would show it.
describe('sentences the Accounts view shows for OAuth2 accounts', () => {
  const account = (): AccountConfig => ({
    ...accountFromInput({ name: 'pat', imap: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'pat@gmail.com' } }, new Date()),
    auth: { method: 'oauth2', provider: 'google', clientId: 'c-1.apps.googleusercontent.com' },
  });
  const vault = (grant: StoredGrant | null, persistent: boolean): TokenVault => ({ persistent, get: async () => grant, set: async () => undefined, remove: async () => undefined });
  const store = (a: AccountConfig) => ({ getAccount: async () => a, saveAccount: async () => undefined }) as unknown as Store;
  const thrown = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  it('"sign in again": the app’s way in the sentence, the command only in the CLI’s part', async () => {
    const flagged = { ...account(), signInRequired: { since: '2026-12-01T10:00:00Z', reason: 'invalid_grant: Token has been expired or revoked.', token: 'x' } };
    expect(signInAgainMessage(flagged, 'invalid_grant')).toContain('Accounts → Sign in again');
    expect(signInAgainMessage(flagged, 'invalid_grant')).not.toMatch(CLI_WORDS);
    // No grant at hand: the desktop app's vault (persistent) and the CLI's or serve's (memory).
    for (const persistent of [true, false]) {
      const tokens = new AccessTokens({ store: store(account()), vault: vault(null, persistent), env: {} });
      const e = await thrown(tokens.accessToken(account(), { interactive: false }));
      expect(toApiError(e)).toMatchObject({ code: 'sign-in-required', message: expect.stringContaining('Accounts → Sign in again') });
      expect(toApiError(e).message).not.toMatch(CLI_WORDS);
      expect(cliMessage(e)).toContain('triage account sign-in pat');
    }
  });

  it('"accepts only OAuth2 sign-in" names the app’s button, not the command', () => {
    for (const host of ['outlook.office365.com', 'imap.gmail.com', '127.0.0.1']) {
      expect(oauthOnlyMessage(host, judgeImapAuth(['IMAP4rev1', 'AUTH=XOAUTH2'], host))).not.toMatch(CLI_WORDS);
    }
  });
});
