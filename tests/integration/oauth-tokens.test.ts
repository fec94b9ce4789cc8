// Access tokens that refresh themselves (main/core/auth/access-tokens.ts) against the loopback
// authorization server: before expiry, once on a refusal, one refresh for many callers, a rotated
// refresh token kept; and invalid_grant turning into the "sign in again" state, told once, with
// the refused token never sent again and a new grant clearing it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOAuth, type OAuthServer } from '../rig/oauth.js';
import { Store } from '../../main/core/store/store.js';
import type { AccountConfig } from '../../main/core/model.js';
import { AccessTokens, REFRESH_MARGIN_MS, envTokenVault, tokenEnvName, type TokenVault } from '../../main/core/auth/index.js';
import { removeDir, tempDir } from './helpers.js';

const PAT = 'pat@example.com';

const refreshes = (oauth: OAuthServer) => oauth.events.filter((e) => e.type === 'token' && e.grant === 'refresh_token');

function patAccount(clientId: string): AccountConfig {
  return {
    name: 'pat',
    imap: { host: '127.0.0.1', port: 1, security: 'none', user: PAT },
    addresses: [PAT],
    auth: { method: 'oauth2', provider: 'google', clientId },
    createdAt: new Date().toISOString(),
  };
}

describe('access tokens', () => {
  let oauth: OAuthServer;
  let rotating: OAuthServer;
  let dir: string;
  let store: Store;
  let vault: TokenVault;
  let clock: number;
  let told: string[];
  const tokensFor = (server: OAuthServer, extra: Record<string, string> = {}) =>
    new AccessTokens({
      store,
      vault,
      env: { TRIAGE_OAUTH_GOOGLE_ISSUER: server.issuer, ...extra },
      clock: () => clock,
      onSignInRequired: (account, message) => told.push(`${account}: ${message}`),
    });

  beforeAll(async () => {
    [oauth, rotating] = await Promise.all([startOAuth(), startOAuth({ rotateRefreshTokens: true })]);
  });
  afterAll(async () => {
    await Promise.all([oauth?.stop(), rotating?.stop()]);
  });
  beforeEach(async () => {
    dir = tempDir('triage-tokens-');
    store = await Store.open(dir);
    await store.saveAccount(patAccount(oauth.clientId));
    vault = envTokenVault({});
    clock = Date.now();
    told = [];
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('gives the held token while it has more than a minute left, refreshes it before it expires', async () => {
    const first = await oauth.signIn(PAT);
    const tokens = tokensFor(oauth);
    await tokens.saveGrant('pat', { accessToken: first.access_token, refreshToken: first.refresh_token!, expiresAt: clock + 3600_000, scope: null, idToken: null });
    const account = (await store.getAccount('pat'))!;
    const before = refreshes(oauth).length;
    expect(await tokens.accessToken(account)).toBe(first.access_token);
    expect(await tokens.state(account)).toMatchObject({ tokenState: 'valid' });

    clock += 3600_000 - REFRESH_MARGIN_MS + 1; // 59 s left: refreshed before use, not after a refusal
    const second = await tokens.accessToken(account);
    expect(second).not.toBe(first.access_token);
    expect(refreshes(oauth).length).toBe(before + 1);
    expect(oauth.introspect(second)).toMatchObject({ active: true, username: PAT });
    // Google's way: no new refresh token in the answer, the old one is kept.
    expect((await vault.get('pat'))?.refreshToken).toBe(first.refresh_token);
  });

  it('renews on demand (a server refused the token), once for every caller at the same moment', async () => {
    const first = await oauth.signIn(PAT);
    const tokens = tokensFor(oauth);
    await tokens.saveGrant('pat', { accessToken: first.access_token, refreshToken: first.refresh_token!, expiresAt: clock + 3600_000, scope: null, idToken: null });
    const account = (await store.getAccount('pat'))!;
    const before = refreshes(oauth).length;
    const got = await Promise.all([1, 2, 3, 4].map(() => tokens.accessToken(account, { renew: true })));
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toBe(first.access_token);
    expect(refreshes(oauth).length).toBe(before + 1);
  });

  it('keeps the new refresh token of a rotating provider (Microsoft’s way)', async () => {
    await store.saveAccount(patAccount(rotating.clientId));
    const first = await rotating.signIn(PAT);
    const tokens = tokensFor(rotating);
    await tokens.saveGrant('pat', { accessToken: first.access_token, refreshToken: first.refresh_token!, expiresAt: clock, scope: null, idToken: null });
    const account = (await store.getAccount('pat'))!;
    await tokens.accessToken(account);
    const kept = (await vault.get('pat'))!.refreshToken;
    expect(kept).not.toBe(first.refresh_token);
    expect(rotating.refreshTokens.get(first.refresh_token!)?.revoked).toBe(true);
    // The next refresh uses the new one (the old one stopped working when it was replaced).
    clock += 7200_000;
    const before = refreshes(rotating).filter((e) => e.ok).length;
    expect(rotating.introspect(await tokens.accessToken(account))).toMatchObject({ active: true });
    expect(refreshes(rotating).filter((e) => e.ok).length).toBe(before + 1);
  });

  it('invalid_grant: the account must sign in again, the user is told once, the refused token is not sent again; a new grant clears it', async () => {
    const first = await oauth.signIn(PAT);
    const tokens = tokensFor(oauth);
    await tokens.saveGrant('pat', { accessToken: first.access_token, refreshToken: first.refresh_token!, expiresAt: clock, scope: null, idToken: null });
    oauth.revokeRefreshToken(first.refresh_token!, { withAccessTokens: true });
    const account = (await store.getAccount('pat'))!;
    await expect(tokens.accessToken(account)).rejects.toMatchObject({ code: 'sign-in-required', message: expect.stringContaining('sign in again (Accounts → Sign in again)'), cli: 'In the terminal: triage account sign-in pat.' });
    const flagged = (await store.getAccount('pat'))!;
    expect(flagged.signInRequired).toMatchObject({ reason: 'invalid_grant: Token has been expired or revoked.' });
    expect(told).toHaveLength(1);
    expect(await tokens.state(flagged)).toMatchObject({ tokenState: 'sign-in-again', signInMessage: expect.stringContaining('nothing is lost') });

    // Asked again (the next sync, send-due): the same answer, no request to the provider, not told again.
    const before = oauth.events.length;
    await expect(tokens.accessToken(flagged)).rejects.toMatchObject({ code: 'sign-in-required' });
    await expect(tokens.accessToken(flagged, { renew: true })).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(oauth.events.length).toBe(before);
    expect(told).toHaveLength(1);
    // Another process (a fresh AccessTokens over the same store) does not tell again either.
    await expect(tokensFor(oauth).accessToken(flagged)).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(told).toHaveLength(1);

    // Signed in again: the flag goes, tokens flow.
    const again = await oauth.signIn(PAT);
    await tokens.saveGrant('pat', { accessToken: again.access_token, refreshToken: again.refresh_token!, expiresAt: clock + 3600_000, scope: null, idToken: null });
    const cleared = (await store.getAccount('pat'))!;
    expect(cleared.signInRequired).toBeUndefined();
    expect(await tokens.accessToken(cleared)).toBe(again.access_token);
  });

  it('a new refresh token in TRIAGE_OAUTH_TOKEN_<NAME> is tried even while flagged, and clears the flag when it works', async () => {
    const dead = await oauth.signIn(PAT);
    oauth.revokeRefreshToken(dead.refresh_token!);
    vault = envTokenVault({ [tokenEnvName('pat')]: dead.refresh_token! });
    await expect(tokensFor(oauth).accessToken((await store.getAccount('pat'))!)).rejects.toMatchObject({ code: 'sign-in-required' });
    expect((await store.getAccount('pat'))!.signInRequired).toBeDefined();

    const fresh = await oauth.signIn(PAT);
    vault = envTokenVault({ [tokenEnvName('pat')]: fresh.refresh_token! });
    const tokens = tokensFor(oauth);
    const flagged = (await store.getAccount('pat'))!;
    expect(await tokens.state(flagged)).toMatchObject({ tokenState: 'needs-refresh' });
    expect(oauth.introspect(await tokens.accessToken(flagged))).toMatchObject({ active: true });
    expect((await store.getAccount('pat'))!.signInRequired).toBeUndefined();
  });

  it('no grant at hand: "missing", and a sentence that says how to sign in (the CLI keeps none on disk)', async () => {
    const tokens = tokensFor(oauth);
    const account = (await store.getAccount('pat'))!;
    expect(await tokens.state(account)).toMatchObject({ tokenState: 'missing' });
    // The sentence is the app's too (Accounts → Sign in again); the terminal's ways are in its cli part.
    await expect(tokens.accessToken(account)).rejects.toMatchObject({ code: 'sign-in-required', message: expect.stringContaining('Accounts → Sign in again'), cli: expect.stringContaining(tokenEnvName('pat')) });
    expect((await store.getAccount('pat'))!.signInRequired).toBeUndefined();
    expect(told).toHaveLength(0);
  });
});
