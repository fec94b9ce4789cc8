// The browser sign-in (main/core/auth/flow.ts) against a real authorization server on loopback
// (tests/rig/oauth.ts: oauth2-mock-server with code + PKCE checks), an HTTP client playing the
// browser (`browse`). What must be refused is refused: a callback with another state, a code
// redeemed with a wrong verifier, an answer or tokens from a foreign issuer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth, type OAuthServer } from '../rig/oauth.js';
import { beginSignIn, isAuthorizationRequest, resolveProvider, type OAuthProvider } from '../../main/core/auth/index.js';

const PAT = 'pat@example.com';

/** What the tokens endpoint was asked, from the rig's event log. */
const tokenCalls = (oauth: OAuthServer) => oauth.events.filter((e) => e.type === 'token').length;

describe('browser sign-in: authorization code + PKCE (S256) on a one-shot 127.0.0.1 listener', () => {
  let oauth: OAuthServer;
  let foreign: OAuthServer;
  let provider: OAuthProvider;

  beforeAll(async () => {
    [oauth, foreign] = await Promise.all([startOAuth(), startOAuth()]);
    // The provider's endpoints from the test issuer's discovery document (TRIAGE_OAUTH_GOOGLE_ISSUER).
    provider = await resolveProvider('google', { env: { TRIAGE_OAUTH_GOOGLE_ISSUER: oauth.issuer } });
  });
  afterAll(async () => {
    await Promise.all([oauth?.stop(), foreign?.stop()]);
  });

  it('resolves the provider from the issuer’s discovery document, refusing one that names another issuer', async () => {
    expect(provider).toMatchObject({ id: 'google', issuer: oauth.issuer, authorizationEndpoint: oauth.authorizationEndpoint, tokenEndpoint: oauth.tokenEndpoint, scopes: ['https://mail.google.com/'] });
    // A discovery document fetched from one place that calls itself another issuer (RFC 8414 §3.3).
    const lying: typeof fetch = async (input, init) => {
      const r = await fetch(input, init);
      const doc = (await r.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...doc, issuer: foreign.issuer }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    await expect(resolveProvider('google', { env: { TRIAGE_OAUTH_GOOGLE_ISSUER: oauth.issuer }, fetch: lying })).rejects.toMatchObject({ code: 'server-refused' });
    // Plain http is accepted for this machine only.
    await expect(resolveProvider('microsoft', { env: { TRIAGE_OAUTH_MICROSOFT_ISSUER: 'http://auth.example.net' } })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('runs the whole flow: the browser comes back once, the page says the tab may be closed, the listener closes', async () => {
    const pending = await beginSignIn({ provider, clientId: oauth.clientId, loginHint: PAT });
    expect(pending.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = new URL(pending.url);
    expect(url.origin + url.pathname).toBe(oauth.authorizationEndpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: oauth.clientId,
      redirect_uri: pending.redirectUri,
      scope: 'https://mail.google.com/',
      code_challenge_method: 'S256',
      login_hint: PAT,
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isAuthorizationRequest(pending.url, provider.authorizationEndpoint)).toBe(true);

    const browser = await oauth.browse(pending.url, { user: PAT });
    expect(browser.callback).toMatchObject({ status: 200, body: expect.stringContaining('You may close this tab now.') });
    const tokens = await pending.tokens;
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3000_000);
    expect(oauth.introspect(tokens.accessToken)).toMatchObject({ active: true, username: PAT, client_id: oauth.clientId });
    // One answer only: the listener is gone.
    await expect(fetch(`${pending.redirectUri}?state=x&code=y`)).rejects.toThrow();
  });

  it('refuses a callback with another state and keeps waiting for the real one; the token endpoint never sees the forged code', async () => {
    const pending = await beginSignIn({ provider, clientId: oauth.clientId });
    const before = tokenCalls(oauth);
    const forged = await fetch(`${pending.redirectUri}?code=attacker-code&state=guessed`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('its state does not match');
    const noState = await fetch(`${pending.redirectUri}?code=attacker-code`);
    expect(noState.status).toBe(400);
    expect((await fetch(`${pending.redirectUri}favicon.ico`)).status).toBe(404);
    expect(tokenCalls(oauth)).toBe(before);
    // The real answer still ends the sign-in.
    await oauth.browse(pending.url, { user: PAT });
    expect((await pending.tokens).accessToken).toBeTruthy();
  });

  it('refuses a code redeemed with a wrong verifier (the server says invalid_grant; nothing is kept)', async () => {
    // A token request whose code_verifier is replaced on the way: what a stolen code without
    // the app's verifier amounts to.
    const tampering: typeof fetch = async (input, init) => {
      const body = new URLSearchParams(String(init?.body ?? ''));
      if (body.get('grant_type') === 'authorization_code') body.set('code_verifier', 'x'.repeat(43));
      return fetch(input, { ...init, body });
    };
    const pending = await beginSignIn({ provider, clientId: oauth.clientId, fetch: tampering });
    await oauth.browse(pending.url, { user: PAT });
    await expect(pending.tokens).rejects.toMatchObject({ code: 'server-refused', message: expect.stringMatching(/invalid_grant: Invalid code verifier/) });
  });

  it('refuses an answer naming a foreign issuer (RFC 9207 mix-up) before any code is exchanged', async () => {
    const pending = await beginSignIn({ provider, clientId: oauth.clientId });
    const r = await oauth.browse(pending.url, { user: PAT, follow: false });
    const before = tokenCalls(oauth);
    const back = new URL(r.redirectTo!);
    back.searchParams.set('iss', foreign.issuer);
    expect((await fetch(back)).status).toBe(200);
    await expect(pending.tokens).rejects.toMatchObject({ code: 'server-refused', message: expect.stringContaining(`another issuer (${foreign.issuer})`) });
    expect(tokenCalls(oauth)).toBe(before);
    // The same answer naming the right issuer is taken.
    const ok = await beginSignIn({ provider, clientId: oauth.clientId });
    const r2 = await oauth.browse(ok.url, { user: PAT, follow: false });
    const back2 = new URL(r2.redirectTo!);
    back2.searchParams.set('iss', oauth.issuer);
    await fetch(back2);
    expect((await ok.tokens).accessToken).toBeTruthy();
  });

  it('refuses tokens whose id_token comes from a foreign issuer (a token endpoint speaking for another server)', async () => {
    // The provider says it is `oauth`, but its endpoints are the foreign server's.
    const mixed: OAuthProvider = { ...(await resolveProvider('google', { env: { TRIAGE_OAUTH_GOOGLE_ISSUER: foreign.issuer } })), issuer: oauth.issuer, issuerMatches: (iss) => iss === oauth.issuer };
    const pending = await beginSignIn({ provider: mixed, clientId: foreign.clientId });
    await foreign.browse(pending.url, { user: PAT });
    await expect(pending.tokens).rejects.toMatchObject({ code: 'server-refused', message: expect.stringContaining(`issued by another issuer (${foreign.issuer})`) });
  });

  it('any loopback port is accepted: two sign-ins at once get two OS-assigned ports and both complete', async () => {
    const [a, b] = await Promise.all([beginSignIn({ provider, clientId: oauth.clientId }), beginSignIn({ provider, clientId: oauth.clientId })]);
    expect(a.redirectUri).not.toBe(b.redirectUri);
    await Promise.all([oauth.browse(b.url, { user: 'gina@example.org' }), oauth.browse(a.url, { user: PAT })]);
    const [ta, tb] = await Promise.all([a.tokens, b.tokens]);
    expect(oauth.introspect(ta.accessToken)).toMatchObject({ username: PAT });
    expect(oauth.introspect(tb.accessToken)).toMatchObject({ username: 'gina@example.org' });
  });

  it('a denied consent, a cancel and a browser that never comes back end the sign-in with a clear reason', async () => {
    const denied = await beginSignIn({ provider, clientId: oauth.clientId });
    await oauth.browse(denied.url, { user: PAT, consent: 'deny' });
    await expect(denied.tokens).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('cancelled in the browser (access_denied)') });

    const cancelled = await beginSignIn({ provider, clientId: oauth.clientId });
    cancelled.cancel();
    await expect(cancelled.tokens).rejects.toMatchObject({ message: 'The sign-in was cancelled.' });
    await expect(fetch(cancelled.redirectUri)).rejects.toThrow();

    const slow = await beginSignIn({ provider, clientId: oauth.clientId, timeoutMs: 200 });
    await expect(slow.tokens).rejects.toMatchObject({ code: 'timeout' });
    await expect(fetch(slow.redirectUri)).rejects.toThrow();
  });

  it('an unknown client id is said so, with where to register one', async () => {
    const pending = await beginSignIn({ provider, clientId: oauth.clientId });
    const tampering: typeof fetch = async (input, init) => fetch(input, { ...init, body: String(init?.body).replace(/client_id=[^&]+/, 'client_id=someone-else') });
    const wrong = await beginSignIn({ provider, clientId: oauth.clientId, fetch: tampering });
    await oauth.browse(wrong.url, { user: PAT });
    await expect(wrong.tokens).rejects.toMatchObject({ code: 'oauth-not-configured', message: expect.stringContaining('docs/OAUTH.md') });
    pending.cancel();
  });
});
