// One IMAP session for one piece of work: the account's password from the secret store (or, for an
// OAuth2 account, an access token from its token source), a connection to the account's own
// server, the work, and a logout whatever happened. Every feature that talks IMAP goes through
// here (or through the sync engine). A token the server refuses is renewed once and the login
// tried again: imapflow never refreshes a token by itself.
import type { ImapFlow } from 'imapflow';
import type { AccountConfig } from '../model.js';
import type { SecretStore } from '../deps/index.js';
import { passwordEnvNames } from '../deps/index.js';
import { TriageError } from '../errors.js';
import { connectImap, describeImapError } from './connect.js';
import { oauthOf } from '../auth/index.js';

/** An open connection, as the helpers of this folder take it. */
export type ImapClient = ImapFlow;

export interface ImapAccess {
  account: AccountConfig;
  secrets: SecretStore;
}

/** The account's password, or an 'auth-failed' error that says where to put it. */
export async function accountPassword({ account, secrets }: ImapAccess): Promise<string> {
  const password = await secrets.get(account.name);
  if (password === null || password === '') {
    throw new TriageError(
      'auth-failed',
      `No password for account ${account.name}: set ${passwordEnvNames(account.name)[0]} (or TRIAGE_PASSWORD), or run in a terminal to be asked.`,
    );
  }
  return password;
}

/** What the login uses: a password, or an OAuth2 access token. */
export type ImapCredentials = { password: string; accessToken?: undefined } | { password: ''; accessToken: string };

/** The account's credentials; `renew`: the server refused the last token, get a new one. */
export async function accountCredentials(access: ImapAccess, { renew = false }: { renew?: boolean } = {}): Promise<ImapCredentials> {
  if (!oauthOf(access.account)) return { password: await accountPassword(access) };
  if (!access.secrets.tokens) throw new TriageError('internal', `No token source for ${access.account.name}: it signs in with OAuth2.`);
  return { password: '', accessToken: await access.secrets.tokens.accessToken(access.account, { renew }) };
}

/**
 * Connect with the account's credentials; a refused token is renewed once (it may have been
 * revoked, or expired early at the server) and the login tried again.
 */
export async function connectAccount(access: ImapAccess, options: Pick<Parameters<typeof connectImap>[0], 'onExpunge' | 'socketTimeoutMs'> = {}): Promise<ImapClient> {
  const server = access.account.imap;
  const credentials = await accountCredentials(access);
  try {
    return await connectImap({ server, ...credentials, ...options });
  } catch (e) {
    if (!credentials.accessToken || (e as TriageError).code !== 'auth-failed') throw e;
    try {
      return await connectImap({ server, ...(await accountCredentials(access, { renew: true })), ...options });
    } catch (again) {
      if ((again as TriageError).code !== 'auth-failed') throw again;
      throw new TriageError(
        'auth-failed',
        `${server.host} refused the sign-in of ${server.user} even with a fresh token: check that the user name is the address you signed in with, and that IMAP is enabled for the mailbox.`,
      );
    }
  }
}

/** Run `work` on a fresh connection to the account's server; failures become TriageErrors. */
export async function withImap<T>(access: ImapAccess, work: (client: ImapClient) => Promise<T>): Promise<T> {
  const client = await connectAccount(access);
  try {
    return await work(client);
  } catch (e) {
    throw describeImapError(e, access.account.imap);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * A connection opened on first use and reused (send-due talks to the server several times per
 * entry); `close()` logs out if one was opened.
 */
export function lazyImap(access: ImapAccess): { get(): Promise<ImapClient>; close(): Promise<void> } {
  let client: ImapClient | null = null;
  return {
    async get() {
      if (client && client.usable) return client;
      client = await connectAccount(access);
      return client;
    },
    async close() {
      const c = client;
      client = null;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
