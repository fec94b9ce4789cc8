// Requests to a provider's token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh) over HTTPS;
// plain http only to this machine (the tests' authorization server). Codes, verifiers and tokens
// never travel anywhere else, and never appear in an error message.
import { TriageError } from '../errors.js';
import type { OAuthProvider } from './providers.js';
import { secureEndpoint } from './providers.js';

/** What a token response gave us; `expiresAt` in ms since the epoch. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  scope: string | null;
  idToken: string | null;
}

/** An error answer of the token endpoint (RFC 6749 §5.2). */
export class TokenEndpointError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${error}${description ? `: ${description}` : ''}`);
    this.name = 'TokenEndpointError';
  }
}

export interface TokenRequestInput {
  provider: OAuthProvider;
  clientId: string;
  clientSecret?: string;
  fields: Record<string, string>;
  fetch?: typeof fetch;
  /** Real time, for expires_in. */
  nowMs?: number;
}

/** When expires_in is missing: RFC 6749 §5.1 leaves it optional; an hour is what both providers give. */
const DEFAULT_LIFETIME_S = 3600;

export async function tokenRequest({ provider, clientId, clientSecret, fields, fetch: fetchFn = fetch, nowMs = Date.now() }: TokenRequestInput): Promise<TokenSet> {
  if (!secureEndpoint(provider.tokenEndpoint)) {
    throw new TriageError('server-refused', `Not sending a sign-in to ${provider.tokenEndpoint}: it is not https.`);
  }
  // RFC 6749 §2.3.1: client_secret_post. A public client (Microsoft) sends its id only.
  const form = new URLSearchParams({ ...fields, client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}) });
  let r: Response;
  try {
    r = await fetchFn(provider.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form,
      // A redirect could carry the code elsewhere.
      redirect: 'error',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
    throw new TriageError('unreachable', `Cannot reach ${provider.label}'s sign-in server (${new URL(provider.tokenEndpoint).host}): ${cause}. Check your network and try again.`);
  }
  let body: Record<string, unknown> = {};
  try {
    body = (await r.json()) as Record<string, unknown>;
  } catch {
    /* not JSON: judged by the status below */
  }
  if (!r.ok || typeof body.access_token !== 'string') {
    const error = typeof body.error === 'string' ? body.error : `http_${r.status}`;
    const description = typeof body.error_description === 'string' ? body.error_description.split('\n')[0].slice(0, 300) : '';
    throw new TokenEndpointError(error, description, r.status);
  }
  const lifetime = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : null,
    expiresAt: nowMs + (Number.isFinite(lifetime) && lifetime > 0 ? lifetime : DEFAULT_LIFETIME_S) * 1000,
    scope: typeof body.scope === 'string' ? body.scope : null,
    idToken: typeof body.id_token === 'string' ? body.id_token : null,
  };
}

/** The claims of a JWT's payload, unverified (see flow.ts for why that is enough for `iss`). */
export function jwtClaims(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
