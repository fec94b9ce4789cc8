// The composition root: the one service behind every client. The CLI calls it directly, the
// Electron main process binds it to IPC, `triage serve` to HTTP (main/app/bind.ts adds only change
// events). It builds each feature's dependencies once and delegates; no feature ever sees it.
import type {
  AccountStatus,
  AccountSummary,
  AppApi,
  AppSettings,
  CancelResult,
  ConnectionTest,
  ContactChange,
  ContactInfo,
  ConversationMessage,
  Counts,
  FollowUpPreview,
  FollowUpUpdate,
  JunkEntry,
  NewAccountInput,
  OutgoingMail,
  RhythmPicture,
  OAuthProviderInfo,
  ProviderPreset,
  QueueEntry,
  RescueResult,
  ResendOptions,
  SendDueResult,
  Security,
  ServerCheck,
  SignInRequest,
  SignInResult,
  SignInStart,
  SendNowCheck,
  SyncProgress,
  SyncSummary,
  UnansweredEntry,
  UnansweredHead,
  UnansweredOptions,
} from './api.js';
import type { AccountConfig, FolderRole } from './model.js';
import type { Store } from './store/index.js';
import { accountNamed, mailboxLoader, type MailboxLoader } from './store/index.js';
import { TriageError } from './errors.js';
import { stderrLogger, systemClock, type Clock, type Logger, type SecretStore } from './deps/index.js';
import { localTimeZone, normalizeZone } from './calendar/index.js';
import { syncRunner, TEXT_WANTED, type SyncRunner } from './imap/index.js';
import { readSettings, writeSettings } from './settings/index.js';
import { loadDemo } from './demo/index.js';
import { startLive, type Live, type LiveDeps } from './live/index.js';
import { accountStatus, addAccount, removeAccount, setFolderRole, summarizeAccount, testConnection, updateAccount, type AccountDeps } from './accounts/index.js';
import { SignInFlows, checkServer, type OpenBrowser } from './accounts/index.js';
import {
  AccessTokens,
  OAUTH_PROVIDER_IDS,
  PROVIDER_PRESETS,
  envTokenVault,
  noClientIdMessage,
  oauthOf,
  providerLabel,
  resolveClient,
  withTokens,
  type AccessTokenDeps,
  type Env,
  type TokenVault,
} from './auth/index.js';
import { clearTrust, contactDetails, contactPicture, setTrust, type ContactDeps } from './contacts/index.js';
import { AnalysisCache, conversationOf, dismiss, headOf, junkList, parseNow, rescue, undismiss, unansweredList, type RescueDeps } from './triage/index.js';
import {
  DEFAULT_CAP,
  FollowUpQueue,
  WITNESS_GRACE_MS,
  cancelFollowUp,
  exclusive,
  listQueue,
  markUnanswered,
  outgoingMail,
  previewFollowUp,
  resend,
  restoreFollowUp,
  sendDue,
  sendNow,
  sendNowCheck,
  updateFollowUp,
  type FollowUpDeps,
} from './followup/index.js';

export interface ServiceDeps {
  store: Store;
  secrets: SecretStore;
  /** The clock; commands with --now pass their own instant. */
  now?: Clock;
  onProgress?: (p: SyncProgress) => void;
  /** Warnings (offline quote, unreadable queue entries): stderr by default. */
  log?: Logger;
  /** The bundled sample mailbox (the packaged app keeps it outside the checkout). */
  demoMbox?: string;
  /** Follow-ups per conversation (sent and waiting) before `resend` needs --force. */
  cap?: number;
  /** Real time to wait for a witness copy after an ambiguous send; env TRIAGE_WITNESS_GRACE_MS. */
  witnessGraceMs?: number;
  // ---- OAuth2 sign-in (auth/) ----
  /** Where refresh tokens are kept: the desktop app's keychain-sealed file; by default this
   *  process's memory and TRIAGE_OAUTH_TOKEN_<NAME> (the CLI, `triage serve`). */
  tokenVault?: TokenVault;
  /** Client ids, secrets and test issuers (TRIAGE_OAUTH_*); default process.env. */
  env?: Env;
  fetch?: typeof fetch;
  /** An account began to need a new sign-in (told once). */
  onSignInRequired?: (account: string, message: string) => void;
  /** The CLI on a terminal: sign in in the browser when no token is at hand. */
  interactiveSignIn?: AccessTokenDeps['interactiveSignIn'];
  /** How long a browser sign-in waits (default 5 minutes); a function is read as each sign-in starts. */
  signInTimeoutMs?: number | (() => number);
}

function graceFromEnv(): number {
  const value = Number(process.env.TRIAGE_WITNESS_GRACE_MS);
  return process.env.TRIAGE_WITNESS_GRACE_MS && value >= 0 ? value : WITNESS_GRACE_MS;
}

export class TriageService implements AppApi {
  readonly store: Store;
  /** The lists' analyses, kept until the store changes (its `runs` count what really ran). */
  readonly analyses = new AnalysisCache();
  readonly now: Clock;
  readonly syncs: SyncRunner;
  private readonly mailboxes: MailboxLoader;
  private readonly accountDeps: AccountDeps;
  private readonly triageDeps: RescueDeps;
  private readonly contactDeps: ContactDeps;
  private readonly followUpDeps: FollowUpDeps;
  /** OAuth2 access tokens, refreshed on demand (auth/access-tokens.ts). */
  readonly tokens: AccessTokens;
  private readonly signIns: SignInFlows;
  private readonly env: Env;
  private readonly log: Logger;
  private readonly liveSecrets: SecretStore;

  constructor(private readonly deps: ServiceDeps) {
    const { store } = deps;
    const log = deps.log ?? stderrLogger();
    this.env = deps.env ?? process.env;
    this.tokens = new AccessTokens({
      store,
      vault: deps.tokenVault ?? envTokenVault(this.env),
      env: this.env,
      fetch: deps.fetch,
      log: log.scope('auth'),
      onSignInRequired: deps.onSignInRequired,
      interactiveSignIn: deps.interactiveSignIn,
    });
    // Every feature's secret store also hands out access tokens (imap/session.ts, smtp/).
    const secrets = withTokens(deps.secrets, this.tokens);
    this.log = log;
    this.liveSecrets = secrets;
    const now: Clock = deps.now ?? systemClock;
    const defaultTimeZone = localTimeZone();
    this.store = store;
    // Every write keeps the logs' marks of what the body pass asks for, so the next sync need
    // not load the log to find them (store/log-index.ts).
    store.setTextRule(TEXT_WANTED);
    this.now = now;
    this.mailboxes = mailboxLoader(store);
    this.syncs = syncRunner({ store, secrets, now, onProgress: deps.onProgress });
    this.accountDeps = { store, secrets, now };
    this.signIns = new SignInFlows({ store, secrets, tokens: this.tokens, now, env: this.env, fetch: deps.fetch, timeoutMs: deps.signInTimeoutMs });
    this.triageDeps = { store, secrets, now, mailboxes: this.mailboxes, cache: this.analyses, defaultTimeZone };
    this.contactDeps = { store, now, mailboxes: this.mailboxes, defaultTimeZone };
    this.followUpDeps = {
      store,
      queue: new FollowUpQueue(store.queue),
      secrets,
      mailboxes: this.mailboxes,
      now,
      log: log.scope('followup'),
      sync: (account) => this.syncs.syncOne(account),
      sending: exclusive(),
      cap: deps.cap ?? DEFAULT_CAP,
      graceMs: deps.witnessGraceMs ?? graceFromEnv(),
      defaultTimeZone,
    };
  }

  /** The secret store (the CLI asks it for a password before adding an account). */
  get secrets(): SecretStore {
    return this.deps.secrets;
  }

  // ---- accounts -------------------------------------------------------------------------------

  /** With `check`, each OAuth2 account gets a token now (a refresh, no browser) to prove it valid. */
  async listAccounts(options: { check?: boolean } = {}): Promise<AccountSummary[]> {
    const out: AccountSummary[] = [];
    for (let account of await this.store.listAccounts()) {
      const auth = oauthOf(account);
      if (auth && options.check) {
        await this.tokens.accessToken(account, { interactive: false }).catch(() => undefined);
        account = (await this.store.getAccount(account.name)) ?? account;
      }
      out.push({ ...summarizeAccount(account), auth: auth ? 'oauth2' : 'password', provider: auth?.provider ?? null, ...(await this.tokens.state(account)) });
    }
    return out;
  }

  account(name: string): Promise<AccountConfig> {
    return accountNamed(this.store, name);
  }

  testConnection(input: NewAccountInput, options?: { part?: 'imap' | 'smtp' }): Promise<ConnectionTest> {
    return testConnection(this.accountDeps, input, options);
  }

  /** The summary with its sign-in fields, as listAccounts gives them. */
  async updateAccount(name: string, input: NewAccountInput, options?: { verify?: boolean }): Promise<AccountSummary> {
    const summary = await updateAccount(this.accountDeps, name, input, options);
    const account = await accountNamed(this.store, name);
    const auth = oauthOf(account);
    return { ...summary, auth: auth ? 'oauth2' : 'password', provider: auth?.provider ?? null, ...(await this.tokens.state(account)) };
  }

  async addAccount(input: NewAccountInput, options?: { verify?: boolean }): Promise<AccountSummary> {
    const summary = await addAccount(this.accountDeps, input, options);
    return { ...summary, auth: 'password', provider: null, tokenState: null, tokenExpiresAt: null, signInMessage: null };
  }

  setFolderRole(accountName: string, path: string, role: FolderRole | 'auto'): Promise<AccountConfig> {
    return setFolderRole(this.accountDeps, accountName, path, role);
  }

  async removeAccount(name: string): Promise<void> {
    await removeAccount(this.accountDeps, name);
    await this.tokens.forget(name);
  }

  // ---- signing in (auth/) ---------------------------------------------------------------------

  async providerPresets(): Promise<ProviderPreset[]> {
    return PROVIDER_PRESETS.map((p) => ({ ...p, domains: [...p.domains], imap: { ...p.imap }, smtp: { ...p.smtp } }));
  }

  async oauthProviders(): Promise<OAuthProviderInfo[]> {
    const settings = (await readSettings(this.store)).oauthClients ?? {};
    return OAUTH_PROVIDER_IDS.map((id) => {
      try {
        const client = resolveClient(id, { env: this.env, settings: settings[id] ?? null });
        const source = client.source === 'settings' ? 'settings' : 'environment';
        return { id, label: providerLabel(id), configured: true, clientIdSource: source, message: `Sign in with ${providerLabel(id)} (client id from ${source === 'settings' ? 'Settings' : 'the environment'}).` };
      } catch {
        return { id, label: providerLabel(id), configured: false, clientIdSource: null, message: noClientIdMessage(id) };
      }
    });
  }

  checkServer(server: { host: string; port: number; security?: Security }): Promise<ServerCheck> {
    return checkServer(server);
  }

  /** Begin a browser sign-in; `open` is the app's way to show the URL in the system browser. */
  startSignIn(request: SignInRequest, options: { open?: OpenBrowser } = {}): Promise<SignInStart> {
    return this.signIns.start(request, options);
  }

  finishSignIn(flowId: string): Promise<SignInResult> {
    return this.signIns.finish(flowId);
  }

  async cancelSignIn(flowId: string): Promise<void> {
    this.signIns.cancel(flowId);
  }

  status(): Promise<AccountStatus[]> {
    return accountStatus(this.store);
  }

  // ---- sync -----------------------------------------------------------------------------------

  /** Every account with a server (one at a time in this process), or the named one. */
  sync(options: { account?: string } = {}): Promise<SyncSummary[]> {
    return this.syncs.sync(options);
  }

  /**
   * Live updates for the apps (live/): watch connections per account within the settings'
   * budget; `onNews(account)` runs when its mailboxes changed (the app syncs it then).
   */
  watchMail(options: Pick<LiveDeps, 'onNews'> & Partial<Omit<LiveDeps, 'onNews' | 'store' | 'secrets'>>): Live {
    return startLive({ store: this.store, secrets: this.liveSecrets, log: this.log.scope('live'), ...options });
  }

  // ---- the lists and their actions ------------------------------------------------------------

  /** The list, each entry with its conversation's follow-up (the queue is read every time: it
   *  changes without moving the store's version, and is small). */
  async unanswered(options: UnansweredOptions = {}): Promise<UnansweredEntry[]> {
    const [list, queue] = await Promise.all([unansweredList(this.triageDeps, options), this.followUpDeps.queue.all()]);
    return markUnanswered(list, queue);
  }

  /** The first rows of each group of `unanswered()` and its counts; only those rows are marked
   *  (a row's mark depends on its own conversation only). */
  async unansweredHead(options: { limit?: number } = {}): Promise<UnansweredHead> {
    const [list, queue] = await Promise.all([unansweredList(this.triageDeps), this.followUpDeps.queue.all()]);
    const head = headOf(list, options.limit);
    return { ...head, bounced: markUnanswered(head.bounced, queue), awaiting: markUnanswered(head.awaiting, queue) };
  }

  dismiss(id: string): Promise<void> {
    return dismiss(this.store, id, this.now());
  }

  undismiss(id: string): Promise<void> {
    return undismiss(this.store, id);
  }

  junk(options: { now?: string } = {}): Promise<JunkEntry[]> {
    return junkList(this.triageDeps, options);
  }

  rescue(id: string, options: { undo?: boolean; force?: boolean } = {}): Promise<RescueResult> {
    return rescue(this.triageDeps, id, options);
  }

  /** Trust or block a sender ("anna@acme.com") or a domain ("acme.com"). */
  trust(target: string, kind: 'trusted' | 'blocked'): Promise<void> {
    return setTrust(this.store, target, kind);
  }

  untrust(target: string): Promise<void> {
    return clearTrust(this.store, target);
  }

  /** One contact's rhythm, time zone and overrides; `change` is stored first (null clears). */
  contact(address: string, change: ContactChange = {}): Promise<ContactInfo> {
    return contactDetails(this.contactDeps, address, change);
  }

  /**
   * The pictures of a contact (contacts/picture.ts). With `followUpId`, that follow-up's time is
   * placed on its week; without, where one queued now would go.
   */
  async rhythmPicture(address: string, options: { followUpId?: string; now?: string } = {}): Promise<RhythmPicture> {
    const now = parseNow(options.now, this.now());
    const entry = options.followUpId ? await this.followUpDeps.queue.get(options.followUpId.trim()) : null;
    if (options.followUpId && !entry) throw new TriageError('not-found', `No follow-up "${options.followUpId}" in the queue.`, { cli: 'See "triage queue".' });
    // "Your time" as the app shows it everywhere: this computer's clock.
    const userTimeZone = normalizeZone(this.followUpDeps.defaultTimeZone) ?? 'UTC';
    const planned = entry ? { at: entry.scheduledAt, source: 'queued' as const, followUpId: entry.id, reason: entry.scheduledReason } : null;
    return contactPicture(this.contactDeps, address, { planned, now, userTimeZone });
  }

  /** The exact mail a follow-up would be; nothing is sent (the sample mailbox's "Send now"). */
  outgoingMail(id: string): Promise<OutgoingMail> {
    return outgoingMail(this.followUpDeps, id);
  }

  conversation(id: string): Promise<ConversationMessage[]> {
    return conversationOf({ store: this.store, secrets: this.followUpDeps.secrets, log: this.followUpDeps.log }, id);
  }

  /** The badge numbers, from the same cached analyses as the lists. */
  async counts(): Promise<Counts> {
    const [unanswered, junk, queue] = await Promise.all([unansweredList(this.triageDeps), this.junk(), this.followUpDeps.queue.all()]);
    const awaiting = unanswered.filter((e) => e.status === 'awaiting');
    return {
      unanswered: awaiting.length,
      due: awaiting.filter((e) => e.due === true).length,
      bounced: unanswered.length - awaiting.length,
      junk: junk.filter((j) => j.verdict === 'rescue').length,
      suspicious: junk.filter((j) => j.verdict === 'suspicious').length,
      queue: queue.filter((q) => q.status === 'scheduled' || q.status === 'held' || q.status === 'sending').length,
    };
  }

  // ---- the sample mailbox ---------------------------------------------------------------------

  /** "Explore with sample mail": imports the bundled mailbox as a demo account (demo/). */
  loadDemo(): Promise<AccountSummary> {
    return loadDemo({ store: this.store, now: this.now(), ...(this.deps.demoMbox ? { mboxPath: this.deps.demoMbox } : {}) });
  }

  // ---- follow-ups -----------------------------------------------------------------------------

  resend(id: string, options?: ResendOptions): Promise<QueueEntry[]> {
    return resend(this.followUpDeps, id, options);
  }

  previewFollowUp(id: string, options?: ResendOptions): Promise<FollowUpPreview> {
    return previewFollowUp(this.followUpDeps, id, options);
  }

  queue(): Promise<QueueEntry[]> {
    return listQueue(this.followUpDeps);
  }

  restoreFollowUp(id: string, options?: { hold?: number | boolean }): Promise<QueueEntry> {
    return restoreFollowUp(this.followUpDeps, id, options);
  }

  sendNowCheck(id: string): Promise<SendNowCheck> {
    return sendNowCheck(this.followUpDeps, id);
  }

  cancel(id: string, options?: { plan?: boolean }): Promise<CancelResult> {
    return cancelFollowUp(this.followUpDeps, id, options);
  }

  updateFollowUp(id: string, change: FollowUpUpdate): Promise<QueueEntry> {
    return updateFollowUp(this.followUpDeps, id, change);
  }

  sendNow(id: string): Promise<SendDueResult> {
    return sendNow(this.followUpDeps, id);
  }

  sendDue(options?: { now?: string; confirm?: string[] }): Promise<SendDueResult[]> {
    return sendDue(this.followUpDeps, options);
  }

  // ---- settings -------------------------------------------------------------------------------

  /** startAtLogin is null here: only the desktop app can (main/app/bind.ts adds it there). */
  settings(): Promise<AppSettings> {
    return readSettings(this.store);
  }

  async saveSettings(patch: Partial<AppSettings>): Promise<AppSettings> {
    if (patch.startAtLogin !== undefined && patch.startAtLogin !== null) {
      throw new TriageError('unavailable', 'Starting at login is a setting of the desktop app.');
    }
    return writeSettings(this.store, patch);
  }
}
