// The local store: one message log per account (JSON lines), small nedb stores for accounts,
// folders, the follow-up queue and preferences (with the preferences' key space), the data-dir
// lock, and the mailboxes the analyses read.
export { lockDataDir, type DataDirLock } from './lock.js';
export { accountNamed, mailboxLoader, findRecord, roleMap, ownAddresses, foldersFromRoles, type Mailbox, type MailboxLoader } from './mailbox.js';
export { MessageLog, fsyncDir, type LogStats } from './message-log.js';
export { PREF_IDS, readPref, prefsOfKind, writePref, removePref, type PrefKind } from './prefs.js';
export { defaultDataDir, accountFileName, Store, type PrefDoc, type QueueDoc, type AccountDoc } from './store.js';
