// `triage account add NAME --oauth google --no-browser` and its friends, driven end to end: the real
// CLI as a child process prints the provider's URL, the test plays the browser with the rig's
// `browse`, Dovecot takes the tokens (oauth2 passdb). The CLI keeps no token on disk: a later
// command gets one from TRIAGE_OAUTH_TOKEN_<NAME> (or, on a terminal, a new browser sign-in).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { startOAuth, type OAuthServer } from '../rig/oauth.js';
import { buildMessage } from '../rig/mail.js';
import { removeDir, runCli, spawnCli, tempDir, type CliResult } from './helpers.js';

const PAT = 'pat@acme.test';

/** Runs the CLI; when it prints an http(s) URL on stdout, plays the browser signed in as `user`. */
function cliWithBrowser(oauth: OAuthServer, args: string[], env: Record<string, string>, user: string): Promise<CliResult & { url: string | null }> {
  return new Promise((resolve) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    let url: string | null = null;
    child.stdout!.on('data', (b: Buffer) => {
      stdout += b.toString();
      const line = stdout.split('\n').find((l) => /^https?:\/\//.test(l));
      if (line && !url) {
        url = line.trim();
        void oauth.browse(url, { user });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr, url }));
  });
}

/** Every file under the data dir, as text (to look for a token written in plain text). */
function allFiles(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allFiles(p) : readFileSync(p, 'latin1');
  }
  return out;
}

describe('the CLI with an OAuth2 account', () => {
  let oauth: OAuthServer;
  let dovecot: DovecotServer;
  const dir = tempDir('triage-oauth-cli-');
  let env: Record<string, string>;
  let refreshToken = '';
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(['--data-dir', dir, ...args], { ...env, ...extra });
  const listJson = async (extra: Record<string, string> = {}, ...flags: string[]) => {
    const r = await cli(['account', 'list', '--json', ...flags], extra);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    oauth = await startOAuth();
    dovecot = await startDovecot({ oauth2: { ...oauth, passwords: false } });
    const pat = await dovecot.addUser(PAT, 'unused');
    await pat.seed('INBOX', [{ raw: buildMessage({ from: 'bob@client.de', to: PAT, subject: 'Hello', date: new Date('2026-11-10T09:00:00Z') }) }]);
    // The test issuer instead of Google's; the client id comes from the flag below. No
    // TRIAGE_PASSWORD: an OAuth2 account never asks for one.
    env = { TRIAGE_OAUTH_GOOGLE_ISSUER: oauth.issuer, TRIAGE_OAUTH_GOOGLE_CLIENT_ID: '', TRIAGE_PASSWORD: '' };
  }, 120_000);
  afterAll(async () => {
    await dovecot?.stop();
    await oauth?.stop();
    removeDir(dir);
  });

  const addArgs = (extra: string[] = []) => [
    '--data-dir', dir, 'account', 'add', 'pat', '--oauth', 'google', '--user', PAT,
    '--imap-host', '127.0.0.1', '--imap-port', String(dovecot.port), '--security', 'none', '--timezone', 'Europe/London', ...extra,
  ];

  it('usage: --oauth takes google or microsoft; its flags need it', async () => {
    expect((await cli(['account', 'add', 'x', '--oauth', 'yahoo', '--user', PAT])).code).toBe(2);
    const r = await cli(['account', 'add', 'x', '--imap-host', 'h', '--imap-port', '993', '--user', PAT, '--client-id', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--client-id goes with --oauth');
  });

  it('a password account on an OAuth2-only server: refused before any password is asked for, with the way that works', async () => {
    // No TRIAGE_PASSWORD: were the CLI to ask, it would fail for want of one instead.
    const r = await cli(['account', 'add', 'pw', '--imap-host', '127.0.0.1', '--imap-port', String(dovecot.port), '--user', PAT, '--security', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('127.0.0.1 accepts only OAuth2 sign-in (it offers AUTH=XOAUTH2 and AUTH=OAUTHBEARER and no password login): a password cannot work there.');
    expect(r.stderr).toContain('--oauth');
    expect(await listJson()).toEqual([]);
  });

  it('without a client id it says how to get one, and offers the app-password path', async () => {
    const r = await cli(addArgs(['--no-browser']).slice(2));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Signing in with Google needs an OAuth client id, and none is configured');
    expect(r.stderr).toContain('docs/OAUTH.md');
    expect(r.stderr).toContain('--client-id, TRIAGE_OAUTH_GOOGLE_CLIENT_ID or Settings');
    expect(r.stderr).toContain('app password');
    expect(r.stdout).toBe('');
    expect(await listJson()).toEqual([]);
  });

  it('account add --oauth google --no-browser: prints the URL, the browser comes back, the account is added without a password', async () => {
    const r = await cliWithBrowser(oauth, addArgs(['--client-id', oauth.clientId, '--no-browser', '--print-refresh-token']), env, PAT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.url).toContain(`${oauth.authorizationEndpoint}?`);
    expect(new URL(r.url!).searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(r.stderr).toContain(`Sign in as ${PAT} with Google in your browser (open this address yourself):`);
    expect(r.stderr).toContain(`Signed in to 127.0.0.1 as ${PAT} with Google.`);
    expect(r.stderr).toContain('The command line keeps no token on disk');
    expect(r.stdout).toContain(`Added account pat (${PAT}).`);
    const line = r.stdout.split('\n').find((l) => l.startsWith('TRIAGE_OAUTH_TOKEN_PAT='));
    refreshToken = line!.slice('TRIAGE_OAUTH_TOKEN_PAT='.length);
    expect(oauth.refreshTokens.get(refreshToken)).toMatchObject({ user: PAT, revoked: false });
    // Nothing of the grant in the data dir.
    expect(allFiles(dir)).not.toContain(refreshToken);
  });

  it('account list --json: the sign-in method and the token state beside the fields it always had', async () => {
    const [pat] = await listJson();
    expect(pat).toMatchObject({ name: 'pat', user: PAT, imapHost: '127.0.0.1', imapSecurity: 'none', addresses: [PAT], auth: 'oauth2', provider: 'google', tokenState: 'missing', tokenExpiresAt: null, signInMessage: null });
    const table = await cli(['account', 'list']);
    expect(table.stdout).toMatch(/SIGN-IN[\s\S]*google \(no token in this process\)/);
  });

  it('sync: without a token it says where to put one; with TRIAGE_OAUTH_TOKEN_PAT it syncs, and --check proves the token valid', async () => {
    const without = await cli(['sync']);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('No sign-in for pat in this process');
    expect(without.stderr).toContain('TRIAGE_OAUTH_TOKEN_PAT');

    const withToken = await cli(['sync'], { TRIAGE_OAUTH_TOKEN_PAT: refreshToken });
    expect(withToken.code, withToken.stderr).toBe(0);
    const status = JSON.parse((await cli(['status', '--json'])).stdout) as Array<{ folders: Array<{ path: string; messages: number }> }>;
    expect(status[0].folders.find((f) => f.path === 'INBOX')?.messages).toBe(1);
    const [checked] = await listJson({ TRIAGE_OAUTH_TOKEN_PAT: refreshToken }, '--check');
    expect(checked).toMatchObject({ tokenState: 'valid', tokenExpiresAt: expect.stringMatching(/^\d{4}-/) });
    const [unchecked] = await listJson({ TRIAGE_OAUTH_TOKEN_PAT: refreshToken });
    expect(unchecked).toMatchObject({ tokenState: 'needs-refresh' });
  });

  it('a revoked refresh token: sync fails with "sign in again", account list shows it; account sign-in clears it', async () => {
    oauth.revokeRefreshToken(refreshToken, { withAccessTokens: true });
    const sync = await cli(['sync'], { TRIAGE_OAUTH_TOKEN_PAT: refreshToken });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('Google no longer accepts the saved sign-in of pat (invalid_grant');
    expect(sync.stderr).toContain('triage account sign-in pat');
    const [flagged] = await listJson();
    expect(flagged).toMatchObject({ tokenState: 'sign-in-again', signInMessage: expect.stringContaining('its follow-ups wait') });
    expect((await cli(['account', 'list'])).stdout).toContain('SIGN IN AGAIN');
    // The refused token is not sent to the provider again.
    const before = oauth.events.length;
    expect((await cli(['sync'], { TRIAGE_OAUTH_TOKEN_PAT: refreshToken })).code).toBe(1);
    expect(oauth.events.length).toBe(before);

    const again = await cliWithBrowser(oauth, ['--data-dir', dir, 'account', 'sign-in', 'pat', '--no-browser', '--print-refresh-token'], env, PAT);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('pat is signed in again');
    const fresh = again.stdout.split('\n').find((l) => l.startsWith('TRIAGE_OAUTH_TOKEN_PAT='))!.slice('TRIAGE_OAUTH_TOKEN_PAT='.length);
    const [cleared] = await listJson();
    expect(cleared).toMatchObject({ tokenState: 'missing', signInMessage: null });
    expect((await cli(['sync'], { TRIAGE_OAUTH_TOKEN_PAT: fresh })).code).toBe(0);
  });

  it('account sign-in refuses an unknown account, and wants a NAME', async () => {
    expect((await cli(['account', 'sign-in', 'nobody'])).code).toBe(1);
    expect((await cli(['account', 'sign-in'])).code).toBe(2);
  });
});
