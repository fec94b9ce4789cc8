// Where account passwords come from. The core never stores one in plain text: the Electron app
// keeps them through the OS keychain (safeStorage), the CLI reads them from the environment or a
// prompt each time, `triage serve` keeps them in memory only.
import type { AccountConfig } from '../model.js';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  /** Keep a password for later runs, where the platform can do so safely; may be a no-op. */
  set(account: string, password: string): Promise<void>;
  remove(account: string): Promise<void>;
  /**
   * Access tokens for accounts that sign in with OAuth2 (auth/access-tokens.ts): the service
   * gives its features a secret store that carries them, so every IMAP and SMTP connection
   * (imap/session.ts, smtp/transaction.ts) gets fresh credentials the same way.
   */
  readonly tokens?: AccessTokenSource;
}

/** A fresh OAuth2 access token for an account; `renew` after the server refused the last one. */
export interface AccessTokenSource {
  accessToken(account: AccountConfig, options?: { renew?: boolean }): Promise<string>;
}

/** The variable that holds one account's password: TRIAGE_PASSWORD_<NAME in upper case,
 *  non-alphanumerics as _>. Two names that map to one variable cannot both be accounts. */
export function passwordEnvName(account: string): string {
  return `TRIAGE_PASSWORD_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The account's own variable, then the general TRIAGE_PASSWORD. */
export function passwordEnvNames(account: string): string[] {
  return [passwordEnvName(account), 'TRIAGE_PASSWORD'];
}

export interface EnvSecretOptions {
  /**
   * The accounts that exist. Given, the general TRIAGE_PASSWORD is used only while this account is
   * the only one: with two accounts it would be sent to both servers, and one of them would get
   * the other's password.
   */
  accounts?: () => Promise<string[]>;
}

export class EnvSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly prompt?: (account: string) => Promise<string | null>,
    private readonly options: EnvSecretOptions = {},
  ) {}

  async get(account: string): Promise<string | null> {
    const mem = this.memory.get(account);
    if (mem !== undefined) return mem;
    const own = this.env[passwordEnvName(account)];
    if (own) return own;
    const general = this.env.TRIAGE_PASSWORD;
    if (general && (!this.options.accounts || (await this.options.accounts()).every((name) => name === account))) return general;
    if (this.prompt) {
      const p = await this.prompt(account);
      if (p) this.memory.set(account, p);
      return p;
    }
    return null;
  }

  /** Memory only, for this process: the CLI never writes a password to disk. */
  async set(account: string, password: string): Promise<void> {
    this.memory.set(account, password);
  }

  async remove(account: string): Promise<void> {
    this.memory.delete(account);
  }
}
