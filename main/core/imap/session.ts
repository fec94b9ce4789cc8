// One IMAP session for one piece of work: the account's password from the secret store, a
// connection to the account's own server, the work, and a logout whatever happened. Every
// feature that talks IMAP goes through here (or through the sync engine).
import type { ImapFlow } from 'imapflow';
import type { AccountConfig } from '../model.js';
import type { SecretStore } from '../deps/index.js';
import { passwordEnvNames } from '../deps/index.js';
import { TriageError } from '../errors.js';
import { connectImap, describeImapError } from './connect.js';

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

/** Run `work` on a fresh connection to the account's server; failures become TriageErrors. */
export async function withImap<T>(access: ImapAccess, work: (client: ImapClient) => Promise<T>): Promise<T> {
  const password = await accountPassword(access);
  const client = await connectImap({ server: access.account.imap, password });
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
      client = await connectImap({ server: access.account.imap, password: await accountPassword(access) });
      return client;
    },
    async close() {
      const c = client;
      client = null;
      if (c) await c.logout().catch(() => c.close());
    },
  };
}
