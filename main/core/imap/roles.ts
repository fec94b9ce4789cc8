// Folder roles. imapflow already knows the special-use flags (RFC 6154) and guesses them from
// folder names in many languages (specialUseSource 'extension' | 'name' | 'user'); we only map
// its answer to our roles and let the user's overrides win (passed to it as specialUseHints).
import type { FolderRole, RoleSource } from '../model.js';

const SPECIAL_USE_ROLE: Record<string, FolderRole> = {
  '\\Inbox': 'inbox',
  '\\Sent': 'sent',
  '\\Junk': 'junk',
  '\\Archive': 'archive',
  '\\All': 'all',
  '\\Trash': 'trash',
  '\\Drafts': 'drafts',
};

const ROLE_SPECIAL_USE: Partial<Record<FolderRole, string>> = {
  sent: 'sent',
  junk: 'junk',
  archive: 'archive',
  trash: 'trash',
  drafts: 'drafts',
};

export interface ListedFolder {
  path: string;
  specialUse?: string;
  specialUseSource?: string;
  flags?: Set<string>;
}

export function roleOf(entry: ListedFolder, overrides: Record<string, FolderRole> = {}): { role: FolderRole; source: RoleSource } {
  const override = overrides[entry.path];
  if (override) return { role: override, source: 'user' };
  if (entry.path.toUpperCase() === 'INBOX') return { role: 'inbox', source: 'special-use' };
  const role = entry.specialUse ? SPECIAL_USE_ROLE[entry.specialUse] : undefined;
  if (!role) return { role: 'other', source: 'none' };
  const source: RoleSource = entry.specialUseSource === 'name' ? 'name' : entry.specialUseSource === 'user' ? 'user' : 'special-use';
  return { role, source };
}

/** imapflow's `specialUseHints` from the user's overrides (only the types imapflow accepts). */
export function specialUseHints(overrides: Record<string, FolderRole> = {}): Record<string, string> {
  const hints: Record<string, string> = {};
  for (const [path, role] of Object.entries(overrides)) {
    const type = ROLE_SPECIAL_USE[role];
    if (type) hints[type] = path;
  }
  return hints;
}

/** RFC 5258: \NonExistent implies \Noselect; neither can be selected, so neither is synced. */
export function isSelectable(entry: ListedFolder): boolean {
  const flags = entry.flags ?? new Set<string>();
  return !flags.has('\\Noselect') && !flags.has('\\NonExistent');
}

/** Which roles sync copies by default. With an \All folder (Gmail), Inbox and Sent are views of
 *  it: All Mail and Spam hold everything, so the rest is skipped (see ARCHITECTURE.md, Gmail). */
export function syncedByDefault(role: FolderRole, hasAllMail: boolean): boolean {
  if (hasAllMail) return role === 'all' || role === 'junk';
  return role === 'inbox' || role === 'sent' || role === 'junk' || role === 'archive' || role === 'all';
}
