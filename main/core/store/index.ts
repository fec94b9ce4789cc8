// The local store: one message log per account (JSON lines), small nedb stores for accounts,
// folders, the follow-up queue and preferences (with the preferences' key space), saved secrets
// (sealed by the OS keychain), the data-dir lock, and the mailboxes the analyses read.
export { LOCK_NAME, processStartTime, bootId, ownerAlive, lockDataDir, type DataDirLock, type LockOwner } from './lock.js';
export { accountNamed, mailboxLoader, findRecord, findRecords, roleMap, ownAddresses, foldersFromRoles, type Mailbox, type MailboxLoader, type FoundRecord } from './mailbox.js';
export { MessageLog, fsyncDir, type LogStats, type LogCounts, type TextRule } from './message-log.js';
export { PREF_IDS, readPref, prefsOfKind, writePref, removePref, type PrefKind } from './prefs.js';
export { storeFingerprint, readSnapshot, writeSnapshot } from './snapshot-file.js';
export { SealedSecretStore, type Sealer, type SealedSecretStoreOptions } from './secret-file.js';
export { fsyncFile, repairDatafile, makeDurable, openSmallStore } from './small-store.js';
export { defaultDataDir, accountFileName, Store, type PrefDoc, type QueueDoc, type AccountDoc, type StoreOpenOptions } from './store.js';
