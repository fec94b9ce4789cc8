// The one service behind every client: the CLI calls it directly, the Electron main process binds
// it to IPC, and `triage serve` binds it to HTTP. One implementation of each action.
import type {
  AccountStatus,
  AccountSummary,
  FolderStatus,
  NewAccountInput,
  SyncProgress,
  SyncSummary,
} from './api.js';
import type { AccountConfig, FolderRole, Security } from './store/types.js';

const FOLDER_ROLES: FolderRole[] = ['inbox', 'sent', 'junk', 'archive', 'all', 'trash', 'drafts', 'other'];
import type { Store } from './store/store.js';
import type { SecretStore } from './deps/secrets.js';
import type { Mailbox } from './store/mailbox.js';
import { TriageError, toApiError } from './errors.js';
import { connectImap } from './imap/connect.js';
import { isLoopback, probeImapSecurity } from './imap/probe.js';
import { syncAccount } from './imap/sync.js';
import { loadDemo } from './demo/sample-mailbox.js';
import { TriageActions } from './triage/actions.js';
import { contactDetails, type ContactChange, type ContactDetails } from './contacts/details.js';
import { FollowUps, type CancelResult, type SendDueResult } from './followup/followups.js';
import type { FollowUpJson } from './followup/queue.js';
import type { FollowUpUpdate, ResendOptions } from './api.js';

export interface ServiceDeps {
  store: Store;
  secrets: SecretStore;
  /** The clock; commands with --now pass their own instant. */
  now?: () => Date;
  onProgress?: (p: SyncProgress) => void;
}

const SECURITIES: Security[] = ['tls', 'starttls', 'none'];
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export class TriageService {
  /** Unanswered and Junk lists, rescue, trust, dismiss. */
  readonly triage: TriageActions;

  constructor(readonly deps: ServiceDeps) {
    this.triage = new TriageActions(this);
  }

  get store(): Store {
    return this.deps.store;
  }

  now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  // ---- accounts -------------------------------------------------------------------------------

  async listAccounts(): Promise<AccountSummary[]> {
    return (await this.store.listAccounts()).map(summarizeAccount);
  }

  async account(name: string): Promise<AccountConfig> {
    const a = await this.store.getAccount(name);
    if (!a) throw new TriageError('not-found', `No account named "${name}". See: triage account list`);
    return a;
  }

  /** Validate and normalise what a user typed into an account config. */
  accountFromInput(input: NewAccountInput): AccountConfig {
    const name = String(input.name ?? '').trim();
    if (!NAME_RE.test(name)) throw new TriageError('bad-input', `Account name "${name}" is not usable: use letters, digits and . _ @ + - (up to 64).`);
    const imap = input.imap;
    if (!imap?.host) throw new TriageError('bad-input', 'The IMAP host is missing (--imap-host).');
    const port = Number(imap.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TriageError('bad-input', `IMAP port "${imap.port}" is not a port number.`);
    const security = imap.security ?? (port === 993 ? 'tls' : port === 143 ? 'starttls' : 'tls');
    if (!SECURITIES.includes(security)) throw new TriageError('bad-input', `Security "${security}" is not one of tls, starttls, none.`);
    if (!imap.user) throw new TriageError('bad-input', 'The IMAP user is missing (--user).');
    let smtp: AccountConfig['smtp'];
    if (input.smtp?.host) {
      const sport = Number(input.smtp.port);
      if (!Number.isInteger(sport) || sport < 1 || sport > 65535) throw new TriageError('bad-input', `SMTP port "${input.smtp.port}" is not a port number.`);
      // RFC 8314: 465 is implicit TLS, 587 submission with STARTTLS; a loopback test server
      // usually has neither.
      const ssec = input.smtp.security ?? (sport === 465 ? 'tls' : isLoopback(input.smtp.host) ? 'none' : 'starttls');
      if (!SECURITIES.includes(ssec)) throw new TriageError('bad-input', `SMTP security "${ssec}" is not one of tls, starttls, none.`);
      smtp = { host: input.smtp.host, port: sport, security: ssec, user: input.smtp.user || imap.user };
    }
    const addresses = (input.addresses?.length ? input.addresses : imap.user.includes('@') ? [imap.user] : [])
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean);
    for (const a of addresses) {
      if (!/^[^\s@]+@[^\s@]+$/.test(a)) throw new TriageError('bad-input', `"${a}" is not an e-mail address.`);
    }
    if (input.timeZone && !validTimeZone(input.timeZone)) throw new TriageError('bad-input', `"${input.timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);
    if (input.country && !/^[A-Za-z]{2}$/.test(input.country)) throw new TriageError('bad-input', `"${input.country}" is not a two-letter country code.`);
    return {
      name,
      imap: { host: imap.host.trim(), port, security, user: imap.user },
      ...(smtp ? { smtp } : {}),
      addresses: [...new Set(addresses)],
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      ...(input.country ? { country: input.country.toUpperCase() } : {}),
      createdAt: this.now().toISOString(),
    };
  }

  /** Log in and list folders: proves host, port, security and password. */
  async testConnection(input: NewAccountInput): Promise<{ ok: true; folders: number }> {
    const account = this.accountFromInput(input);
    const password = input.password ?? (await this.deps.secrets.get(account.name));
    if (!password) throw new TriageError('bad-input', `No password for ${account.name}.`);
    const client = await connectImap({ server: account.imap, password });
    try {
      const folders = await client.list();
      return { ok: true, folders: folders.length };
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async addAccount(input: NewAccountInput, { verify = true }: { verify?: boolean } = {}): Promise<AccountSummary> {
    if (!input.imap?.security && input.imap?.host) {
      // No --security: ask the server what it speaks rather than guess from the port.
      input = { ...input, imap: { ...input.imap, security: await probeImapSecurity(input.imap.host.trim(), Number(input.imap.port)) } };
    }
    const account = this.accountFromInput(input);
    if (await this.store.getAccount(account.name)) {
      throw new TriageError('bad-input', `An account named "${account.name}" exists already; remove it first or pick another name.`);
    }
    const password = input.password ?? (await this.deps.secrets.get(account.name));
    if (verify && password) await this.testConnection({ ...input, password });
    if (input.password) await this.deps.secrets.set(account.name, input.password);
    await this.store.saveAccount(account);
    return summarizeAccount(account);
  }

  /**
   * Give a folder a role by hand (e.g. Exchange's "Junk Email" as junk), or 'auto' to go back to
   * the server's. Stored on the account; the next sync applies it (and syncs the folder).
   */
  async setFolderRole(accountName: string, path: string, role: FolderRole | 'auto'): Promise<AccountConfig> {
    const account = await this.account(accountName);
    if (!path.trim()) throw new TriageError('bad-input', 'The folder path is empty.');
    if (role !== 'auto' && !FOLDER_ROLES.includes(role)) throw new TriageError('bad-input', `"${role}" is not a role: use ${FOLDER_ROLES.join(', ')} or auto.`);
    const others = (account.roleOverrides ?? []).filter((o) => o.path !== path);
    const updated: AccountConfig = { ...account, roleOverrides: role === 'auto' ? others : [...others, { path, role }] };
    await this.store.saveAccount(updated);
    return updated;
  }

  async removeAccount(name: string): Promise<void> {
    await this.account(name);
    await this.store.removeAccount(name);
    await this.deps.secrets.remove(name);
  }

  // ---- sync -----------------------------------------------------------------------------------

  async sync(options: { account?: string } = {}): Promise<SyncSummary[]> {
    const accounts = options.account ? [await this.account(options.account)] : await this.store.listAccounts();
    if (!accounts.length) throw new TriageError('not-found', 'No account yet. Add one: triage account add NAME --imap-host H --imap-port P --user U');
    const results: SyncSummary[] = [];
    for (const account of accounts) {
      try {
        const password = await this.deps.secrets.get(account.name);
        if (password === null) {
          throw new TriageError('auth-failed', `No password for account ${account.name}: set TRIAGE_PASSWORD_${account.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')} (or TRIAGE_PASSWORD), or run in a terminal to be asked.`);
        }
        results.push(await syncAccount({ account, password, store: this.store, onProgress: this.deps.onProgress, now: () => this.now() }));
      } catch (e) {
        // One account's trouble (a wrong password, a server down) must not keep the others from
        // syncing; with a single account the error is the answer.
        if (accounts.length === 1) throw e;
        results.push({ account: account.name, folders: [], ms: 0, error: toApiError(e).message });
      }
    }
    return results;
  }

  async status(): Promise<AccountStatus[]> {
    const out: AccountStatus[] = [];
    for (const account of await this.store.listAccounts()) {
      const folders = await this.store.foldersOf(account.name);
      const log = await this.store.messages(account.name);
      const counts = new Map<string, number>();
      for (const r of log.values()) for (const l of r.locations) counts.set(l.folder, (counts.get(l.folder) ?? 0) + 1);
      const fs: FolderStatus[] = folders.map((f) => ({
        account: account.name,
        path: f.path,
        name: f.name,
        specialUse: f.specialUse,
        role: f.role,
        roleSource: f.roleSource,
        synced: f.synced,
        messages: counts.get(f.path) ?? 0,
        serverMessages: f.serverMessages ?? null,
        lastSyncAt: f.lastSyncAt,
        lastError: f.lastError ?? null,
      }));
      const lastSync = fs.map((f) => f.lastSyncAt).filter((x): x is string => !!x).sort().pop() ?? null;
      out.push({ account: account.name, folders: fs, messages: log.size, lastSyncAt: lastSync });
    }
    return out;
  }

  // ---- triage (main/core/triage/actions.ts) ---------------------------------------------------

  unanswered(options: { now?: string; minAgeHours?: number; due?: boolean; account?: string } = {}) {
    return this.triage.unanswered(options);
  }

  dismiss(id: string): Promise<void> {
    return this.triage.dismiss(id);
  }

  junk() {
    return this.triage.junk({ now: this.now().toISOString() });
  }

  rescue(id: string, options: { undo?: boolean; force?: boolean } = {}) {
    return this.triage.rescue(id, options);
  }

  trust(target: string, kind: 'trusted' | 'blocked'): Promise<void> {
    return this.triage.trust(target, kind);
  }

  /** One contact's rhythm, time zone and overrides; `overrides` stores changes first (null clears). */
  contact(address: string, overrides: ContactChange = {}): Promise<ContactDetails> {
    return contactDetails(this, address, overrides);
  }

  // ---- analysis input -------------------------------------------------------------------------

  /** Every account's folders and messages, as the pure analysis functions take them. */
  async mailboxes(accountName?: string): Promise<Mailbox[]> {
    const accounts = accountName ? [await this.account(accountName)] : await this.store.listAccounts();
    const out: Mailbox[] = [];
    for (const account of accounts) {
      const [folders, log] = await Promise.all([this.store.foldersOf(account.name), this.store.messages(account.name)]);
      out.push({ account, folders, messages: log.all() });
    }
    return out;
  }

  // ---- demo -----------------------------------------------------------------------------------

  /** "Explore with sample mail": imports the bundled mailbox as a demo account (see demo.ts). */
  async loadDemo(): Promise<AccountSummary> {
    return loadDemo({ store: this.store, now: this.now() });
  }

  // ---- follow-ups (main/core/followup/followups.ts) -------------------------------------------

  private followUpsInstance: FollowUps | null = null;

  get followUps(): FollowUps {
    return (this.followUpsInstance ??= new FollowUps(this));
  }

  resend(id: string, options?: ResendOptions): Promise<FollowUpJson[]> {
    return this.followUps.resend(id, options);
  }

  queue(): Promise<FollowUpJson[]> {
    return this.followUps.list();
  }

  cancel(id: string, options?: { plan?: boolean }): Promise<CancelResult> {
    return this.followUps.cancel(id, options);
  }

  updateFollowUp(id: string, change: FollowUpUpdate): Promise<FollowUpJson> {
    return this.followUps.updateFollowUp(id, change);
  }

  sendNow(id: string): Promise<SendDueResult> {
    return this.followUps.sendNow(id);
  }

  sendDue(options?: { now?: string; confirm?: string[] }): Promise<SendDueResult[]> {
    return this.followUps.sendDue(options);
  }
}

function summarizeAccount(a: AccountConfig): AccountSummary {
  return {
    name: a.name,
    user: a.imap.user,
    imapHost: a.imap.host,
    imapSecurity: a.imap.security,
    addresses: a.addresses,
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.country ? { country: a.country } : {}),
  };
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
