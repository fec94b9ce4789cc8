// Incremental sync of one account's metadata into the store.
//
// Per folder the server's state is kept as (UIDVALIDITY, last UID copied, HIGHESTMODSEQ, UIDNEXT,
// message count). A sync then does only what changed:
//   - nothing changed (STATUS equal to what we kept): no SELECT at all, ~1-2 ms per folder, and
//     the message log is not even loaded (a sync of an unchanged 100k mailbox reads no record);
//   - new mail: UID FETCH lastUid+1:* of the headers we keep, written in batches; lastUid moves
//     only after a batch is in the store, so a dropped connection or a kill -9 loses nothing and
//     the next sync resumes where the store ends (a UID already stored is skipped: no duplicates);
//     each copy goes to the record of its Message-ID *and* digest (copy-batch.ts): identical
//     copies merge, a copy with other From/Subject/Date/Authentication-Results is its own message;
//   - flag changes: CONDSTORE `CHANGEDSINCE` (RFC 7162), else a FLAGS fetch of the whole folder;
//   - expunges: QRESYNC VANISHED (EARLIER) from that same fetch, else a UID SEARCH comparison when
//     the server has fewer messages than we know;
//   - a changed UIDVALIDITY (RFC 3501 §2.3.1.1: all UIDs are void) drops the folder's locations
//     and copies it again; records of mail still elsewhere keep their other locations;
//   - copies a store of an older version merged by Message-ID alone (copy-batch.ts, unverified)
//     have their headers read again, once, and are placed where they belong;
//   - then the body pass (bodies.ts): every record that needs its text and lacks it, whichever
//     run added it, a bounded number per run; what goes wrong there is in the summary.
import type { ImapFlow, FetchMessageObject } from 'imapflow';
import type { AccountConfig, FolderState, MessageRecord } from '../model.js';
import type { FolderSyncSummary, SyncProgress, SyncSummary } from '../api.js';
import type { Store, MessageLog } from '../store/index.js';
import { BODY_RULES, fetchedHeadersFor } from '../mail/index.js';
import { connectImap, describeImapError } from './connect.js';
import { isSelectable, roleOf, specialUseHints, syncedByDefault } from './roles.js';
import { TriageError } from '../errors.js';
import { bodyPass, TEXT_WANTED } from './bodies.js';
import { CopyBatch, foldersToVerify, persistentFlags, recordOf, verifyCopies } from './copy-batch.js';

export interface SyncOptions {
  account: AccountConfig;
  password: string;
  /** An OAuth2 access token, used instead of the password. */
  accessToken?: string;
  store: Store;
  onProgress?: (p: SyncProgress) => void;
  /** Messages per store write; also how much a crash can make us fetch again. */
  batchSize?: number;
  /** Texts fetched at most per sync (bodies.ts, BODIES_PER_SYNC). */
  maxBodies?: number;
  now?: () => Date;
}

// ---- test hook: inert unless the variables are set (documented in tests/integration/sync-bodies.test.ts)
// TRIAGE_TEST_TRACE=1                   "triage-test: sync-headers-done" on stderr once every folder's
//                                       headers are stored, before the body pass
// TRIAGE_TEST_PAUSE_BEFORE_BODIES_MS=N  sleep N ms there: the crash test kills the process in that window
async function testHook(phase: string): Promise<void> {
  if (process.env.TRIAGE_TEST_TRACE) process.stderr.write(`triage-test: ${phase}\n`);
  const pause = Number(process.env.TRIAGE_TEST_PAUSE_BEFORE_BODIES_MS);
  if (phase === 'sync-headers-done' && pause > 0) await new Promise((r) => setTimeout(r, pause));
}

const folderKey = (account: string, path: string) => `${account}\u0000${path}`;

export async function syncAccount(opts: SyncOptions): Promise<SyncSummary> {
  const { account, store } = opts;
  const started = Date.now();
  const progress = (p: Omit<SyncProgress, 'account'>) => opts.onProgress?.({ account: account.name, ...p });
  const expunged: { path: string; uid: number }[] = [];

  progress({ folder: '', done: 0, total: 0, phase: 'connect' });
  const client = await connectImap({
    server: account.imap,
    password: opts.password,
    accessToken: opts.accessToken,
    onExpunge: (p) => {
      if (p.vanished && typeof p.uid === 'number') expunged.push({ path: p.path, uid: p.uid });
    },
  });
  const summaries: FolderSyncSummary[] = [];
  let bodies: SyncSummary['bodies'];
  try {
    // The message log is opened only when something needs it: a sync that finds every folder as
    // it left it (STATUS below) never reads it. It is opened from its index (store/log-index.ts):
    // the records a sync touches are read one by one, none is loaded for the rest (at 100k
    // messages, loading them all was most of a sync).
    store.setTextRule(TEXT_WANTED);
    const lazy: { log?: Promise<MessageLog> } = {};
    const log = () => (lazy.log ??= store.messageLog(account.name));
    const folders = await discoverFolders(client, account, store, log);
    const synced = folders.filter((f) => f.synced);
    // Copies an older version joined by Message-ID alone (copy-batch.ts): found by a look at the
    // log, once; a folder found clean is marked, so later syncs need not look.
    const verify = synced.some((f) => !f.copiesChecked) ? await foldersToVerify(await log()) : new Set<string>();
    for (const folder of synced) {
      try {
        summaries.push(await syncFolder({ client, folder, log, store, opts, expunged, progress, verify: verify.has(folder.path) }));
      } catch (e) {
        const err = describeImapError(e, account.imap);
        folder.lastError = err.message;
        await store.saveFolder(folder);
        summaries.push({ folder: folder.path, role: folder.role, added: 0, updated: 0, removed: 0, resynced: false, error: err.message });
        // A dead connection fails every later folder too: stop here, keep what was copied.
        if (!client.usable) throw connectionLost(account, folder.path, summaries);
      }
    }
    await testHook('sync-headers-done');
    // Bounces and auto-replies need their text (failed recipient, return date): fetch it now,
    // while connected, so the analysis can run offline. Any record still without one is asked
    // for, whichever run added it: a sync cut off before this point is caught up by the next.
    // Looked for only when some folder stored new copies, or was last looked through under
    // other rules (or by a run that was cut off): a sync that changed nothing costs nothing here.
    const ok = synced.filter((f) => !f.lastError);
    if (client.usable && ok.some((f) => f.bodyRules !== BODY_RULES)) {
      bodies = await bodyPass({ client, log: await log(), folders: new Set(ok.map((f) => f.path)), limit: opts.maxBodies, now: () => (opts.now ? opts.now() : new Date()), progress });
      if ((bodies?.pending ?? 0) === 0 && client.usable) {
        for (const f of ok) {
          if (f.bodyRules === BODY_RULES) continue;
          f.bodyRules = BODY_RULES;
          await store.saveFolder(f);
        }
      }
    }
    if (lazy.log) {
      const l = await lazy.log;
      await markChecked(store, ok, l);
      if (l.needsCompaction()) await l.compact();
      await l.saveIndex();
    }
  } finally {
    // LOGOUT when the connection is alive; otherwise just drop the socket.
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
  progress({ folder: '', done: 1, total: 1, phase: 'done' });
  return { account: account.name, folders: summaries, ms: Date.now() - started, ...(bodies ? { bodies } : {}) };
}

function connectionLost(account: AccountConfig, path: string, summaries: FolderSyncSummary[]): TriageError {
  const e = new TriageError(
    'connection-lost',
    `The connection to ${account.imap.host} was lost while syncing ${path}. What was copied is kept; run sync again to resume.`,
  );
  (e as TriageError & { summaries?: FolderSyncSummary[] }).summaries = summaries;
  return e;
}

/** LIST the server's folders, give each a role, and keep their state in the store. */
async function discoverFolders(client: ImapFlow, account: AccountConfig, store: Store, log: () => Promise<MessageLog>): Promise<FolderState[]> {
  const overrides = Object.fromEntries((account.roleOverrides ?? []).map((o) => [o.path, o.role]));
  const listed = (await client.list({ specialUseHints: specialUseHints(overrides) })).filter(isSelectable);
  const known = new Map((await store.foldersOf(account.name)).map((f) => [f.path, f]));
  const withRoles = listed.map((entry) => ({ entry, ...roleOf(entry, overrides) }));
  const hasAllMail = withRoles.some((f) => f.role === 'all');

  const result: FolderState[] = [];
  for (const { entry, role, source } of withRoles) {
    const prev = known.get(entry.path);
    known.delete(entry.path);
    const folder: FolderState = prev
      ? { ...prev, role, roleSource: source, specialUse: entry.specialUse ?? null }
      : {
          _id: folderKey(account.name, entry.path),
          account: account.name,
          path: entry.path,
          name: entry.name,
          delimiter: entry.delimiter ?? '/',
          role,
          roleSource: source,
          specialUse: entry.specialUse ?? null,
          synced: syncedByDefault(role, hasAllMail),
          uidValidity: null,
          lastUid: 0,
          highestModseq: null,
          uidNext: null,
          serverMessages: null,
          messages: 0,
          lastSyncAt: null,
          // A folder new to the store holds no copy of an older version's.
          copiesChecked: true,
        };
    // Giving a folder a role by hand (e.g. Exchange's "Junk Email") also means: sync it.
    if (source === 'user' && syncedByDefault(role, false)) folder.synced = true;
    if (!prev || prev.role !== folder.role || prev.roleSource !== folder.roleSource || prev.specialUse !== folder.specialUse) {
      await store.saveFolder(folder);
    }
    result.push(folder);
  }
  // Folders gone from the server: their mail is gone from there too.
  for (const gone of known.values()) {
    await dropFolderLocations(await log(), gone.path);
    await store.removeFolder(gone._id);
  }
  return result;
}

interface FolderSyncContext {
  client: ImapFlow;
  folder: FolderState;
  /** The account's message log, loaded on first use. */
  log: () => Promise<MessageLog>;
  store: Store;
  opts: SyncOptions;
  expunged: { path: string; uid: number }[];
  progress: (p: Omit<SyncProgress, 'account'>) => void;
  /** The folder holds copies an older version merged by Message-ID alone: read them again. */
  verify: boolean;
}

async function syncFolder(ctx: FolderSyncContext): Promise<FolderSyncSummary> {
  const { client, folder, store, opts } = ctx;
  const now = () => (opts.now ? opts.now() : new Date()).toISOString();
  const summary: FolderSyncSummary = { folder: folder.path, role: folder.role, added: 0, updated: 0, removed: 0, resynced: false };
  const condstore = client.capabilities.has('CONDSTORE');

  // The no-change check uses STATUS, not EXAMINE: on Dovecot's Maildir an EXAMINE always syncs
  // the folder with its directory while STATUS can answer from the index. Measured on the
  // bench's 100k store: EXAMINE of the four folders 62-84 ms, STATUS 9-13 ms.
  const status = await client.status(folder.path, { messages: true, uidNext: true, uidValidity: true, highestModseq: condstore });
  const same =
    status !== false &&
    condstore &&
    status.highestModseq !== undefined &&
    folder.uidValidity === String(status.uidValidity) &&
    folder.highestModseq === String(status.highestModseq) &&
    folder.uidNext === status.uidNext &&
    folder.serverMessages === status.messages &&
    !ctx.verify;
  if (same) {
    folder.lastSyncAt = now();
    folder.lastError = null;
    await store.saveFolder(folder);
    return summary;
  }

  const log = await ctx.log();
  const mailbox = await client.mailboxOpen(folder.path, { readOnly: true });
  const uidValidity = String(mailbox.uidValidity);
  const serverModseq = mailbox.highestModseq !== undefined && !mailbox.noModseq ? String(mailbox.highestModseq) : null;

  if (folder.uidValidity !== null && folder.uidValidity !== uidValidity) {
    summary.removed += await dropFolderLocations(log, folder.path);
    folder.lastUid = 0;
    folder.highestModseq = null;
    summary.resynced = true;
  }
  folder.uidValidity = uidValidity;

  const index = log.folderIndex(folder.path);
  const knownLastUid = folder.lastUid;

  // 1. Flag changes and expunges of what we already have.
  if (knownLastUid > 0 && mailbox.exists > 0) {
    ctx.progress({ folder: folder.path, done: 0, total: 0, phase: 'flags' });
    ctx.expunged.length = 0;
    // A stored modseq that is not a plain number (a hand-edited store) falls back to a full
    // FLAGS comparison instead of failing this folder on every sync.
    const useChangedSince = condstore && serverModseq !== null && folder.highestModseq !== null && /^\d+$/.test(folder.highestModseq);
    if (!useChangedSince || folder.highestModseq !== serverModseq) {
      const changes: { uid: number; flags: string[] }[] = [];
      const fetchOpts = useChangedSince ? { uid: true, changedSince: BigInt(folder.highestModseq!) } : { uid: true };
      for await (const msg of client.fetch(`1:${knownLastUid}`, { uid: true, flags: true }, fetchOpts)) {
        changes.push({ uid: msg.uid, flags: persistentFlags(msg.flags) });
      }
      summary.updated += await applyFlagChanges(log, folder.path, index, changes);
      const vanished = ctx.expunged.filter((x) => x.path === folder.path).map((x) => x.uid);
      summary.removed += await removeUids(log, folder.path, index, vanished);
    }
  }

  // 2. Copies an older version joined to a record by Message-ID alone: read and placed again.
  if (ctx.verify) {
    // A copy taking over an old record may drop a text it cannot vouch for (copy-batch.ts):
    // owed from before the first batch is written, in case the run is cut off.
    folder.bodyRules = null;
    await store.saveFolder(folder);
    summary.updated += await verifyCopies({ client, log, account: opts.account.name, path: folder.path, role: folder.role, index, batchSize: opts.batchSize ?? 2000, progress: ctx.progress });
  }

  // 3. New mail, in batches; lastUid advances only once a batch is stored.
  const total = Math.max(0, mailbox.exists - index.size);
  let done = 0;
  if (!mailbox.uidNext || mailbox.uidNext > folder.lastUid + 1) {
    ctx.progress({ folder: folder.path, done, total, phase: 'new' });
    const batchSize = opts.batchSize ?? 2000;
    let batch: FetchMessageObject[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const maxUid = batch[batch.length - 1].uid;
      const stored = await storeBatch(log, opts.account.name, folder.path, index, batch);
      summary.added += stored;
      done += batch.length;
      batch = [];
      folder.lastUid = Math.max(folder.lastUid, maxUid);
      // Saved with lastUid: a run cut off before its body pass leaves the texts owed.
      if (stored > 0) folder.bodyRules = null;
      await store.saveFolder(folder);
      ctx.progress({ folder: folder.path, done, total, phase: 'new' });
    };
    // Junk also gets the provider's spam verdicts (model.ts, JUNK_VERDICT_HEADERS).
    const query = { uid: true, flags: true, internalDate: true, size: true, headers: fetchedHeadersFor(folder.role) };
    for await (const msg of client.fetch(`${folder.lastUid + 1}:*`, query, { uid: true })) {
      // "n:*" always returns the highest message, even when it is older than n (RFC 3501 §6.4.8).
      if (msg.uid <= folder.lastUid) continue;
      batch.push(msg);
      if (batch.length >= batchSize) await flush();
      else if (batch.length % 250 === 0) ctx.progress({ folder: folder.path, done: done + batch.length, total, phase: 'new' });
    }
    await flush();
  }

  // 4. Safety net for expunges: fewer messages on the server than we know of means some went
  // away that no VANISHED told us about (no QRESYNC, or a server whose VANISHED is unreliable).
  if (index.size > mailbox.exists) {
    ctx.progress({ folder: folder.path, done, total, phase: 'expunge' });
    const present = new Set<number>((await client.search({ all: true }, { uid: true })) || []);
    const gone = [...index.keys()].filter((uid) => !present.has(uid));
    summary.removed += await removeUids(log, folder.path, index, gone);
  }

  folder.highestModseq = serverModseq;
  folder.uidNext = mailbox.uidNext ?? null;
  folder.serverMessages = mailbox.exists;
  folder.messages = index.size;
  folder.lastSyncAt = now();
  folder.lastError = null;
  await store.saveFolder(folder);
  return summary;
}

/**
 * After a sync that read the log: mark the folders that hold no copy still to be read again
 * (foldersToVerify), so the next sync need not load the log to find out.
 */
async function markChecked(store: Store, folders: FolderState[], log: MessageLog): Promise<void> {
  const pending = await foldersToVerify(log);
  for (const f of folders) {
    const checked = !pending.has(f.path);
    if (Boolean(f.copiesChecked) === checked) continue;
    f.copiesChecked = checked;
    await store.saveFolder(f);
  }
}

/** Store fetched copies: each to the record of its Message-ID and digest (copy-batch.ts). */
async function storeBatch(log: MessageLog, account: string, path: string, index: Map<number, string>, batch: FetchMessageObject[]): Promise<number> {
  const copies = new CopyBatch(log);
  let count = 0;
  for (const msg of batch) {
    // Stored by a run that was cut off before it could move lastUid.
    if (index.has(msg.uid)) continue;
    index.set(msg.uid, copies.place(recordOf(account, path, msg)));
    count++;
  }
  await copies.commit();
  return count;
}

async function applyFlagChanges(
  log: MessageLog,
  path: string,
  index: Map<number, string>,
  changes: { uid: number; flags: string[] }[],
): Promise<number> {
  const changed = new Map<string, MessageRecord>();
  for (const { uid, flags } of changes) {
    const id = index.get(uid);
    if (!id) continue;
    const rec = changed.get(id) ?? log.get(id);
    if (!rec) continue;
    const loc = rec.locations.find((l) => l.folder === path && l.uid === uid);
    if (!loc || sameFlags(loc.flags, flags)) continue;
    changed.set(id, {
      ...rec,
      locations: rec.locations.map((l) => (l.folder === path && l.uid === uid ? { ...l, flags } : l)),
    });
  }
  await log.put([...changed.values()]);
  return changed.size;
}

function sameFlags(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((f) => s.has(f));
}

async function removeUids(log: MessageLog, path: string, index: Map<number, string>, uids: number[]): Promise<number> {
  const changed = new Map<string, MessageRecord>();
  let removed = 0;
  for (const uid of uids) {
    const id = index.get(uid);
    if (!id) continue;
    index.delete(uid);
    const rec = changed.get(id) ?? log.get(id);
    if (!rec) continue;
    changed.set(id, { ...rec, locations: rec.locations.filter((l) => !(l.folder === path && l.uid === uid)) });
    removed++;
  }
  await writeLocations(log, [...changed.values()]);
  return removed;
}

/** Drop every location in a folder (UIDVALIDITY change, folder deleted on the server). */
async function dropFolderLocations(log: MessageLog, path: string): Promise<number> {
  const changed: MessageRecord[] = [];
  let removed = 0;
  // Rare (UIDVALIDITY changed, a folder deleted): every record is looked at, as loaded.
  await log.loadAll();
  for (const r of log.values()) {
    if (!r.locations.some((l) => l.folder === path)) continue;
    const locations = r.locations.filter((l) => l.folder !== path);
    removed += r.locations.length - locations.length;
    changed.push({ ...r, locations });
  }
  await writeLocations(log, changed);
  return removed;
}

/** Records left with no location are gone from the server: delete them. */
async function writeLocations(log: MessageLog, records: MessageRecord[]): Promise<void> {
  await log.remove(records.filter((r) => r.locations.length === 0).map((r) => r._id));
  await log.put(records.filter((r) => r.locations.length > 0));
}
