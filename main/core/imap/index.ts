// Everything the app says to an IMAP server: the connection and its error sentences, the folder
// roles, the incremental sync engine and its runner, lazily fetched bodies and texts, copies by
// Message-ID, the "Not junk" move, and the watch connection (IDLE, NOTIFY) that live/ keeps open.
// Features never hold an ImapFlow of their own making.
export { connectImap, describeImapError, imapReason, imapServerOf } from './connect.js';
export { isLoopback, probeImapSecurity } from './probe.js';
export { accountCredentials, accountPassword, connectAccount, lazyImap, withImap, type ImapAccess, type ImapClient, type ImapCredentials } from './session.js';
export { readImapAuthOffer } from './auth-probe.js';
export { syncRunner, syncChanged, type SyncRunner, type SyncRunnerDeps } from './sync-runner.js';
export { TEXT_WANTED } from './bodies.js';
export { appendCopy, deleteCopies, findCopies, withCrlf, type CopyLocation } from './copies.js';
export { MAX_QUOTE_SOURCE_BYTES, fetchSource, fetchSourceHeads, fetchText } from './message-text.js';
export { JUNK_KEYWORDS, NOT_JUNK_KEYWORDS, findByMessageId, moveMessage, readCopy, type CopyOnServer, type MoveResult } from './move.js';
export { openWatch, type WatchConnection, type WatchNews, type WatchNewsKind, type WatchOptions } from './watch.js';
