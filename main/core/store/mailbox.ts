// What the analysis sees of one account: its config, its folders (with roles) and its messages.
// loadMailboxes reads them from the store; tests build them from .eml fixtures.
import type { AccountConfig, FolderRole, FolderState, MessageRecord } from '../model.js';
import type { Store } from './store.js';
import { TriageError } from '../errors.js';

export interface Mailbox {
  account: AccountConfig;
  folders: FolderState[];
  messages: MessageRecord[];
}

/** Every account's mailbox, or the named account's; what features are given to read the store. */
export type MailboxLoader = (accountName?: string) => Promise<Mailbox[]>;

/** The account by name; a 'not-found' error with the next step when there is none. */
export async function accountNamed(store: Store, name: string): Promise<AccountConfig> {
  const a = await store.getAccount(name);
  if (!a) throw new TriageError('not-found', `No account named "${name}".`, { cli: 'See: triage account list' });
  return a;
}

export function mailboxLoader(store: Store): MailboxLoader {
  return async (accountName) => {
    const accounts = accountName ? [await accountNamed(store, accountName)] : await store.listAccounts();
    const out: Mailbox[] = [];
    for (const account of accounts) {
      const [folders, log] = await Promise.all([store.foldersOf(account.name), store.messages(account.name)]);
      out.push({ account, folders, messages: log.all() });
    }
    return out;
  };
}

export interface FoundRecord {
  account: AccountConfig;
  record: MessageRecord;
}

/** A record by local id or Message-ID (with or without angle brackets), in any account. */
export async function findRecord(store: Store, id: string): Promise<FoundRecord | null> {
  return (await findRecords(store, id))[0] ?? null;
}

/**
 * The record with this local id; else every record carrying this Message-ID, in any account. One
 * Message-ID can name several records: copies that differ in From, Subject, Date or
 * Authentication-Results are different messages (model.ts), so the caller picks or asks.
 */
export async function findRecords(store: Store, id: string): Promise<FoundRecord[]> {
  const key = id.trim().replace(/^<|>$/g, '');
  if (!key) return [];
  const out: FoundRecord[] = [];
  const accounts = await store.listAccounts();
  for (const account of accounts) {
    const direct = (await store.messages(account.name)).get(key);
    if (direct) return [{ account, record: direct }];
  }
  for (const account of accounts) {
    for (const r of (await store.messages(account.name)).values()) if (r.messageId === key) out.push({ account, record: r });
  }
  return out;
}

/** folder path → role, for one mailbox. */
export function roleMap(mailbox: Mailbox): Map<string, FolderRole> {
  const map = new Map<string, FolderRole>();
  for (const f of mailbox.folders) map.set(f.path, f.role);
  return map;
}

/** The user's own addresses of an account, lower case. */
export function ownAddresses(account: AccountConfig): Set<string> {
  return new Set(account.addresses.map((a) => a.toLowerCase()));
}

/** A minimal folder list for tests and the demo: role per path. */
export function foldersFromRoles(account: string, roles: Record<string, FolderRole>): FolderState[] {
  return Object.entries(roles).map(([path, role]) => ({
    _id: `${account}\u0000${path}`,
    account,
    path,
    name: path.split('/').pop() ?? path,
    delimiter: '/',
    role,
    roleSource: 'special-use' as const,
    specialUse: null,
    synced: true,
    uidValidity: '1',
    lastUid: 0,
    highestModseq: null,
    messages: 0,
    lastSyncAt: null,
  }));
}
