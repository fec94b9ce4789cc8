// What every IMAP server of the rig offers tests, whichever server runs behind it (Dovecot in
// tests/rig/dovecot.ts, Cyrus in tests/rig/cyrus.ts), so one scenario can run against each:
//
//   for (const [name, start] of Object.entries(IMAP_SERVERS)) describe(name, () => { ... start() ... })
import type { SeedMessage } from './maildir.js';

export type { SeedMessage } from './maildir.js';

/** Which folders a user gets: a plain layout (Sent, Junk, Archive, Trash, Drafts) or Gmail's. */
export type Layout = 'standard' | 'gmail';

/** Role → folder name segments; each server decides how they are joined. */
export const LAYOUTS: Record<Layout, Record<string, string[]>> = {
  standard: { sent: ['Sent'], junk: ['Junk'], archive: ['Archive'], trash: ['Trash'], drafts: ['Drafts'] },
  // Gmail: only All Mail, Spam and Trash are real folders; the rest are label views.
  gmail: {
    sent: ['[Gmail]', 'Sent Mail'],
    junk: ['[Gmail]', 'Spam'],
    all: ['[Gmail]', 'All Mail'],
    trash: ['[Gmail]', 'Trash'],
    drafts: ['[Gmail]', 'Drafts'],
  },
};

/** role → IMAP path of a layout's folders (always with `inbox: 'INBOX'`), the names of each
 *  folder joined by the server's way. */
export function layoutFolders(layout: Layout, joinNames: (names: string[]) => string): Record<string, string> {
  const folders: Record<string, string> = { inbox: 'INBOX' };
  for (const [role, names] of Object.entries(LAYOUTS[layout])) folders[role] = joinNames(names);
  return folders;
}

/** SPECIAL-USE (RFC 6154) attribute of each layout folder, by its path with '/' as separator. A
 *  folder of this name gets the attribute on any rig server (Dovecot: by config; Cyrus: CREATE
 *  ... (USE (...)) when the rig creates it). */
export const SPECIAL_USE: Record<string, string> = {
  Sent: '\\Sent',
  Junk: '\\Junk',
  Archive: '\\Archive',
  Trash: '\\Trash',
  Drafts: '\\Drafts',
  '[Gmail]/Sent Mail': '\\Sent',
  '[Gmail]/Spam': '\\Junk',
  '[Gmail]/All Mail': '\\All',
  '[Gmail]/Trash': '\\Trash',
  '[Gmail]/Drafts': '\\Drafts',
};

export interface MailUser {
  user: string;
  password: string;
  layout: Layout;
  /** role → IMAP path of the folders this user has (inbox, sent, junk, ...). */
  folders: Record<string, string>;
  /** Puts messages into a folder (created when missing) in order: seeding order = UID order. */
  seed(folderPath: string, messages: SeedMessage[]): Promise<void>;
  createFolder(folderPath: string): Promise<void>;
  /** Deletes the folder and creates it again over IMAP: empty, same name, same SPECIAL-USE
   *  attribute, and a new UIDVALIDITY, as when another client deleted and re-created it. */
  recreateFolder(folderPath: string): Promise<void>;
}

export type ServerKind = 'dovecot' | 'cyrus';

/** A running IMAP server of the rig, on loopback, with LMTP for the SMTP rig to deliver into. */
export interface ImapServerRig {
  readonly kind: ServerKind;
  host: '127.0.0.1';
  port: number;
  /** LMTP on loopback (plain, no AUTH): `startSmtp({ lmtpPort })` delivers into this server. */
  lmtpPort: number;
  /** The instance dir (config, state, mail); removed by stop(). */
  dir: string;
  /** The PID of the server process the rig started; it changes on restart(). */
  readonly pid: number;
  addUser(user: string, password: string, layout?: Layout): Promise<MailUser>;
  stop(): Promise<void>;
  /** Stops and starts the server on the same ports and data; open connections are cut. */
  restart(): Promise<void>;
}
