// How an account proves itself to its servers, in one place for IMAP and SMTP: a password from the
// secret store, or an OAuth2 access token from the secret store's token source (access-tokens.ts).
import type { AccountConfig } from '../model.js';
import { isLoopback, type SecretStore } from '../deps/index.js';
import { TriageError } from '../errors.js';
import { oauthOf } from './access-tokens.js';

/** For the SMTP transaction: the user to sign in as and a token source nodemailer can call
 *  again with `renew` after the server refused a token (its XOAUTH2 retry). */
export interface TokenLogin {
  user: string;
  token(renew: boolean): Promise<string>;
}

/** The token login of an OAuth2 account's SMTP server, or null for a password account. */
export function smtpTokenLogin(account: AccountConfig, secrets: SecretStore): TokenLogin | null {
  if (!oauthOf(account) || !account.smtp) return null;
  const source = secrets.tokens;
  return {
    user: account.smtp.user,
    token: (renew) => {
      if (!source) return Promise.reject(new TriageError('internal', `No token source for ${account.name}.`));
      return source.accessToken(account, { renew });
    },
  };
}

/** A secret store that also hands out access tokens (what the service gives its features). */
export function withTokens(secrets: SecretStore, tokens: SecretStore['tokens']): SecretStore {
  return {
    get: (account) => secrets.get(account),
    set: (account, password) => secrets.set(account, password),
    remove: (account) => secrets.remove(account),
    tokens,
  };
}

/** Whether `url` is an authorization request to `endpoint` that may go to the system browser:
 *  https (plain http only to this machine, for the tests' server), the endpoint's exact origin
 *  and path, no credentials in it. */
export function isAuthorizationRequest(url: string, endpoint: string): boolean {
  let u: URL;
  let e: URL;
  try {
    u = new URL(url);
    e = new URL(endpoint);
  } catch {
    return false;
  }
  if (!(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname)))) return false;
  if (u.username || u.password) return false;
  return u.origin === e.origin && u.pathname === e.pathname && u.searchParams.get('response_type') === 'code' && u.searchParams.get('code_challenge_method') === 'S256';
}
