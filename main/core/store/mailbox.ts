// What the analysis sees of one account: its config, its folders (with roles) and its messages.
// The service loads these from the store; tests build them from .eml fixtures.
import type { AccountConfig, FolderRole, FolderState, MessageRecord } from './types.js';

export interface Mailbox {
  account: AccountConfig;
  folders: FolderState[];
  messages: MessageRecord[];
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
