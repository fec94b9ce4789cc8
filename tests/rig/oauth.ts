// An OAuth2 authorization server on loopback for the OAuth2 sign-in tests: `oauth2-mock-server`
// (npm, 7.x) issues the codes and JWTs and serves discovery and JWKS; this module puts a thin
// front in the same HTTP server that makes it behave like Google's or Microsoft's server where the
// mock is lax, and keeps a registry of every token it issued so that Dovecot (oauth2 passdb) and
// the SMTP rig can ask whether a token is good. Tests control the tokens: short lifetimes,
// expire now, revoke.
//
// What the front adds to the mock (each because the mock alone would let a broken client pass):
//  - /authorize: the client_id must be the registered one and the redirect_uri an http loopback
//    URI on any port (RFC 8252 7.3: 127.0.0.1, [::1] or localhost), else 400 with no redirect
//    (RFC 6749 4.1.2.1); PKCE with S256 is required (RFC 7636 4.4.1: invalid_request redirect).
//    There is no login page: the signed-in user is the browser's (the `rig_user` cookie that
//    `browse()` sends), else the login_hint, else the server's default user.
//  - /token: the mock accepts any code and any refresh token (and a code without its verifier).
//    The front reads the form first: a code must be one this server issued, unused, under 10
//    minutes old, for the same client and redirect_uri, and redeemed with the verifier of its S256
//    challenge; a refresh token must be known and not revoked. Failures answer 400 `invalid_grant`
//    as Google and Microsoft do (the mock says `invalid_request` for a wrong verifier), a wrong
//    client 401 `invalid_client`; only a request that passes reaches the mock, which mints the
//    tokens. The parsed form is handed on as req.body with body-parser's `_body` flag (express 4,
//    body-parser 1.x skip a parsed body), since the request stream can only be read once.
//  - /introspect (RFC 7662) answers from the registry: POST form `token=...` → {active, username,
//    ...}. The mock's own /introspect does not read a form body (what Dovecot posts) and says
//    active for every token.
//  - /revoke (RFC 7009) revokes in the registry (the mock's only answers 200).
// Tokens carry the user in `sub` (a stable id), `email` and `preferred_username`; refresh
// responses carry no new refresh token (Google's way) unless `rotateRefreshTokens`.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { OAuth2Server, type MutableRedirectUri, type MutableResponse, type MutableToken } from 'oauth2-mock-server';
import { LOOPBACK } from './net.js';

export const DEFAULT_CLIENT_ID = 'inbox-triage-test.apps.rig.test';
/** Google's scope for IMAP/SMTP; Microsoft's would be outlook.office.com/IMAP.AccessAsUser.All etc. */
export const DEFAULT_SCOPE = 'https://mail.google.com/';
const CODE_TTL_MS = 10 * 60_000;

export interface OAuthOptions {
  /** The registered client. Default DEFAULT_CLIENT_ID. */
  clientId?: string;
  /** When set, the token endpoint wants it (body client_secret or HTTP Basic), as Google does for
   *  desktop apps. Default: a public client (Microsoft's way), no secret asked for. */
  clientSecret?: string;
  /** Access-token lifetime in seconds (expires_in, JWT exp, introspection). Default 3600. */
  accessTokenTtl?: number;
  /** Each refresh answer brings a new refresh token and the old one stops working (strict
   *  rotation). Default false: no new refresh token, the old one stays good (Google). */
  rotateRefreshTokens?: boolean;
  /** Who is signed in at the provider when the browser brings no `rig_user` cookie and the
   *  request no login_hint. */
  defaultUser?: string;
}

export interface AccessTokenRecord {
  token: string;
  user: string;
  clientId: string;
  scope: string;
  issuedAt: number; // ms
  expiresAt: number; // ms
  revoked: boolean;
  /** The refresh token of the grant this access token belongs to. */
  refreshToken: string;
}

export interface RefreshTokenRecord {
  token: string;
  user: string;
  clientId: string;
  scope: string;
  issuedAt: number;
  revoked: boolean;
}

/** RFC 7662 2.2. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      username: string;
      email: string;
      sub: string;
      scope: string;
      client_id: string;
      token_type: 'Bearer';
      iat: number;
      exp: number;
      iss: string;
    };

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
}

export interface OAuthEvent {
  at: number;
  type: 'authorize' | 'token' | 'introspect' | 'revoke';
  /** grant_type for 'token'. */
  grant?: string;
  ok: boolean;
  user?: string;
  /** error code (invalid_grant, ...) when refused; for introspect, why the token is inactive. */
  error?: string;
}

export interface BrowseOptions {
  /** The user signed in at the provider in this "browser" (sent as the rig_user cookie). */
  user?: string;
  /** 'deny': the user presses Cancel on the consent screen (error=access_denied). */
  consent?: 'allow' | 'deny';
  /** Follow the redirect to the app's loopback redirect_uri like a browser. Default true. */
  follow?: boolean;
}

export interface BrowseResult {
  /** The authorization server's answer to GET authorize: 302 when it redirects to the app. */
  status: number;
  /** Where the server sent the browser (the app's redirect_uri with code/state or error). */
  redirectTo?: URL;
  code?: string;
  state?: string;
  error?: string;
  /** The error page text when the server did not redirect (bad client_id or redirect_uri). */
  errorPage?: string;
  /** What the app's loopback listener answered when the browser followed the redirect. */
  callback?: { status: number; body: string } | { error: string };
}

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export interface OAuthServer {
  /** http://127.0.0.1:PORT, the `iss` of every token and of the discovery document. */
  issuer: string;
  port: number;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** RFC 7662 endpoint: point Dovecot's oauth2 passdb here (introspection_mode = post). */
  introspectionUrl: string;
  revocationEndpoint: string;
  openidConfigurationUrl: string;
  jwksUri: string;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  /** Everything that happened, in order (e.g. count refresh grants). */
  events: OAuthEvent[];

  /** Builds an authorization URL the way the app should (response_type=code, S256 PKCE). */
  authorizationUrl(p: { redirectUri: string; state: string; challenge: string; scope?: string; loginHint?: string; clientId?: string }): string;
  /** Plays the browser: GET the authorization URL, then follow the redirect to the app. */
  browse(authorizationUrl: string, opts?: BrowseOptions): Promise<BrowseResult>;
  /** POST to the token endpoint with these form fields (client_id added unless given). */
  tokenRequest(fields: Record<string, string>): Promise<HttpResult>;
  /** The whole code + PKCE flow for `user` without an app: tokens ready for a test account. */
  signIn(user: string, opts?: { scope?: string }): Promise<TokenResponse>;
  /** A refresh grant; 200 with tokens or 400 `invalid_grant`. */
  refresh(refreshToken: string): Promise<HttpResult>;

  /** What the introspection endpoint would answer right now (the SMTP rig calls this). */
  introspect(token: string): Introspection;
  /** Lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** The token (or all of a user's tokens) expires now: introspection says inactive. */
  expireAccessToken(token: string): void;
  expireAccessTokensOf(user: string): void;
  revokeAccessToken(token: string): void;
  /** The refresh grant answers invalid_grant from now on ("sign in again"). With
   *  withAccessTokens the grant's access tokens stop working too (what Google's revocation
   *  endpoint does). */
  revokeRefreshToken(token: string, opts?: { withAccessTokens?: boolean }): void;
  /** Every token of the user, e.g. the user removed the app's access in their account. */
  revokeUser(user: string): void;
  setDefaultUser(user: string | undefined): void;
  /** While on, /introspect answers 503: Dovecot reports a temporary failure, not a bad token. */
  setIntrospectionOutage(on: boolean): void;
  stop(): Promise<void>;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

/** RFC 7636 4.1/4.2: a 43-char verifier from 32 random bytes and its S256 challenge. */
export function pkcePair(): Pkce {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: s256(verifier), method: 'S256' };
}

export function s256(verifier: string): string {
  return b64url(createHash('sha256').update(verifier).digest());
}

/** A stable opaque subject id for a user (what `sub` is at Google and Microsoft). */
export function subjectOf(user: string): string {
  return createHash('sha256').update(user.toLowerCase()).digest('hex').slice(0, 21);
}

/** RFC 8252 7.3 (and what Google and Microsoft accept for desktop apps): http, a loopback host,
 *  any port. */
export function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && !url.hash;
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendPage(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

interface CodeRecord {
  user: string;
  challenge: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  issuedAt: number;
  used: boolean;
}

/** Per /authorize request, what the front decided before handing it to the mock. */
interface AuthorizeContext {
  user: string;
  challenge: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  deny: boolean;
}

/** Token-endpoint request as express left it for the mock's event listeners. */
type TokenRequest = IncomingMessage & { body?: Record<string, string> };

function basicClient(req: IncomingMessage): { id: string; secret: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return null;
  // RFC 6749 2.3.1: both parts are form-urlencoded before Basic encoding.
  return { id: decodeURIComponent(text.slice(0, i).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(i + 1).replace(/\+/g, ' ')) };
}

export async function startOAuth(opts: OAuthOptions = {}): Promise<OAuthServer> {
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  let ttl = opts.accessTokenTtl ?? 3600;
  let defaultUser = opts.defaultUser;
  let outage = false;

  const mock = new OAuth2Server();
  await mock.issuer.keys.generate('RS256');
  const service = mock.service;

  const accessTokens = new Map<string, AccessTokenRecord>();
  const refreshTokens = new Map<string, RefreshTokenRecord>();
  const codes = new Map<string, CodeRecord>();
  const authorizeContexts = new WeakMap<IncomingMessage, AuthorizeContext>();
  const events: OAuthEvent[] = [];
  const log = (e: Omit<OAuthEvent, 'at'>) => events.push({ at: Date.now(), ...e });

  // ---- /authorize ---------------------------------------------------------------------------
  function frontAuthorize(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const fail = (error: string, page: string) => {
      log({ type: 'authorize', ok: false, error });
      sendPage(res, 400, page);
      return true;
    };
    if (q.get('client_id') !== clientId) return fail('invalid_client', `Error 401: invalid_client. The OAuth client was not found: ${q.get('client_id') ?? '(none)'}`);
    if (!isLoopbackRedirect(redirectUri)) return fail('redirect_uri_mismatch', `Error 400: redirect_uri_mismatch. Not a loopback redirect URI: ${redirectUri}`);
    const back = new URL(redirectUri);
    const redirectError = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      log({ type: 'authorize', ok: false, error });
      res.writeHead(302, { Location: back.href, 'Content-Length': 0 });
      res.end();
      return true;
    };
    if (q.get('response_type') !== 'code') return redirectError('unsupported_response_type', 'Only response_type=code is supported.');
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') return redirectError('invalid_request', 'PKCE with code_challenge_method=S256 is required.');
    const cookies = parseCookies(req.headers.cookie);
    const user = cookies.rig_user || q.get('login_hint') || defaultUser;
    if (!user) {
      // A real server would show its login page here; a test has to say who is signed in.
      log({ type: 'authorize', ok: false, error: 'login_required' });
      sendPage(res, 401, 'Sign in required: no rig_user cookie, login_hint or default user.');
      return true;
    }
    authorizeContexts.set(req, {
      user,
      challenge: q.get('code_challenge')!,
      clientId,
      redirectUri,
      scope: q.get('scope') || DEFAULT_SCOPE,
      deny: cookies.rig_consent === 'deny',
    });
    return false; // the mock issues the code and redirects
  }

  service.on('beforeAuthorizeRedirect', (redirect: MutableRedirectUri, req: IncomingMessage) => {
    const ctx = authorizeContexts.get(req);
    if (!ctx) return;
    const code = redirect.url.searchParams.get('code');
    if (ctx.deny) {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
      log({ type: 'authorize', ok: false, user: ctx.user, error: 'access_denied' });
      return;
    }
    if (code) {
      codes.set(code, { user: ctx.user, challenge: ctx.challenge, clientId: ctx.clientId, redirectUri: ctx.redirectUri, scope: ctx.scope, issuedAt: Date.now(), used: false });
      log({ type: 'authorize', ok: true, user: ctx.user });
    }
  });

  // ---- /token -------------------------------------------------------------------------------
  /** Who a token request is for, from the code or refresh token it carries. */
  function grantOf(req: TokenRequest): { user: string; scope: string } | null {
    const body = req.body ?? {};
    if (body.grant_type === 'authorization_code') return codes.get(body.code) ?? null;
    if (body.grant_type === 'refresh_token') return refreshTokens.get(body.refresh_token) ?? null;
    return null;
  }

  service.on('beforeTokenSigning', (token: MutableToken, req: TokenRequest) => {
    const grant = grantOf(req);
    if (!grant) return; // cannot happen: frontToken let only known codes and refresh tokens through
    const p = token.payload;
    p.sub = subjectOf(grant.user);
    p.email = grant.user;
    if ('scope' in p) {
      // The access token (the mock's transform sets scope on it; the id_token has none).
      p.exp = p.iat + ttl;
      p.scope = grant.scope;
      p.client_id = clientId;
      // Without it two tokens for the same user signed in the same second would be identical.
      p.jti = randomUUID();
    } else {
      p.email_verified = true;
      p.preferred_username = grant.user;
      p.name = grant.user.split('@')[0];
    }
  });

  function checkClient(req: IncomingMessage, body: Record<string, string>): string | null {
    const basic = basicClient(req);
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    if (id !== clientId) return 'client_id is missing or not registered';
    if (opts.clientSecret !== undefined && secret !== opts.clientSecret) return 'client_secret is missing or wrong';
    return null;
  }

  /** Checks a token request before the mock sees it; null = let the mock mint tokens. */
  function refuseToken(req: IncomingMessage, body: Record<string, string>): { status: number; error: string; description: string } | null {
    const clientError = checkClient(req, body);
    if (clientError) return { status: 401, error: 'invalid_client', description: clientError };
    const grantType = body.grant_type;
    if (grantType === 'authorization_code') {
      const code = codes.get(body.code);
      if (!code) return { status: 400, error: 'invalid_grant', description: 'Malformed auth code.' };
      if (code.used) return { status: 400, error: 'invalid_grant', description: 'Code was already redeemed.' };
      code.used = true; // any attempt uses it up, as at Google
      if (Date.now() - code.issuedAt > CODE_TTL_MS) return { status: 400, error: 'invalid_grant', description: 'Code has expired.' };
      if (body.redirect_uri !== code.redirectUri) return { status: 400, error: 'invalid_grant', description: 'redirect_uri does not match the authorization request.' };
      if (!body.code_verifier) return { status: 400, error: 'invalid_grant', description: 'Missing code verifier.' };
      if (s256(body.code_verifier) !== code.challenge) return { status: 400, error: 'invalid_grant', description: 'Invalid code verifier.' };
      return null;
    }
    if (grantType === 'refresh_token') {
      const rec = refreshTokens.get(body.refresh_token);
      if (!rec || rec.revoked) return { status: 400, error: 'invalid_grant', description: 'Token has been expired or revoked.' };
      return null;
    }
    // password and client_credentials: the mock would mint tokens for anyone.
    return { status: 400, error: 'unsupported_grant_type', description: `grant_type ${grantType ?? '(none)'} is not supported.` };
  }

  async function frontToken(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const body = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const refusal = refuseToken(req, body);
    if (refusal) {
      log({ type: 'token', grant: body.grant_type, ok: false, error: refusal.error });
      sendJson(res, refusal.status, { error: refusal.error, error_description: refusal.description });
      return true;
    }
    Object.assign(req, { body, _body: true });
    return false;
  }

  // Only requests that passed frontToken get here: record what the mock issued.
  service.on('beforeResponse', (response: MutableResponse, req: TokenRequest) => {
    const body = req.body ?? {};
    const grantType = body.grant_type;
    const now = Date.now();
    const out = response.body as Record<string, unknown>;
    const accessToken = String(out.access_token);
    const grant = grantType === 'authorization_code' ? codes.get(body.code)! : refreshTokens.get(body.refresh_token)!;
    let refreshToken: string;
    if (grantType === 'authorization_code') {
      refreshToken = String(out.refresh_token);
      refreshTokens.set(refreshToken, { token: refreshToken, user: grant.user, clientId, scope: grant.scope, issuedAt: now, revoked: false });
    } else if (opts.rotateRefreshTokens) {
      const old = grant as RefreshTokenRecord;
      old.revoked = true;
      refreshToken = String(out.refresh_token);
      refreshTokens.set(refreshToken, { ...old, token: refreshToken, issuedAt: now, revoked: false });
    } else {
      refreshToken = body.refresh_token;
      delete out.refresh_token;
    }
    accessTokens.set(accessToken, { token: accessToken, user: grant.user, clientId, scope: grant.scope, issuedAt: now, expiresAt: now + ttl * 1000, revoked: false, refreshToken });
    Object.assign(out, { expires_in: ttl, scope: grant.scope });
    log({ type: 'token', grant: grantType, ok: true, user: grant.user });
  });

  // ---- registry -----------------------------------------------------------------------------
  function introspect(token: string): Introspection {
    const rec = accessTokens.get(token);
    const inactive = (why: string): Introspection => {
      log({ type: 'introspect', ok: false, user: rec?.user, error: why });
      return { active: false };
    };
    if (!rec) return inactive('unknown');
    if (rec.revoked) return inactive('revoked');
    if (Date.now() >= rec.expiresAt) return inactive('expired');
    log({ type: 'introspect', ok: true, user: rec.user });
    return {
      active: true,
      username: rec.user,
      email: rec.user,
      sub: subjectOf(rec.user),
      scope: rec.scope,
      client_id: rec.clientId,
      token_type: 'Bearer',
      iat: Math.floor(rec.issuedAt / 1000),
      exp: Math.floor(rec.expiresAt / 1000),
      iss: issuer,
    };
  }

  function revokeRefreshToken(token: string, o: { withAccessTokens?: boolean } = {}): void {
    const rec = refreshTokens.get(token);
    if (rec) rec.revoked = true;
    if (o.withAccessTokens) for (const a of accessTokens.values()) if (a.refreshToken === token) a.revoked = true;
  }

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: opts.clientSecret !== undefined ? ['client_secret_post', 'client_secret_basic'] : ['none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile', DEFAULT_SCOPE],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'email', 'email_verified', 'preferred_username', 'name'],
  });

  // ---- HTTP front ---------------------------------------------------------------------------
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname === '/authorize') {
      if (frontAuthorize(req, res, url)) return;
    } else if (req.method === 'POST' && url.pathname === '/token') {
      if (await frontToken(req, res)) return;
    } else if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      // The mock's document lists the password and client_credentials grants (refused here) and
      // PKCE "plain"; this one says what this server does.
      return sendJson(res, 200, discovery());
    } else if (req.method === 'POST' && url.pathname === '/introspect') {
      const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
      if (outage) {
        log({ type: 'introspect', ok: false, error: 'outage' });
        return sendJson(res, 503, { error: 'temporarily_unavailable' });
      }
      return sendJson(res, 200, introspect(token));
    } else if (req.method === 'POST' && url.pathname === '/revoke') {
      // RFC 7009 2.2: 200 whether or not the token was known.
      const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
      const access = accessTokens.get(token);
      if (access) access.revoked = true;
      if (refreshTokens.has(token)) revokeRefreshToken(token, { withAccessTokens: true });
      log({ type: 'revoke', ok: true, user: (access ?? refreshTokens.get(token))?.user });
      return sendJson(res, 200, {});
    }
    (service.requestHandler as unknown as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
  }

  const http: Server = createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: err.message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, LOOPBACK, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // 127.0.0.1 rather than the mock's default "localhost": no resolver, no IPv6 guess, and the
  // issuer string is exactly what every token's iss says.
  const issuer = `http://${LOOPBACK}:${port}`;
  mock.issuer.url = issuer;

  const tokenRequest = async (fields: Record<string, string>): Promise<HttpResult> => {
    const form = new URLSearchParams({ client_id: clientId, ...(opts.clientSecret !== undefined ? { client_secret: opts.clientSecret } : {}), ...fields });
    const r = await fetch(`${issuer}/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  const authorizationUrl: OAuthServer['authorizationUrl'] = (p) => {
    const u = new URL(`${issuer}/authorize`);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('client_id', p.clientId ?? clientId);
    u.searchParams.set('redirect_uri', p.redirectUri);
    u.searchParams.set('scope', p.scope ?? DEFAULT_SCOPE);
    u.searchParams.set('state', p.state);
    u.searchParams.set('code_challenge', p.challenge);
    u.searchParams.set('code_challenge_method', 'S256');
    if (p.loginHint) u.searchParams.set('login_hint', p.loginHint);
    return u.href;
  };

  const browse: OAuthServer['browse'] = async (authUrl, o = {}) => {
    const cookies = [o.user ? `rig_user=${encodeURIComponent(o.user)}` : '', o.consent === 'deny' ? 'rig_consent=deny' : ''].filter(Boolean);
    const r = await fetch(authUrl, { redirect: 'manual', headers: cookies.length ? { Cookie: cookies.join('; ') } : {} });
    const location = r.headers.get('location');
    if (!(r.status >= 300 && r.status < 400 && location)) return { status: r.status, errorPage: await r.text() };
    await r.body?.cancel();
    const redirectTo = new URL(location, authUrl);
    const p = redirectTo.searchParams;
    const result: BrowseResult = {
      status: r.status,
      redirectTo,
      ...(p.get('code') ? { code: p.get('code')! } : {}),
      ...(p.get('state') !== null ? { state: p.get('state')! } : {}),
      ...(p.get('error') ? { error: p.get('error')! } : {}),
    };
    if (o.follow !== false) {
      try {
        const cb = await fetch(redirectTo, { redirect: 'manual' });
        result.callback = { status: cb.status, body: await cb.text() };
      } catch (err) {
        result.callback = { error: (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message };
      }
    }
    return result;
  };

  const signIn: OAuthServer['signIn'] = async (user, o = {}) => {
    const pkce = pkcePair();
    // Nobody listens on this port: the browser's last step is not needed to read the code.
    const redirectUri = `http://${LOOPBACK}:9/callback`;
    const state = b64url(randomBytes(12));
    const r = await browse(authorizationUrl({ redirectUri, state, challenge: pkce.challenge, scope: o.scope }), { user, follow: false });
    if (!r.code || r.state !== state) throw new Error(`sign-in of ${user} failed at authorize: ${r.error ?? r.errorPage ?? r.status}`);
    const t = await tokenRequest({ grant_type: 'authorization_code', code: r.code, redirect_uri: redirectUri, code_verifier: pkce.verifier });
    if (t.status !== 200) throw new Error(`sign-in of ${user} failed at token: ${t.status} ${JSON.stringify(t.body)}`);
    return t.body as unknown as TokenResponse;
  };

  return {
    issuer,
    port,
    clientId,
    authorizationEndpoint: `${issuer}/authorize`,
    tokenEndpoint: `${issuer}/token`,
    introspectionUrl: `${issuer}/introspect`,
    revocationEndpoint: `${issuer}/revoke`,
    openidConfigurationUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/jwks`,
    accessTokens,
    refreshTokens,
    events,
    authorizationUrl,
    browse,
    tokenRequest,
    signIn,
    refresh: (refreshToken) => tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    introspect,
    setAccessTokenTtl(seconds) {
      ttl = seconds;
    },
    expireAccessToken(token) {
      const rec = accessTokens.get(token);
      if (rec) rec.expiresAt = Math.min(rec.expiresAt, Date.now());
    },
    expireAccessTokensOf(user) {
      for (const rec of accessTokens.values()) if (rec.user === user) rec.expiresAt = Math.min(rec.expiresAt, Date.now());
    },
    revokeAccessToken(token) {
      const rec = accessTokens.get(token);
      if (rec) rec.revoked = true;
    },
    revokeRefreshToken,
    revokeUser(user) {
      for (const rec of accessTokens.values()) if (rec.user === user) rec.revoked = true;
      for (const rec of refreshTokens.values()) if (rec.user === user) rec.revoked = true;
    },
    setDefaultUser(user) {
      defaultUser = user;
    },
    setIntrospectionOutage(on) {
      outage = on;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        // Dovecot's HTTP client keeps its connection open (max_idle_time_msecs, 60 s).
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
