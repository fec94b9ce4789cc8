// The OAuth2 providers the app signs in with: who issues the tokens, where the browser and the
// token requests go, the scopes (IMAP and SMTP, nothing more), and the servers that take the
// tokens. Client ids are configuration, never code: the user's Settings, an environment variable
// or a CLI flag (docs/OAUTH.md says how to register one).
//
// TRIAGE_OAUTH_<PROVIDER>_ISSUER replaces a provider's endpoints with those an issuer publishes
// (OpenID Connect Discovery 1.0 §4, RFC 8414 §3): the tests' loopback authorization server, or a
// compatible one. The document must name exactly that issuer (RFC 8414 §3.3), and plain http is
// accepted only when the issuer is this machine.
import type { OAuthProviderId, Security } from '../model.js';
import { TriageError } from '../errors.js';
import { isLoopback } from '../deps/index.js';

/** The issuer without its trailing slashes (a loop: /\/+$/ backtracks quadratically on "////…x"). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

export type Env = Record<string, string | undefined>;

export interface OAuthProvider {
  id: OAuthProviderId;
  label: string;
  /** The issuer its tokens and (RFC 9207) authorization responses name. */
  issuer: string;
  /** Issuers accepted: Google's id_tokens say "accounts.google.com" with or without https;
   *  Microsoft's common endpoint answers for every tenant, each its own issuer. */
  issuerMatches(iss: string): boolean;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scopes: string[];
  /** Parameters of the authorization request beyond RFC 6749's and PKCE's. */
  authorizationParams: Record<string, string>;
  /** Microsoft's v2 endpoint wants the scopes again in a refresh grant. */
  scopeOnRefresh: boolean;
  /** The issuer puts `iss` in every authorization response (RFC 9207 §3): then it is required. */
  issParameter: boolean;
  imap: { host: string; port: number; security: Security };
  smtp: { host: string; port: number; security: Security };
  /** Prefix of its variables: <prefix>_CLIENT_ID, <prefix>_CLIENT_SECRET, <prefix>_ISSUER. */
  envPrefix: string;
}

const GOOGLE: OAuthProvider = {
  id: 'google',
  label: 'Google',
  issuer: 'https://accounts.google.com',
  // OpenID Connect Core §2 lets Google's id_tokens say either form.
  issuerMatches: (iss) => iss === 'https://accounts.google.com' || iss === 'accounts.google.com',
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  // The one scope that covers IMAP and SMTP (developers.google.com/gmail/imap/xoauth2-protocol).
  scopes: ['https://mail.google.com/'],
  // Without access_type=offline Google gives no refresh token; without prompt=consent it gives
  // one only the first time the user ever consents to this client.
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
  scopeOnRefresh: false,
  issParameter: false,
  imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
  smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
  envPrefix: 'TRIAGE_OAUTH_GOOGLE',
};

/** A tenant id (GUID) or one of the three audiences Microsoft's v2 endpoint knows. */
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|common|organizations|consumers)$/i;

function microsoft(env: Env): OAuthProvider {
  // `common` serves work, school and personal accounts alike; a company may pin its tenant.
  const tenant = env.TRIAGE_OAUTH_MICROSOFT_TENANT?.trim() || 'common';
  if (!TENANT.test(tenant)) throw new TriageError('bad-input', `TRIAGE_OAUTH_MICROSOFT_TENANT "${tenant}" is not a tenant id (a GUID) nor common, organizations or consumers.`);
  const base = `https://login.microsoftonline.com/${tenant}`;
  return {
    id: 'microsoft',
    label: 'Microsoft',
    issuer: `${base}/v2.0`,
    // Through `common` every tenant answers as itself: https://login.microsoftonline.com/{tid}/v2.0
    // (personal accounts: the consumers tenant 9188040d-6c67-4c5b-b112-36a304b66dad).
    issuerMatches: (iss) => /^https:\/\/login\.microsoftonline\.com\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/v2\.0$/i.test(iss),
    authorizationEndpoint: `${base}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${base}/oauth2/v2.0/token`,
    // learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'],
    authorizationParams: {},
    scopeOnRefresh: true,
    issParameter: false,
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    envPrefix: 'TRIAGE_OAUTH_MICROSOFT',
  };
}

export const OAUTH_PROVIDER_IDS: readonly OAuthProviderId[] = ['google', 'microsoft'];

export function isOAuthProviderId(v: unknown): v is OAuthProviderId {
  return typeof v === 'string' && (OAUTH_PROVIDER_IDS as readonly string[]).includes(v);
}

/** The built-in entry (no discovery, no network). */
export function builtInProvider(id: OAuthProviderId, env: Env = process.env): OAuthProvider {
  return id === 'google' ? GOOGLE : microsoft(env);
}

/** Whether a URL may carry tokens or codes: https, or plain http to this machine only. */
export function secureEndpoint(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
  } catch {
    return false;
  }
}

interface Discovery {
  issuer?: unknown;
  authorization_endpoint?: unknown;
  token_endpoint?: unknown;
  authorization_response_iss_parameter_supported?: unknown;
}

/** The provider, with its endpoints from TRIAGE_OAUTH_<ID>_ISSUER's discovery document if set. */
export async function resolveProvider(id: OAuthProviderId, { env = process.env, fetch: fetchFn = fetch }: { env?: Env; fetch?: typeof fetch } = {}): Promise<OAuthProvider> {
  const base = builtInProvider(id, env);
  const issuer = env[`${base.envPrefix}_ISSUER`]?.trim();
  if (!issuer) return base;
  const where = `${base.envPrefix}_ISSUER`;
  if (!secureEndpoint(issuer)) throw new TriageError('bad-input', `${where} "${issuer}" must be an https URL (plain http only on this computer).`);
  let doc: Discovery;
  try {
    const r = await fetchFn(`${withoutTrailingSlashes(issuer)}/.well-known/openid-configuration`, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    doc = (await r.json()) as Discovery;
  } catch (e) {
    throw new TriageError('unreachable', `Cannot read the sign-in settings of ${issuer} (${(e as Error).message}). Check ${where}.`);
  }
  if (doc.issuer !== issuer) {
    throw new TriageError('server-refused', `${issuer} calls itself "${String(doc.issuer)}": its settings are refused (RFC 8414 §3.3). Check ${where}.`);
  }
  const auth = String(doc.authorization_endpoint ?? '');
  const token = String(doc.token_endpoint ?? '');
  if (!secureEndpoint(auth) || !secureEndpoint(token)) throw new TriageError('server-refused', `${issuer} names endpoints that are not https: refused.`);
  return {
    ...base,
    issuer,
    issuerMatches: (iss) => iss === issuer,
    authorizationEndpoint: auth,
    tokenEndpoint: token,
    issParameter: doc.authorization_response_iss_parameter_supported === true,
  };
}

/** The OAuth2 client the app signs in as, and where its id came from. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
  source: 'flag' | 'environment' | 'settings';
}

/** Client ids are plain tokens: Google's end in .apps.googleusercontent.com, Microsoft's are GUIDs. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,199}$/;

/** The sentence said when no client id is configured: how to get one, or the app-password path.
 *  It is the app's (Settings); the CLI's ways to give one are in noClientIdCli. */
export function noClientIdMessage(id: OAuthProviderId): string {
  const how = `register a desktop client with ${id === 'google' ? 'Google' : 'Microsoft Entra'} (the steps are in docs/OAUTH.md) and put its client id under Settings → Sign-in apps`;
  if (id === 'google') {
    return `Signing in with Google needs an OAuth client id, and none is configured: ${how}. Or use an app password instead: create one at https://myaccount.google.com/apppasswords (it needs 2-Step Verification) and add the account with it as the password.`;
  }
  return `Signing in with Microsoft needs an OAuth client id, and none is configured: ${how}. There is no app-password path for Outlook.com or Microsoft 365 mail: their IMAP servers take only OAuth2 sign-in.`;
}

/** Where a terminal user gives the client id (the `cli` part of the error). */
export function noClientIdCli(id: OAuthProviderId): string {
  return `In the terminal, give it with --client-id, ${builtInProvider(id, {}).envPrefix}_CLIENT_ID or Settings.`;
}

/** Flag, then environment, then Settings; an error with the next step when there is none. */
export function resolveClient(
  id: OAuthProviderId,
  { flag, env = process.env, settings }: { flag?: { clientId?: string; clientSecret?: string }; env?: Env; settings?: { clientId: string; clientSecret?: string } | null },
): OAuthClient {
  const prefix = builtInProvider(id, {}).envPrefix;
  const pick = (): OAuthClient | null => {
    if (flag?.clientId) return { clientId: flag.clientId, clientSecret: flag.clientSecret, source: 'flag' };
    const fromEnv = env[`${prefix}_CLIENT_ID`]?.trim();
    if (fromEnv) return { clientId: fromEnv, clientSecret: flag?.clientSecret ?? env[`${prefix}_CLIENT_SECRET`]?.trim(), source: 'environment' };
    if (settings?.clientId) return { clientId: settings.clientId, clientSecret: flag?.clientSecret ?? settings.clientSecret, source: 'settings' };
    return null;
  };
  const client = pick();
  if (!client) throw new TriageError('oauth-not-configured', noClientIdMessage(id), { cli: noClientIdCli(id) });
  if (!CLIENT_ID_PATTERN.test(client.clientId)) throw new TriageError('bad-input', `"${client.clientId.slice(0, 60)}" is not an OAuth client id.`);
  if (!client.clientSecret) delete client.clientSecret;
  return client;
}
