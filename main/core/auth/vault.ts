// Where an account's OAuth2 grant (its refresh token, and the last access token) is kept. Never in
// the store and never in plain text on disk:
// - the desktop app: sealed by the OS keychain (safeStorage) in <userData>/tokens.json, through the
//   same SealedSecretStore as passwords (secretTokenVault over it);
// - the CLI and `triage serve`: this process's memory only (envTokenVault). A refresh token can be
//   handed in through TRIAGE_OAUTH_TOKEN_<NAME> (the user keeps it in their own password manager,
//   as TRIAGE_PASSWORD_<NAME> for passwords), and on a terminal the CLI signs in again in the
//   browser when it has none.
import type { SecretStore } from '../deps/index.js';

export interface StoredGrant {
  refreshToken: string;
  /** The last access token and its expiry (ms since the epoch), so a restart need not refresh. */
  accessToken?: string;
  expiresAt?: number;
}

export interface TokenVault {
  get(account: string): Promise<StoredGrant | null>;
  set(account: string, grant: StoredGrant): Promise<void>;
  remove(account: string): Promise<void>;
  /** Whether a grant set now is still there after a restart (the CLI says so to the user). */
  readonly persistent: boolean;
}

/** The variable that may hold an account's refresh token: TRIAGE_OAUTH_TOKEN_<NAME in upper case>. */
export function tokenEnvName(account: string): string {
  return `TRIAGE_OAUTH_TOKEN_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function parseGrant(text: string | null): StoredGrant | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<StoredGrant>;
    if (typeof v?.refreshToken !== 'string' || !v.refreshToken) return null;
    return {
      refreshToken: v.refreshToken,
      ...(typeof v.accessToken === 'string' ? { accessToken: v.accessToken } : {}),
      ...(typeof v.expiresAt === 'number' && Number.isFinite(v.expiresAt) ? { expiresAt: v.expiresAt } : {}),
    };
  } catch {
    return null;
  }
}

/** A grant kept as JSON in a secret store (the desktop app's sealed file). */
export function secretTokenVault(secrets: SecretStore, { persistent = true }: { persistent?: boolean } = {}): TokenVault {
  return {
    persistent,
    get: async (account) => parseGrant(await secrets.get(account)),
    set: (account, grant) => secrets.set(account, JSON.stringify(grant)),
    remove: (account) => secrets.remove(account),
  };
}

/** Memory for this process, and TRIAGE_OAUTH_TOKEN_<NAME> as a refresh token handed in. */
export function envTokenVault(env: Record<string, string | undefined> = process.env): TokenVault {
  const memory = new Map<string, StoredGrant>();
  return {
    persistent: false,
    async get(account) {
      const held = memory.get(account);
      if (held) return held;
      const fromEnv = env[tokenEnvName(account)]?.trim();
      return fromEnv ? { refreshToken: fromEnv } : null;
    },
    async set(account, grant) {
      memory.set(account, grant);
    },
    async remove(account) {
      memory.delete(account);
    },
  };
}
