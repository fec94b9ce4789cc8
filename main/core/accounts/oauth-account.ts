// Adding an account that signs in with OAuth2, and signing an existing one in again: the browser
// sign-in (auth/flow.ts) started here, the token tried on the account's own IMAP server, and only
// then the account saved (its config in the store, its refresh token in the vault, never on disk
// in plain text). A sign-in runs in the background once started: `finish` waits for it, and the
// account is added even if nobody waits (the app's window was reloaded meanwhile).
import { randomBytes } from 'node:crypto';
import type { AccountSummary, NewOAuthAccountInput, SignInRequest, SignInResult, SignInStart } from '../api.js';
import type { AccountConfig, OAuthProviderId } from '../model.js';
import type { Store } from '../store/index.js';
import type { Clock, SecretStore } from '../deps/index.js';
import { accountNamed } from '../store/index.js';
import { TriageError } from '../errors.js';
import { connectImap, probeImapSecurity } from '../imap/index.js';
import { readSettings } from '../settings/index.js';
import { DEMO_HOST } from '../demo/index.js';
import { AccessTokens, beginSignIn, isOAuthProviderId, oauthOf, resolveClient, tokenEnvName, type Env, type OAuthProvider, type TokenSet } from '../auth/index.js';
import { accountFromInput, summarizeAccount } from './accounts.js';

export interface OAuthAccountDeps {
  store: Store;
  secrets: SecretStore;
  tokens: AccessTokens;
  now: Clock;
  env?: Env;
  fetch?: typeof fetch;
  /** How long a sign-in waits for the browser (default auth/flow.ts's 5 minutes); read as each starts. */
  timeoutMs?: number | (() => number);
}

/** Opens the authorization URL in the system browser; false when it cannot (the caller shows it). */
export type OpenBrowser = (url: string, authorizationEndpoint: string) => Promise<boolean>;

interface Flow {
  provider: OAuthProviderId;
  result: Promise<SignInResult>;
  cancel(): void;
}

/** A finished sign-in's result stays this long for a late `finish`. */
const KEEP_RESULT_MS = 10 * 60_000;

/** The account an OAuth2 sign-in adds: the provider's servers unless others are given. */
export async function oauthAccountConfig(deps: OAuthAccountDeps, input: NewOAuthAccountInput): Promise<{ account: AccountConfig; provider: OAuthProvider }> {
  const id = input.oauth.provider;
  if (!isOAuthProviderId(id)) throw new TriageError('bad-input', `"${String(id)}" is not a sign-in provider: use google or microsoft.`);
  if ((input as { password?: string }).password) throw new TriageError('bad-input', 'An account that signs in with OAuth2 has no password: leave the password out.');
  if (input.imap?.host === DEMO_HOST) throw new TriageError('bad-input', `"${DEMO_HOST}" is reserved for the sample mail.`);
  const settings = (await readSettings(deps.store)).oauthClients?.[id] ?? null;
  const client = resolveClient(id, { flag: input.oauth, env: deps.env, settings });
  const provider = await deps.tokens.provider(id);
  const user = input.imap?.user || (input.name?.includes('@') ? input.name : '');
  if (!user) throw new TriageError('bad-input', `The address to sign in as is missing: ${provider.label} is asked to sign in exactly that account.`, { cli: 'Give --user.' });
  const given = input.imap?.host ? { host: input.imap.host, port: Number(input.imap.port ?? 993), security: input.imap.security } : null;
  if (given && !input.imap.port) throw new TriageError('bad-input', 'The IMAP port is missing.', { cli: 'Give --imap-port.' });
  const imap = given
    ? { ...given, user, security: given.security ?? (await probeImapSecurity(given.host.trim(), given.port)) }
    : { ...provider.imap, user };
  // The provider's SMTP server goes with its IMAP server; another IMAP server's SMTP must be given.
  const smtp = input.smtp?.host ? input.smtp : imap.host.trim().toLowerCase() === provider.imap.host ? { ...provider.smtp, user } : undefined;
  const base = accountFromInput({ ...input, imap, ...(smtp ? { smtp } : {}), password: undefined }, deps.now());
  const account: AccountConfig = { ...base, auth: { method: 'oauth2', provider: id, clientId: client.clientId, ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}) } };
  return { account, provider };
}

/** The token works on the account's own IMAP server (and the user name is the signed-in one). */
async function tryImap(account: AccountConfig, accessToken: string): Promise<void> {
  let client;
  try {
    client = await connectImap({ server: account.imap, password: '', accessToken });
  } catch (e) {
    if ((e as TriageError).code !== 'auth-failed') throw e;
    // Dovecot, Gmail and Exchange take a token only for the user it was issued to.
    throw new TriageError(
      'auth-failed',
      `${account.imap.host} refused the sign-in of ${account.imap.user}: the account chosen in the browser may not be ${account.imap.user}, or IMAP may be off for that mailbox. Nothing was saved; sign in again with that account.`,
    );
  }
  try {
    await client.list();
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export class SignInFlows {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly deps: OAuthAccountDeps) {}

  async start(request: SignInRequest, { open }: { open?: OpenBrowser } = {}): Promise<SignInStart> {
    let again: string | null = null;
    let account: AccountConfig;
    let provider: OAuthProvider;
    if ('signInAgain' in request) {
      again = request.signInAgain;
      account = await accountNamed(this.deps.store, again);
      const auth = oauthOf(account);
      if (!auth) throw new TriageError('bad-input', `Account ${account.name} signs in with a password, not with a provider.`);
      provider = await this.deps.tokens.provider(auth.provider);
    } else {
      ({ account, provider } = await oauthAccountConfig(this.deps, request.account));
      await this.refuseTakenName(account.name);
    }
    const auth = oauthOf(account)!;
    const pending = await beginSignIn({
      provider,
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      loginHint: account.imap.user,
      timeoutMs: typeof this.deps.timeoutMs === 'function' ? this.deps.timeoutMs() : this.deps.timeoutMs,
      fetch: this.deps.fetch,
    });
    const flowId = randomBytes(12).toString('base64url');
    const result = pending.tokens.then((tokens) => this.complete(flowId, account, tokens, again !== null));
    result.catch(() => undefined);
    const flow: Flow = { provider: auth.provider, result, cancel: pending.cancel };
    this.flows.set(flowId, flow);
    // Kept for a late finish, then forgotten (the listener itself closed long before).
    void result
      .catch(() => undefined)
      .then(() => setTimeout(() => this.flows.delete(flowId), KEEP_RESULT_MS).unref?.());
    const opened = open ? await open(pending.url, provider.authorizationEndpoint).catch(() => false) : false;
    return { flowId, url: pending.url, redirectUri: pending.redirectUri, provider: auth.provider, opened, expiresAt: new Date(pending.expiresAt).toISOString() };
  }

  private async refuseTakenName(name: string): Promise<void> {
    const existing = await this.deps.store.listAccounts();
    if (existing.some((a) => a.name === name)) throw new TriageError('bad-input', `An account named "${name}" exists already; remove it first or pick another name.`);
    // TRIAGE_OAUTH_TOKEN_<NAME> (like TRIAGE_PASSWORD_<NAME>) must name one account.
    const clash = existing.find((a) => tokenEnvName(a.name) === tokenEnvName(name));
    if (clash) throw new TriageError('bad-input', `The name "${name}" would share the variable ${tokenEnvName(name)} with the account "${clash.name}": pick a name that differs in letters or digits.`);
  }

  private async complete(flowId: string, account: AccountConfig, tokens: TokenSet & { refreshToken: string }, again: boolean): Promise<SignInResult> {
    const provider = oauthOf(account)!.provider;
    // Signed in at the provider; now the mail server must take the token for this user.
    await tryImap(account, tokens.accessToken);
    if (again) {
      await this.deps.tokens.saveGrant(account.name, tokens);
      return { flowId, provider, account: await this.summary(account.name), outcome: 'signed-in-again' };
    }
    await this.refuseTakenName(account.name);
    await this.deps.tokens.saveGrant(account.name, tokens);
    try {
      await this.deps.store.saveAccount(account);
    } catch (e) {
      await this.deps.tokens.forget(account.name).catch(() => undefined);
      throw e;
    }
    return { flowId, provider, account: await this.summary(account.name), outcome: 'added' };
  }

  private async summary(name: string): Promise<AccountSummary> {
    const account = await accountNamed(this.deps.store, name);
    return { ...summarizeAccount(account), auth: 'oauth2', provider: oauthOf(account)?.provider ?? null, ...(await this.deps.tokens.state(account)) };
  }

  /** Wait for the sign-in's end: the account added or signed in again, or why not. */
  async finish(flowId: string): Promise<SignInResult> {
    const flow = this.flows.get(flowId);
    if (!flow) throw new TriageError('not-found', 'No such sign-in (it ended more than 10 minutes ago, or never began): start it again.');
    return flow.result;
  }

  cancel(flowId: string): void {
    this.flows.get(flowId)?.cancel();
  }
}
