// Proves the OAuth2 parts of the test rig with real clients, as the OAuth2 sign-in feature will
// use them: the authorization server (code + PKCE by HTTP client, refresh, revocation), Dovecot
// logging users in with bearer tokens it checks at that server, an OAuth2-only Dovecot, and the
// SMTP rig taking XOAUTH2 and delivering into Dovecot.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { openSocket, readLines } from '../rig/net.js';
import { pkcePair, startOAuth, subjectOf, type OAuthServer } from '../rig/oauth.js';
import { startProxy } from '../rig/proxy.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';

const PAT = 'pat@example.com';
const GINA = 'gina@example.org';

function jwtParts(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

/** RS256 signature check of a JWT with the server's JWKS, as a client verifying an id_token would. */
async function verifiedBy(jwt: string, jwksUri: string): Promise<boolean> {
  const { keys } = (await (await fetch(jwksUri)).json()) as { keys: (Record<string, unknown> & { kid: string })[] };
  const { header } = jwtParts(jwt);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return false;
  const [h, p, sig] = jwt.split('.');
  return verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(sig, 'base64url'));
}

/** The app's side of the loopback redirect: a listener on a free port that takes the callback. */
async function loopbackListener(host = '127.0.0.1'): Promise<{ server: Server; redirectUri: string; hits: URL[] }> {
  const hits: URL[] = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Signed in. You can close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as { port: number };
  return { server, redirectUri: `http://${host.includes(':') ? `[${host}]` : host}:${port}/oauth2/callback`, hits };
}

function tokenImap(port: number, user: string, accessToken: string): ImapFlow {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, accessToken }, logger: false });
  client.on('error', () => {});
  return client;
}

/** AUTH=<mechanism> → whether this connection logged in with it. imapflow 2.10 keeps this map
 *  (authCapabilities) but its type declarations do not list it. */
function authCapabilities(client: ImapFlow): Map<string, boolean> {
  return (client as unknown as { authCapabilities: Map<string, boolean> }).authCapabilities;
}

/** The mechanisms of the user's logins so far, as Dovecot logged them ("Login: user=<...>,
 *  method=..."), oldest first. */
function dovecotLoginMethods(dovecot: DovecotServer, user: string): string[] {
  return readFileSync(join(dovecot.dir, 'dovecot.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(`Login: user=<${user}>`))
    .map((l) => /method=([A-Z0-9-]+)/.exec(l)?.[1] ?? '?');
}

/** The mechanism of the first login Dovecot logs after `seen` earlier ones. imap-login hands its
 *  lines to the log process, which writes them a moment later: wait for it. */
async function nextDovecotLoginMethod(dovecot: DovecotServer, user: string, seen: number): Promise<string | undefined> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const methods = dovecotLoginMethods(dovecot, user);
    if (methods.length > seen || Date.now() > deadline) return methods[seen];
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Logs in with a token; resolves with the SASL mechanism used, or the refusal. */
async function tokenLogin(port: number, user: string, accessToken: string): Promise<{ ok: true; mechanism: string } | { ok: false; code?: string; oauthError?: Record<string, unknown> }> {
  const client = tokenImap(port, user, accessToken);
  try {
    await client.connect();
    const mechanism = [...authCapabilities(client)].find(([, used]) => used)?.[0] ?? '?';
    await client.logout();
    return { ok: true, mechanism };
  } catch (err) {
    const e = err as { serverResponseCode?: string; oauthError?: Record<string, unknown> };
    return { ok: false, code: e.serverResponseCode, oauthError: e.oauthError };
  }
}

/** The capability line a server sends before login (CAPABILITY command, RFC 3501 6.1.1). */
async function preLoginCapabilities(port: number): Promise<string[]> {
  const socket = await openSocket(port);
  try {
    await readLines(socket, () => true);
    socket.write('a CAPABILITY\r\n');
    const lines = await readLines(socket, (l) => l.startsWith('a '));
    return lines.find((l) => l.startsWith('* CAPABILITY '))!.slice('* CAPABILITY '.length).split(' ');
  } finally {
    socket.destroy();
  }
}

/** The AUTH mechanisms an SMTP server offers after EHLO. */
async function smtpAuthMechanisms(port: number): Promise<string[]> {
  const socket = await openSocket(port);
  try {
    await readLines(socket, (l) => /^220 /.test(l));
    socket.write('EHLO client.test\r\n');
    const lines = await readLines(socket, (l) => /^250 /.test(l));
    const auth = lines.map((l) => l.slice(4)).find((l) => /^AUTH /i.test(l));
    socket.write('QUIT\r\n');
    return auth ? auth.split(' ').slice(1) : [];
  } finally {
    socket.destroy();
  }
}

describe('authorization server (oauth2-mock-server on 127.0.0.1)', () => {
  let oauth: OAuthServer;
  beforeAll(async () => {
    oauth = await startOAuth();
  });
  afterAll(() => oauth?.stop());

  it('publishes discovery on a loopback issuer with S256 PKCE and the code and refresh grants', async () => {
    expect(oauth.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const doc = (await (await fetch(oauth.openidConfigurationUrl)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: oauth.issuer,
      authorization_endpoint: oauth.authorizationEndpoint,
      token_endpoint: oauth.tokenEndpoint,
      jwks_uri: oauth.jwksUri,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
  });

  it('runs the code + PKCE flow driven by an HTTP client in place of the browser', async () => {
    const app = await loopbackListener();
    try {
      const pkce = pkcePair();
      const url = oauth.authorizationUrl({ redirectUri: app.redirectUri, state: 'st-1', challenge: pkce.challenge });
      const browser = await oauth.browse(url, { user: PAT });
      // The server redirected the browser to the app, and the browser followed.
      expect(browser.status).toBe(302);
      expect(browser.callback).toEqual({ status: 200, body: 'Signed in. You can close this window.' });
      expect(app.hits).toHaveLength(1);
      const callback = app.hits[0];
      expect(callback.pathname).toBe('/oauth2/callback');
      expect(callback.searchParams.get('state')).toBe('st-1');
      const code = callback.searchParams.get('code')!;

      const t = await oauth.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, code_verifier: pkce.verifier });
      expect(t.status).toBe(200);
      expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'https://mail.google.com/' });
      for (const k of ['access_token', 'refresh_token', 'id_token']) expect(typeof t.body[k]).toBe('string');

      // The id_token says who signed in; the client checks its signature and issuer.
      const idToken = String(t.body.id_token);
      expect(await verifiedBy(idToken, oauth.jwksUri)).toBe(true);
      expect(jwtParts(idToken).payload).toMatchObject({ iss: oauth.issuer, aud: oauth.clientId, sub: subjectOf(PAT), email: PAT, email_verified: true });
      expect(oauth.introspect(String(t.body.access_token))).toMatchObject({ active: true, username: PAT, client_id: oauth.clientId });
    } finally {
      app.server.close();
    }
  });

  it('refuses a wrong code_verifier (and the code is used up), a missing one, a reused code and another redirect_uri', async () => {
    const redirectUri = 'http://127.0.0.1:45678/cb';
    const codeFor = async (challenge: string) => {
      const r = await oauth.browse(oauth.authorizationUrl({ redirectUri, state: 's', challenge }), { user: PAT, follow: false });
      return r.code!;
    };
    const pkce = pkcePair();
    const exchange = (code: string, verifier: string | null, uri = redirectUri) =>
      oauth.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: uri, ...(verifier ? { code_verifier: verifier } : {}) });

    // Wrong verifier: invalid_grant, as Google and Microsoft answer; the code is then used up.
    let code = await codeFor(pkce.challenge);
    expect(await exchange(code, pkcePair().verifier)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } });
    expect(await exchange(code, pkce.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    code = await codeFor(pkce.challenge);
    expect(await exchange(code, null)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    code = await codeFor(pkce.challenge);
    expect((await exchange(code, pkce.verifier)).status).toBe(200);
    expect(await exchange(code, pkce.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    code = await codeFor(pkce.challenge);
    expect(await exchange(code, pkce.verifier, 'http://127.0.0.1:45679/cb')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange('made-up-code', pkce.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // Another client, and grants the app does not use, are refused before the mock mints anything.
    expect(await oauth.tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'someone-else' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await oauth.tokenRequest({ grant_type: 'client_credentials' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('returns the state unchanged: refusing a wrong state is the app’s job', async () => {
    // The server cannot know the app's state; it echoes whatever the request carried (RFC 6749
    // 4.1.2). A forged callback (an attacker's code and state sent to the app's loopback port)
    // never touches the server, so only the app can refuse it by comparing with the state it
    // generated. Product tests do that by calling the app's redirect_uri themselves.
    const state = 'a b/c?d=e&f+ü';
    const r = await oauth.browse(oauth.authorizationUrl({ redirectUri: 'http://127.0.0.1:45678/cb', state, challenge: pkcePair().challenge }), { user: PAT, follow: false });
    expect(r.state).toBe(state);
  });

  it('accepts any loopback port (127.0.0.1, [::1], localhost) and nothing else', async () => {
    const challenge = pkcePair().challenge;
    const tryUri = (redirectUri: string) => oauth.browse(oauth.authorizationUrl({ redirectUri, state: 's', challenge }), { user: PAT });
    const apps = await Promise.all([loopbackListener(), loopbackListener()]);
    try {
      expect(apps[0].redirectUri).not.toBe(apps[1].redirectUri);
      for (const app of apps) {
        const r = await tryUri(app.redirectUri);
        expect(r.code, app.redirectUri).toBeTruthy();
        expect(app.hits).toHaveLength(1);
      }
      // Not followed (no listener needed, and a machine may have no IPv6 loopback).
      for (const uri of ['http://localhost:50123/callback', 'http://[::1]:50124/cb', 'http://127.0.0.1:65535/']) {
        const r = await oauth.browse(oauth.authorizationUrl({ redirectUri: uri, state: 's', challenge }), { user: PAT, follow: false });
        expect(r.code, uri).toBeTruthy();
        expect(r.redirectTo?.origin).toBe(new URL(uri).origin);
      }
      // Not loopback, or not http: 400 and no redirect at all (RFC 6749 4.1.2.1).
      for (const bad of ['http://192.0.2.7:8080/cb', 'https://127.0.0.1:8443/cb', 'http://127.0.0.1.evil.test/cb', 'myapp:/cb']) {
        const r = await tryUri(bad);
        expect(r.status, bad).toBe(400);
        expect(r.redirectTo).toBeUndefined();
        expect(r.errorPage).toMatch(/redirect_uri_mismatch/);
      }
    } finally {
      apps.forEach((a) => a.server.close());
    }
  });

  it('refuses an unknown client, a request without S256 PKCE, and reports a denied consent', async () => {
    const redirectUri = 'http://127.0.0.1:45678/cb';
    const base = { redirectUri, state: 's-9', challenge: pkcePair().challenge };
    expect(await oauth.browse(oauth.authorizationUrl({ ...base, clientId: 'someone-else' }), { user: PAT })).toMatchObject({ status: 400, errorPage: expect.stringMatching(/invalid_client/) });

    const noPkce = new URL(oauth.authorizationUrl(base));
    noPkce.searchParams.delete('code_challenge');
    expect(await oauth.browse(noPkce.href, { user: PAT, follow: false })).toMatchObject({ status: 302, error: 'invalid_request', state: 's-9' });
    noPkce.searchParams.set('code_challenge', base.challenge);
    noPkce.searchParams.set('code_challenge_method', 'plain');
    expect(await oauth.browse(noPkce.href, { user: PAT, follow: false })).toMatchObject({ error: 'invalid_request' });

    const denied = await oauth.browse(oauth.authorizationUrl(base), { user: PAT, consent: 'deny', follow: false });
    expect(denied).toMatchObject({ status: 302, error: 'access_denied', state: 's-9' });
    expect(denied.code).toBeUndefined();

    // No signed-in user in the "browser" and no default: a login page the test cannot pass.
    expect((await oauth.browse(oauth.authorizationUrl(base))).status).toBe(401);
  });

  it('refreshes with a refresh token (no new one, Google-style) until it is revoked: then invalid_grant', async () => {
    const tokens = await oauth.signIn(PAT);
    const r1 = await oauth.refresh(tokens.refresh_token!);
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).toBeUndefined();
    expect(r1.body.access_token).not.toBe(tokens.access_token);
    expect(oauth.introspect(String(r1.body.access_token))).toMatchObject({ active: true, username: PAT });
    expect((await oauth.refresh(tokens.refresh_token!)).status).toBe(200);

    oauth.revokeRefreshToken(tokens.refresh_token!);
    expect(await oauth.refresh(tokens.refresh_token!)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    // Access tokens already issued keep working until they expire (unless withAccessTokens).
    expect(oauth.introspect(tokens.access_token).active).toBe(true);
    expect(await oauth.refresh('never-issued')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('revokes through the RFC 7009 endpoint: the refresh token and its access tokens', async () => {
    const tokens = await oauth.signIn(PAT);
    const r = await fetch(oauth.revocationEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokens.refresh_token! }) });
    expect(r.status).toBe(200);
    expect((await oauth.refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(oauth.introspect(tokens.access_token)).toEqual({ active: false });
  });

  it('revokes everything of one user (access removed in their account)', async () => {
    const [p1, p2, g] = await Promise.all([oauth.signIn(PAT), oauth.signIn(PAT), oauth.signIn(GINA)]);
    oauth.revokeUser(PAT);
    expect([p1, p2].map((t) => oauth.introspect(t.access_token).active)).toEqual([false, false]);
    expect((await oauth.refresh(p2.refresh_token!)).body.error).toBe('invalid_grant');
    expect(oauth.introspect(g.access_token).active).toBe(true);
  });

  it('asks for the client secret when one is configured (Google desktop clients have one)', async () => {
    const confidential = await startOAuth({ clientSecret: 'not-so-secret', defaultUser: PAT });
    try {
      const tokens = await confidential.signIn(PAT); // tokenRequest adds the configured secret
      expect(await confidential.refresh(tokens.refresh_token!)).toMatchObject({ status: 200 });
      expect(await confidential.tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_secret: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      // HTTP Basic client authentication (RFC 6749 2.3.1) works as well.
      const basic = Buffer.from(`${encodeURIComponent(confidential.clientId)}:not-so-secret`).toString('base64');
      const r = await fetch(confidential.tokenEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      });
      expect(r.status).toBe(200);
      // defaultUser: who is signed in when the browser brings no user.
      const pkce = pkcePair();
      const r2 = await confidential.browse(confidential.authorizationUrl({ redirectUri: 'http://127.0.0.1:45678/cb', state: 's', challenge: pkce.challenge }), { follow: false });
      expect(r2.code).toBeTruthy();
    } finally {
      await confidential.stop();
    }
  });

  it('rotates refresh tokens when asked (the old one then fails)', async () => {
    const rotating = await startOAuth({ rotateRefreshTokens: true });
    try {
      const tokens = await rotating.signIn(PAT);
      const r = await rotating.refresh(tokens.refresh_token!);
      expect(r.status).toBe(200);
      expect(typeof r.body.refresh_token).toBe('string');
      expect(r.body.refresh_token).not.toBe(tokens.refresh_token);
      expect((await rotating.refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
      expect((await rotating.refresh(String(r.body.refresh_token))).status).toBe(200);
    } finally {
      await rotating.stop();
    }
  });

  it('answers Dovecot-style introspection (POST form token=...) per token: expired, revoked, unknown', async () => {
    const introspect = async (token: string) =>
      (await fetch(oauth.introspectionUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${encodeURIComponent(token)}` })).json();
    oauth.setAccessTokenTtl(1);
    const short = await oauth.signIn(PAT);
    oauth.setAccessTokenTtl(3600);
    expect(short.expires_in).toBe(1);
    expect(jwtParts(short.access_token).payload.exp).toBe((jwtParts(short.access_token).payload.iat as number) + 1);
    expect(await introspect(short.access_token)).toMatchObject({ active: true, username: PAT, iss: oauth.issuer });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await introspect(short.access_token)).toEqual({ active: false });

    const a = await oauth.signIn(PAT);
    const b = await oauth.signIn(PAT);
    oauth.revokeAccessToken(a.access_token);
    oauth.expireAccessToken(b.access_token);
    expect(await introspect(a.access_token)).toEqual({ active: false });
    expect(await introspect(b.access_token)).toEqual({ active: false });
    expect(await introspect('not-a-token')).toEqual({ active: false });
    const reasons = oauth.events.filter((e) => e.type === 'introspect' && !e.ok).map((e) => e.error);
    expect(reasons.slice(-4)).toEqual(['expired', 'revoked', 'expired', 'unknown']);
  });
});

describe('Dovecot with the oauth2 passdb', () => {
  let oauth: OAuthServer;
  let foreign: OAuthServer;
  let dovecot: DovecotServer;
  let pat: MailUser;

  beforeAll(async () => {
    [oauth, foreign] = await Promise.all([startOAuth(), startOAuth()]);
    dovecot = await startDovecot({ oauth2: oauth });
    pat = await dovecot.addUser(PAT, 'pat-password');
    await dovecot.addUser(GINA, 'gina-password');
    const day = (n: number) => new Date(Date.UTC(2024, 0, n, 9));
    await pat.seed('INBOX', [1, 2, 3].map((n) => ({ raw: buildMessage({ from: 'lee@example.net', to: PAT, subject: `Hello ${n}`, date: day(n) }), internalDate: day(n) })));
  });
  afterAll(async () => {
    await dovecot?.stop();
    await Promise.all([oauth?.stop(), foreign?.stop()]);
  });

  it('logs imapflow in with { user, accessToken } over OAUTHBEARER and serves the mailbox', async () => {
    const { access_token } = await oauth.signIn(PAT);
    const seen = dovecotLoginMethods(dovecot, PAT).length; // addUser's PLAIN probe logins
    const client = tokenImap(dovecot.port, PAT, access_token);
    await client.connect();
    try {
      // Advertised both; imapflow 2.10 prefers OAUTHBEARER.
      expect(authCapabilities(client)).toEqual(new Map([['AUTH=PLAIN', false], ['AUTH=LOGIN', false], ['AUTH=XOAUTH2', false], ['AUTH=OAUTHBEARER', true]]));
      const status = await client.status('INBOX', { messages: true });
      expect(status && status.messages).toBe(3);
    } finally {
      await client.logout();
    }
    expect(await nextDovecotLoginMethod(dovecot, PAT, seen)).toBe('OAUTHBEARER');
    expect(oauth.events.filter((e) => e.type === 'introspect' && e.ok && e.user === PAT).length).toBeGreaterThan(0);
  });

  it('still logs password users in with PLAIN on the same server', async () => {
    const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: PAT, pass: 'pat-password' }, logger: false });
    client.on('error', () => {});
    await client.connect();
    expect(authCapabilities(client).get('AUTH=PLAIN')).toBe(true);
    await client.logout();
  });

  it('refuses an expired, a revoked, an unknown and another user’s token, and one from a foreign issuer', async () => {
    const refused = { ok: false, code: 'AUTHENTICATIONFAILED', oauthError: expect.objectContaining({ status: 'invalid_token', 'openid-configuration': oauth.openidConfigurationUrl }) };
    const expired = await oauth.signIn(PAT);
    oauth.expireAccessToken(expired.access_token);
    const revoked = await oauth.signIn(PAT);
    oauth.revokeAccessToken(revoked.access_token);
    const ginas = await oauth.signIn(GINA);
    const fromForeign = await foreign.signIn(PAT);
    // A token of another issuer is a well-formed JWT for the same user; only its issuer knows it.
    expect(jwtParts(fromForeign.access_token).payload).toMatchObject({ iss: foreign.issuer, email: PAT });
    const results = await Promise.all([
      tokenLogin(dovecot.port, PAT, expired.access_token),
      tokenLogin(dovecot.port, PAT, revoked.access_token),
      tokenLogin(dovecot.port, PAT, 'ya29.not-a-token'),
      tokenLogin(dovecot.port, PAT, ginas.access_token),
      tokenLogin(dovecot.port, PAT, fromForeign.access_token),
    ]);
    for (const r of results) expect(r).toEqual(refused);
    expect(await tokenLogin(dovecot.port, GINA, ginas.access_token)).toEqual({ ok: true, mechanism: 'AUTH=OAUTHBEARER' });
  });

  it('token expiring mid-sync: the open session goes on, a reconnect is refused until the app refreshes', async () => {
    const tokens = await oauth.signIn(PAT);
    const proxy = await startProxy(dovecot.port);
    try {
      const client = tokenImap(proxy.port, PAT, tokens.access_token);
      await client.connect();
      await client.mailboxOpen('INBOX');
      const first = await client.fetchOne('1', { envelope: true });
      expect(first && first.envelope?.subject).toBe('Hello 1');

      // Dovecot checks the token at login only: an established session outlives it.
      oauth.expireAccessToken(tokens.access_token);
      expect((await client.fetchOne('2', { envelope: true }) || undefined)?.envelope?.subject).toBe('Hello 2');

      // The link drops; the app reconnects with the token it has and is refused...
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      proxy.cutAll();
      await closed;
      expect(await tokenLogin(proxy.port, PAT, tokens.access_token)).toMatchObject({ ok: false, code: 'AUTHENTICATIONFAILED' });
      // ...refreshes once, and the sync completes.
      const refreshed = await oauth.refresh(tokens.refresh_token!);
      expect(refreshed.status).toBe(200);
      const again = tokenImap(proxy.port, PAT, String(refreshed.body.access_token));
      await again.connect();
      await again.mailboxOpen('INBOX');
      const subjects = [];
      for await (const m of again.fetch('2:*', { envelope: true })) subjects.push(m.envelope?.subject);
      expect(subjects).toEqual(['Hello 2', 'Hello 3']);
      await again.logout();
    } finally {
      await proxy.close();
    }
  });

  it('answers a temporary failure (not "bad token") while the introspection endpoint is down', async () => {
    const { access_token } = await oauth.signIn(PAT);
    oauth.setIntrospectionOutage(true);
    try {
      expect(await tokenLogin(dovecot.port, PAT, access_token)).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
    } finally {
      oauth.setIntrospectionOutage(false);
    }
    expect(await tokenLogin(dovecot.port, PAT, access_token)).toEqual({ ok: true, mechanism: 'AUTH=OAUTHBEARER' });
  });

  it('with only XOAUTH2 enabled, imapflow uses XOAUTH2 (Google’s failure JSON on refusal)', async () => {
    const xo = await startDovecot({ oauth2: { ...oauth, mechanisms: ['xoauth2'] } });
    try {
      await xo.addUser(PAT, 'pat-password');
      const { access_token } = await oauth.signIn(PAT);
      const seen = dovecotLoginMethods(xo, PAT).length;
      expect(await tokenLogin(xo.port, PAT, access_token)).toEqual({ ok: true, mechanism: 'AUTH=XOAUTH2' });
      expect(await nextDovecotLoginMethod(xo, PAT, seen)).toBe('XOAUTH2');
      oauth.expireAccessToken(access_token);
      expect(await tokenLogin(xo.port, PAT, access_token)).toMatchObject({ ok: false, code: 'AUTHENTICATIONFAILED', oauthError: { status: '401', schemes: 'bearer' } });
    } finally {
      await xo.stop();
    }
  });
});

describe('OAuth2-only Dovecot', () => {
  let oauth: OAuthServer;
  beforeAll(async () => {
    oauth = await startOAuth();
  });
  afterAll(() => oauth?.stop());

  it('advertises AUTH=XOAUTH2 and AUTH=OAUTHBEARER, no PLAIN/LOGIN, LOGINDISABLED; tokens work, passwords do not', async () => {
    const dovecot = await startDovecot({ oauth2: { ...oauth, passwords: false } });
    try {
      await dovecot.addUser(PAT, 'unused');
      const caps = await preLoginCapabilities(dovecot.port);
      expect(caps.filter((c) => c.startsWith('AUTH='))).toEqual(['AUTH=XOAUTH2', 'AUTH=OAUTHBEARER']);
      expect(caps).toContain('LOGINDISABLED');

      const { access_token } = await oauth.signIn(PAT);
      expect(await tokenLogin(dovecot.port, PAT, access_token)).toEqual({ ok: true, mechanism: 'AUTH=OAUTHBEARER' });
      const withPassword = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: PAT, pass: 'unused' }, logger: false });
      withPassword.on('error', () => {});
      await expect(withPassword.connect()).rejects.toThrow();
    } finally {
      await dovecot.stop();
    }
  });

  it('can advertise AUTH=XOAUTH2 alone (the case of the connection test’s "OAuth2 only" message)', async () => {
    const dovecot = await startDovecot({ oauth2: { ...oauth, passwords: false, mechanisms: ['xoauth2'] } });
    try {
      expect((await preLoginCapabilities(dovecot.port)).filter((c) => c.startsWith('AUTH='))).toEqual(['AUTH=XOAUTH2']);
    } finally {
      await dovecot.stop();
    }
  });
});

describe('SMTP with XOAUTH2', () => {
  let oauth: OAuthServer;
  let dovecot: DovecotServer;
  let smtp: SmtpServer;

  beforeAll(async () => {
    oauth = await startOAuth();
    dovecot = await startDovecot({ oauth2: oauth });
    await dovecot.addUser(PAT, 'pat-password');
    await dovecot.addUser(GINA, 'gina-password');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, oauth2: oauth });
  });
  afterAll(async () => {
    await smtp?.close();
    await dovecot?.stop();
    await oauth?.stop();
  });

  const mail = (subject: string) => ({ from: PAT, to: GINA, subject, text: 'Following up.' });

  it('offers AUTH XOAUTH2 only', async () => {
    expect(await smtpAuthMechanisms(smtp.port)).toEqual(['XOAUTH2']);
  });

  it('sends a follow-up with a token (nodemailer auth type OAuth2) and it lands in Dovecot', async () => {
    const { access_token } = await oauth.signIn(PAT);
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true, auth: { type: 'OAuth2', user: PAT, accessToken: access_token } });
    const info = await transport.sendMail(mail('Follow-up with a token'));
    expect(info.accepted).toEqual([GINA]);
    expect(smtp.auths.at(-1)).toEqual({ method: 'XOAUTH2', user: PAT, ok: true });

    // Gina reads it with her own token.
    const gina = await oauth.signIn(GINA);
    const client = tokenImap(dovecot.port, GINA, gina.access_token);
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const uids = await client.search({ header: { 'message-id': info.messageId } }, { uid: true });
      expect(uids).toHaveLength(1);
    } finally {
      await client.logout();
    }
  });

  it('refuses an expired token with 535 (after the XOAUTH2 334 challenge) and takes no mail', async () => {
    const { access_token } = await oauth.signIn(PAT);
    oauth.expireAccessToken(access_token);
    const before = smtp.received.length;
    const authsBefore = smtp.auths.length;
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true, auth: { type: 'OAuth2', user: PAT, accessToken: access_token } });
    await expect(transport.sendMail(mail('Expired'))).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    // nodemailer asks its token source for a new token once after the 334; with nothing to
    // refresh with it retries the same one.
    expect(smtp.auths.slice(authsBefore)).toEqual([
      { method: 'XOAUTH2', user: PAT, ok: false },
      { method: 'XOAUTH2', user: PAT, ok: false },
    ]);
    expect(smtp.received.length).toBe(before);
  });

  it('refuses a token of another user', async () => {
    const { access_token } = await oauth.signIn(GINA);
    const transport = nodemailer.createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true, auth: { type: 'OAuth2', user: PAT, accessToken: access_token } });
    await expect(transport.sendMail(mail('Wrong user'))).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
  });

  it('an expired token is refreshed once at the token endpoint and the follow-up goes out', async () => {
    const tokens = await oauth.signIn(PAT);
    oauth.expireAccessToken(tokens.access_token);
    const refreshesBefore = oauth.events.filter((e) => e.type === 'token' && e.grant === 'refresh_token').length;
    const authsBefore = smtp.auths.length;
    // What the app would do: hand nodemailer its stored token, and on renew=true refresh it.
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
      auth: {
        type: 'OAuth2',
        user: PAT,
        accessToken: tokens.access_token,
        provisionCallback: (_user: string, renew: boolean, cb: (err: Error | null, token?: string) => void) => {
          if (!renew) return cb(null, tokens.access_token);
          oauth.refresh(tokens.refresh_token!).then(
            (r) => (r.status === 200 ? cb(null, String(r.body.access_token)) : cb(new Error(`refresh failed: ${String(r.body.error)}`))),
            (err: Error) => cb(err),
          );
        },
      },
    });
    const info = await transport.sendMail(mail('Refreshed'));
    expect(info.accepted).toEqual([GINA]);
    expect(smtp.auths.slice(authsBefore).map((a) => a.ok)).toEqual([false, true]);
    expect(oauth.events.filter((e) => e.type === 'token' && e.grant === 'refresh_token').length).toBe(refreshesBefore + 1);
  });

  it('with a revoked refresh token the send fails (the app keeps the follow-up queued)', async () => {
    const tokens = await oauth.signIn(PAT);
    oauth.expireAccessToken(tokens.access_token);
    oauth.revokeRefreshToken(tokens.refresh_token!);
    const before = smtp.received.length;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      ignoreTLS: true,
      auth: {
        type: 'OAuth2',
        user: PAT,
        accessToken: tokens.access_token,
        provisionCallback: (_user: string, renew: boolean, cb: (err: Error | null, token?: string) => void) => {
          if (!renew) return cb(null, tokens.access_token);
          oauth.refresh(tokens.refresh_token!).then((r) => (r.status === 200 ? cb(null, String(r.body.access_token)) : cb(new Error(`refresh failed: ${String(r.body.error)}`))));
        },
      },
    });
    await expect(transport.sendMail(mail('Revoked'))).rejects.toMatchObject({ code: 'EAUTH', message: expect.stringMatching(/invalid_grant/) });
    expect(smtp.received.length).toBe(before);
  });
});
