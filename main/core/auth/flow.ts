// One browser sign-in: authorization code + PKCE (S256), as RFC 8252 describes for native apps
// and as Thunderbird does it. The steps and what each one refuses:
//   1. a verifier and its S256 challenge (RFC 7636), a random state, a one-shot listener on
//      127.0.0.1 with a port the OS picks (loopback.ts);
//   2. the authorization URL goes to the system browser (the caller opens it: the desktop app
//      through its main process, the CLI with the OS's opener, `triage serve` through the page);
//   3. the listener takes only the answer carrying our state (anything else gets a 400 page);
//   4. an `iss` in the answer must be the provider's issuer (RFC 9207 §2.4: a mix-up attack sends
//      another server's code to us), and is required when the provider says it always sends one;
//   5. the code is exchanged with the verifier over HTTPS (token-endpoint.ts);
//   6. an id_token in that answer must come from the provider's issuer and be meant for our client.
//      OpenID Connect Core §3.1.3.7 (6): an id_token received straight from the token endpoint
//      over TLS may be trusted by the TLS check instead of its signature, so reading its claims
//      is enough to refuse a token endpoint that speaks for another issuer.
// The app asks for the mail scopes only (no openid), so the providers usually send no id_token.
import { TriageError } from '../errors.js';
import type { OAuthProvider } from './providers.js';
import { openLoopbackListener } from './loopback.js';
import { pkcePair, randomState } from './pkce.js';
import { TokenEndpointError, jwtClaims, tokenRequest, type TokenSet } from './token-endpoint.js';

export interface SignInOptions {
  provider: OAuthProvider;
  clientId: string;
  clientSecret?: string;
  /** The address to sign in as: the provider preselects it (login_hint). */
  loginHint?: string;
  /** How long the listener waits for the browser. Default 5 minutes. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PendingSignIn {
  url: string;
  redirectUri: string;
  expiresAt: number;
  /** The tokens, once the browser came back and the code was exchanged. */
  tokens: Promise<TokenSet & { refreshToken: string }>;
  cancel(): void;
}

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export function authorizationUrl(p: { provider: OAuthProvider; clientId: string; redirectUri: string; state: string; challenge: string; loginHint?: string }): string {
  const u = new URL(p.provider.authorizationEndpoint);
  const q = u.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', p.clientId);
  q.set('redirect_uri', p.redirectUri);
  q.set('scope', p.provider.scopes.join(' '));
  q.set('state', p.state);
  q.set('code_challenge', p.challenge);
  q.set('code_challenge_method', 'S256');
  if (p.loginHint) q.set('login_hint', p.loginHint);
  for (const [k, v] of Object.entries(p.provider.authorizationParams)) q.set(k, v);
  return u.href;
}

function refused(provider: OAuthProvider, why: string): TriageError {
  return new TriageError('server-refused', `Sign-in with ${provider.label} refused: ${why}. Nothing was saved; start the sign-in again.`);
}

export async function beginSignIn(opts: SignInOptions): Promise<PendingSignIn> {
  const { provider } = opts;
  const pkce = pkcePair();
  const state = randomState();
  const listener = await openLoopbackListener({ state });
  const timeoutMs = opts.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  const expiresAt = Date.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancelled = false;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      listener.close();
      reject(new TriageError('timeout', `No answer from the browser within ${Math.round(timeoutMs / 60_000) || 1} minute(s): start the sign-in again.`));
    }, timeoutMs);
    timer.unref?.();
  });
  timedOut.catch(() => undefined);

  const run = async (): Promise<TokenSet & { refreshToken: string }> => {
    const answer = await Promise.race([
      listener.response.catch(() => {
        throw cancelled ? new TriageError('bad-input', 'The sign-in was cancelled.') : new TriageError('internal', 'The sign-in listener closed.');
      }),
      timedOut,
    ]);
    if (answer.iss !== null && !provider.issuerMatches(answer.iss)) throw refused(provider, `the answer came from another issuer (${answer.iss.slice(0, 200)})`);
    if (answer.iss === null && provider.issParameter) throw refused(provider, 'the answer does not name its issuer, which this provider always does');
    if (answer.error) {
      if (answer.error === 'access_denied') throw new TriageError('bad-input', `Sign-in with ${provider.label} was cancelled in the browser (access_denied). Nothing was saved.`);
      throw refused(provider, `${answer.error}${answer.errorDescription ? ` (${answer.errorDescription.slice(0, 300)})` : ''}`);
    }
    if (!answer.code) throw refused(provider, 'the answer carries no authorization code');
    let tokens: TokenSet;
    try {
      tokens = await tokenRequest({
        provider,
        clientId: opts.clientId,
        clientSecret: opts.clientSecret,
        fetch: opts.fetch,
        fields: { grant_type: 'authorization_code', code: answer.code, redirect_uri: listener.redirectUri, code_verifier: pkce.verifier },
      });
    } catch (e) {
      if (e instanceof TokenEndpointError) {
        if (e.error === 'invalid_client' || e.error === 'unauthorized_client') {
          throw new TriageError('oauth-not-configured', `${provider.label} does not accept the client id ${opts.clientId} (${e.message}): check it, and that it is registered as a desktop app (docs/OAUTH.md).`);
        }
        throw refused(provider, `the code exchange failed (${e.message})`);
      }
      throw e;
    }
    if (tokens.idToken) {
      const claims = jwtClaims(tokens.idToken);
      const iss = typeof claims?.iss === 'string' ? claims.iss : '';
      if (!provider.issuerMatches(iss)) throw refused(provider, `the tokens were issued by another issuer (${iss.slice(0, 200) || 'none named'})`);
      const aud = claims?.aud;
      if (!(aud === opts.clientId || (Array.isArray(aud) && aud.includes(opts.clientId)))) throw refused(provider, 'the tokens were issued to another app');
    }
    if (!tokens.refreshToken) {
      // Without one the app could not sync an hour from now: say so now, not then.
      throw refused(provider, 'no refresh token came back (Google gives one only with consent; Microsoft only with offline_access)');
    }
    return { ...tokens, refreshToken: tokens.refreshToken };
  };

  const tokens = run().finally(() => {
    if (timer) clearTimeout(timer);
    listener.close();
  });
  tokens.catch(() => undefined);
  return {
    url: authorizationUrl({ provider, clientId: opts.clientId, redirectUri: listener.redirectUri, state, challenge: pkce.challenge, loginHint: opts.loginHint }),
    redirectUri: listener.redirectUri,
    expiresAt,
    tokens,
    cancel() {
      cancelled = true;
      listener.close();
    },
  };
}
