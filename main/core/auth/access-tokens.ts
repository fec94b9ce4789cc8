// Access tokens for the accounts that sign in with OAuth2: held in memory (and in the vault), given
// out while they have more than a minute to live, refreshed before they expire and once more when a
// server refuses one (`renew`). One refresh per account at a time: the sync, a rescue and send-due
// may all ask at once.
//
// When the provider answers a refresh with invalid_grant (the user revoked the app, changed the
// password, a 7-day "testing" token ran out), the account gets `signInRequired` in the store: its
// sync pauses and its follow-ups wait (send-due defers them, nothing is sent or lost), the user is
// told once (onSignInRequired), and the refused refresh token is never sent again. A new sign-in,
// or another refresh token in the vault, clears it.
//
// Token lifetimes are real time: the command's clock (--now) never decides whether a token is
// still good.
import type { AccountConfig, OAuthProviderId } from '../model.js';
import type { TokenState } from '../api.js';
import type { Store } from '../store/index.js';
import type { AccessTokenSource, Logger } from '../deps/index.js';
import { TriageError } from '../errors.js';
import { resolveProvider, type Env, type OAuthProvider } from './providers.js';
import { tokenFingerprint } from './pkce.js';
import { TokenEndpointError, tokenRequest, type TokenSet } from './token-endpoint.js';
import { tokenEnvName, type StoredGrant, type TokenVault } from './vault.js';

/** A token with less than this left is refreshed before use (a sync may take a while to log in). */
export const REFRESH_MARGIN_MS = 60_000;

export interface AccessTokenDeps {
  store: Store;
  vault: TokenVault;
  env?: Env;
  fetch?: typeof fetch;
  log?: Logger;
  /** Real time in ms. */
  clock?: () => number;
  /** Called once when an account starts to need a new sign-in, with the sentence to show. */
  onSignInRequired?: (account: string, message: string) => void;
  /** The CLI on a terminal: sign in in the browser when no grant is at hand; the tokens, or null. */
  interactiveSignIn?: (account: AccountConfig, provider: OAuthProvider) => Promise<(TokenSet & { refreshToken: string }) | null>;
}

export interface SignInState {
  tokenState: TokenState | null;
  tokenExpiresAt: string | null;
  signInMessage: string | null;
}

type OAuthAuth = Extract<NonNullable<AccountConfig['auth']>, { method: 'oauth2' }>;

export function oauthOf(account: AccountConfig): OAuthAuth | null {
  return account.auth?.method === 'oauth2' ? account.auth : null;
}

export function providerLabel(id: OAuthProviderId): string {
  return id === 'google' ? 'Google' : 'Microsoft';
}

/** The sentence of the "sign in again" state, for every client (the app shows it as it is, on
 *  the account's row): the app's way; the CLI's command is signInAgainCli. */
export function signInAgainMessage(account: AccountConfig, reason: string): string {
  const label = providerLabel(oauthOf(account)?.provider ?? 'google');
  return (
    `${label} no longer accepts the saved sign-in of ${account.name} (${reason}): sign in again (Accounts → Sign in again). ` +
    `Until then its sync is paused and its follow-ups wait; nothing is lost.`
  );
}

/** The same in the terminal (the `cli` part of a 'sign-in-required' error). */
export function signInAgainCli(name: string): string {
  return `In the terminal: triage account sign-in ${name}.`;
}

export class AccessTokens implements AccessTokenSource {
  private readonly held = new Map<string, { accessToken: string; expiresAt: number }>();
  private readonly refreshing = new Map<string, Promise<string>>();
  private readonly providers = new Map<OAuthProviderId, Promise<OAuthProvider>>();
  private readonly clock: () => number;

  constructor(private readonly deps: AccessTokenDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  get vault(): TokenVault {
    return this.deps.vault;
  }

  /** The provider's endpoints (with TRIAGE_OAUTH_<ID>_ISSUER's, read once per process). */
  provider(id: OAuthProviderId): Promise<OAuthProvider> {
    let p = this.providers.get(id);
    if (!p) {
      p = resolveProvider(id, { env: this.deps.env ?? process.env, fetch: this.deps.fetch });
      this.providers.set(id, p);
      p.catch(() => this.providers.delete(id));
    }
    return p;
  }

  async accessToken(account: AccountConfig, { renew = false, interactive = true }: { renew?: boolean; interactive?: boolean } = {}): Promise<string> {
    if (!oauthOf(account)) throw new TriageError('internal', `Account ${account.name} signs in with a password, not a token.`);
    const name = account.name;
    // A flagged account uses nothing it holds: its sync pauses until a new sign-in.
    if (!renew && !account.signInRequired) {
      const held = this.held.get(name) ?? (await this.fromVault(name));
      if (held && held.expiresAt - REFRESH_MARGIN_MS > this.clock()) return held.accessToken;
    }
    // Whoever asks while a refresh runs gets its result (a refused token is then already replaced).
    let run = this.refreshing.get(name);
    if (!run) {
      run = this.refresh(account, interactive).finally(() => this.refreshing.delete(name));
      this.refreshing.set(name, run);
    }
    return run;
  }

  private async fromVault(name: string): Promise<{ accessToken: string; expiresAt: number } | null> {
    const grant = await this.deps.vault.get(name);
    if (!grant?.accessToken || !grant.expiresAt) return null;
    const held = { accessToken: grant.accessToken, expiresAt: grant.expiresAt };
    this.held.set(name, held);
    return held;
  }

  private async refresh(account: AccountConfig, interactive: boolean): Promise<string> {
    const name = account.name;
    const auth = oauthOf(account)!;
    const grant = await this.deps.vault.get(name);
    if (!grant) {
      const signedIn = interactive && this.deps.interactiveSignIn ? await this.deps.interactiveSignIn(account, await this.provider(auth.provider)) : null;
      if (signedIn) {
        await this.saveGrant(name, signedIn);
        return signedIn.accessToken;
      }
      throw new TriageError('sign-in-required', this.noGrantMessage(account), { cli: this.noGrantCli(account) });
    }
    // Another process (or an earlier run) may have flagged it: read the account fresh.
    const current = (await this.deps.store.getAccount(name)) ?? account;
    const fingerprint = tokenFingerprint(grant.refreshToken);
    if (current.signInRequired?.token === fingerprint) throw new TriageError('sign-in-required', signInAgainMessage(current, current.signInRequired.reason), { cli: signInAgainCli(name) });
    const provider = await this.provider(auth.provider);
    let tokens: TokenSet;
    try {
      tokens = await tokenRequest({
        provider,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        fetch: this.deps.fetch,
        nowMs: this.clock(),
        fields: { grant_type: 'refresh_token', refresh_token: grant.refreshToken, ...(provider.scopeOnRefresh ? { scope: provider.scopes.join(' ') } : {}) },
      });
    } catch (e) {
      if (!(e instanceof TokenEndpointError)) throw e;
      if (e.error === 'invalid_grant') throw await this.flag(current, grant, e.message);
      if (e.error === 'invalid_client' || e.error === 'unauthorized_client') {
        throw new TriageError('oauth-not-configured', `${provider.label} no longer accepts the client id of ${name} (${e.message}): check the app registration (docs/OAUTH.md), then sign in again.`);
      }
      throw new TriageError('server-refused', `${provider.label} could not renew the sign-in of ${name} (${e.message}); it is tried again at the next sync.`);
    }
    await this.keep(name, { refreshToken: tokens.refreshToken ?? grant.refreshToken, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt });
    if (current.signInRequired) await this.unflag(name);
    this.deps.log?.debug(`${name}: access token renewed, good until ${new Date(tokens.expiresAt).toISOString()}`);
    return tokens.accessToken;
  }

  private async keep(name: string, grant: Required<StoredGrant>): Promise<void> {
    this.held.set(name, { accessToken: grant.accessToken, expiresAt: grant.expiresAt });
    await this.deps.vault.set(name, grant);
  }

  /** After a browser sign-in: the new grant, and the account may sync and send again. */
  async saveGrant(name: string, tokens: TokenSet & { refreshToken: string }): Promise<void> {
    await this.keep(name, { refreshToken: tokens.refreshToken, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt });
    await this.unflag(name);
  }

  /** The account is gone (or signs in another way now). */
  async forget(name: string): Promise<void> {
    this.held.delete(name);
    await this.deps.vault.remove(name);
  }

  private async flag(account: AccountConfig, grant: StoredGrant, reason: string): Promise<TriageError> {
    const fingerprint = tokenFingerprint(grant.refreshToken);
    this.held.delete(account.name);
    // The dead grant's access token goes too: nothing is used until a new sign-in.
    if (grant.accessToken) await this.deps.vault.set(account.name, { refreshToken: grant.refreshToken });
    const current = await this.deps.store.getAccount(account.name);
    if (current && current.signInRequired?.token !== fingerprint) {
      await this.deps.store.saveAccount({ ...current, signInRequired: { since: new Date(this.clock()).toISOString(), reason, token: fingerprint } });
      // Told once: only when the state begins.
      this.deps.onSignInRequired?.(account.name, signInAgainMessage(account, reason));
    }
    return new TriageError('sign-in-required', signInAgainMessage(account, reason), { cli: signInAgainCli(account.name) });
  }

  private async unflag(name: string): Promise<void> {
    const current = await this.deps.store.getAccount(name);
    if (!current?.signInRequired) return;
    const { signInRequired: _cleared, ...rest } = current;
    await this.deps.store.saveAccount(rest);
  }

  private noGrantMessage(account: AccountConfig): string {
    if (this.deps.vault.persistent) return `No saved sign-in for ${account.name}: sign in again (Accounts → Sign in again).`;
    return `No sign-in for ${account.name} in this process: the command line and the app in a browser keep no token on disk. Sign in again (Accounts → Sign in again).`;
  }

  /** What a terminal user can do instead (the CLI prints it after the sentence). */
  private noGrantCli(account: AccountConfig): string {
    if (this.deps.vault.persistent) return signInAgainCli(account.name);
    return `Run it in a terminal to sign in in the browser, run "triage account sign-in ${account.name}" first, or set ${tokenEnvName(account.name)} to a refresh token (docs/OAUTH.md).`;
  }

  /** What `account list` shows; no network. */
  async state(account: AccountConfig): Promise<SignInState> {
    if (!oauthOf(account)) return { tokenState: null, tokenExpiresAt: null, signInMessage: null };
    const grant = await this.deps.vault.get(account.name);
    const flagged = account.signInRequired;
    if (flagged && (!grant || tokenFingerprint(grant.refreshToken) === flagged.token)) {
      return { tokenState: 'sign-in-again', tokenExpiresAt: null, signInMessage: signInAgainMessage(account, flagged.reason) };
    }
    const held = this.held.get(account.name) ?? (grant?.accessToken && grant.expiresAt ? { accessToken: grant.accessToken, expiresAt: grant.expiresAt } : null);
    if (held && held.expiresAt > this.clock()) return { tokenState: 'valid', tokenExpiresAt: new Date(held.expiresAt).toISOString(), signInMessage: null };
    return { tokenState: grant ? 'needs-refresh' : 'missing', tokenExpiresAt: null, signInMessage: null };
  }
}
