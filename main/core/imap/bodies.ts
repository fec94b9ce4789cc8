// Lazily fetched text for the few messages whose headers are not enough: bounces (the
// delivery-status part names the failed recipient and the original Message-ID) and auto-replies
// (the out-of-office return date is in the text). Fetched once, kept on the record.
//
// Convergence: every sync asks for every record that needs a text and has none, whichever run
// added it, so a sync cut off between the header pass and this one (kill -9, a dropped link) is
// caught up by the next. A bounded number per run keeps a first sync of a mailbox full of bounces
// from stalling. A location the server refuses (tagged NO/BAD) or returns nothing for is
// recorded on the record (`bodyError`) and not asked again; another location of the record is,
// so a refusal never makes a record wait for ever, nor be asked for ever.
import type { ImapFlow } from 'imapflow';
import type { BodySyncSummary, SyncProgress } from '../api.js';
import type { MessageLocation, MessageRecord } from '../model.js';
import type { MessageLog, TextRule } from '../store/index.js';
import { BODY_RULES, MAIL_LIMITS, needsBody } from '../mail/index.js';

/** Enough for a DSN's status part or an out-of-office note; never a whole newsletter. */
export const BODY_BYTES = MAIL_LIMITS.storedBodyBytes;

/**
 * Texts fetched at most per sync: at BODY_BYTES each, 16 MB. A first sync of a mailbox with
 * thousands of bounces spreads them over a few syncs (newest first); the rest wait, counted in
 * the summary's `pending`.
 */
export const BODIES_PER_SYNC = 500;

/** UIDs per FETCH: a command line well under servers' limits (Dovecot: 64 KB). */
const UIDS_PER_FETCH = 200;

/**
 * RFC 5530 response codes that say "not now" rather than "never": such a refusal is reported
 * but not recorded, and the next sync asks again.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'OVERQUOTA', 'ALERT']);

export interface BodyWant {
  record: MessageRecord;
  /** Where to ask for it: a location in a synced folder, not one that failed before. */
  location: MessageLocation;
}

/**
 * The records the body pass may ask for: no text, some location, and needsBody. The store keeps
 * their ids in the log's index (store/message-log.ts), so a sync finds them without reading
 * every record; the tag changes with BODY_RULES, and an index made under other rules is marked
 * again.
 */
export const TEXT_WANTED: TextRule = {
  tag: `needs-body-${BODY_RULES}`,
  wants: (r) => r.bodyText === undefined && Array.isArray(r.locations) && r.locations.length > 0 && wantsText(r),
};

/**
 * Every record whose text is wanted and missing, newest first, with the location to ask. Only
 * locations in `folders` (synced without error in this run) are asked: UIDs there are current.
 * The candidates are the ids the log's index marks (TEXT_WANTED), each read by itself and
 * asked the rule again.
 */
export async function recordsNeedingBody(log: MessageLog, folders: ReadonlySet<string>): Promise<BodyWant[]> {
  log.setTextRule(TEXT_WANTED);
  const out: BodyWant[] = [];
  for (const id of await log.markedIds()) {
    const r = log.get(id);
    if (!r || !TEXT_WANTED.wants(r)) continue;
    const failed = r.bodyError;
    const location = r.locations.find((l) => folders.has(l.folder) && !(failed && l.folder === failed.folder && l.uid === failed.uid));
    if (location) out.push({ record: r, location });
  }
  // Newest first; the id breaks ties, so the order does not depend on the index's.
  out.sort((a, b) => (a.record.internalDate < b.record.internalDate ? 1 : a.record.internalDate > b.record.internalDate ? -1 : a.record._id < b.record._id ? -1 : a.record._id > b.record._id ? 1 : 0));
  return out;
}

/**
 * needsBody is only asked of records without a text, and its verdict for a record object is
 * kept (records are replaced, never changed, on every write), so a resync that changed nothing
 * costs one pass of cheap look-ups.
 */
const noTextNeeded = new WeakSet<MessageRecord>();
function wantsText(r: MessageRecord): boolean {
  if (noTextNeeded.has(r)) return false;
  if (needsBody(r)) return true;
  noTextNeeded.add(r);
  return false;
}

export interface BodyPassInput {
  client: ImapFlow;
  log: MessageLog;
  /** Folders synced without error in this run. */
  folders: ReadonlySet<string>;
  limit?: number;
  now: () => Date;
  progress?: (p: Omit<SyncProgress, 'account'>) => void;
}

/**
 * Fetch the first BODY_BYTES of up to `limit` records that need it, grouped by folder, and keep
 * it on each record. Never throws for what the server does: what went wrong is in `errors`, one
 * sentence per folder, and a lost connection ends the pass (the rest waits for the next sync).
 */
export async function bodyPass(input: BodyPassInput): Promise<BodySyncSummary | undefined> {
  const wanted = await recordsNeedingBody(input.log, input.folders);
  if (!wanted.length) return undefined;
  const limit = Math.max(0, input.limit ?? BODIES_PER_SYNC);
  const chosen = wanted.slice(0, limit);
  const summary: BodySyncSummary = { fetched: 0, failed: 0, pending: wanted.length, errors: [] };
  const byFolder = new Map<string, Map<number, MessageRecord>>();
  for (const { record, location } of chosen) {
    let m = byFolder.get(location.folder);
    if (!m) byFolder.set(location.folder, (m = new Map()));
    m.set(location.uid, record);
  }
  input.progress?.({ folder: '', done: 0, total: chosen.length, phase: 'bodies' });
  let done = 0;
  for (const [folder, byUid] of byFolder) {
    const outcome = await fetchFolder(input, folder, byUid);
    summary.fetched += outcome.fetched;
    summary.failed += outcome.failed;
    if (outcome.error) summary.errors.push(outcome.error);
    done += byUid.size;
    input.progress?.({ folder, done, total: chosen.length, phase: 'bodies' });
    if (!input.client.usable) {
      if (done < chosen.length) summary.errors.push(`The connection was lost while fetching the texts of bounces and auto-replies; the next sync fetches the rest.`);
      break;
    }
  }
  summary.pending = Math.max(0, wanted.length - summary.fetched - summary.failed);
  return summary;
}

interface FolderOutcome {
  fetched: number;
  failed: number;
  error?: string;
}

async function fetchFolder(input: BodyPassInput, folder: string, byUid: Map<number, MessageRecord>): Promise<FolderOutcome> {
  const { client, log } = input;
  const texts = new Map<number, string>();
  let refusal: string | null = null;
  let error: string | undefined;
  try {
    await client.mailboxOpen(folder, { readOnly: true });
    const uids = [...byUid.keys()].sort((a, b) => a - b);
    for (let i = 0; i < uids.length; i += UIDS_PER_FETCH) {
      const set = uids.slice(i, i + UIDS_PER_FETCH).join(',');
      // Collect first, write after: no other IMAP command may run inside a fetch loop.
      for await (const msg of client.fetch(set, { uid: true, source: { start: 0, maxLength: BODY_BYTES } }, { uid: true })) {
        if (msg.source && byUid.has(msg.uid)) texts.set(msg.uid, msg.source.toString('utf8'));
      }
    }
  } catch (e) {
    const words = serverWords(e);
    if (words && !words.transient) {
      refusal = words.text;
      error = `${folder}: the server refused the text of ${byUid.size - texts.size} message${byUid.size - texts.size === 1 ? '' : 's'} (${words.text}); they are not asked for again.`;
    } else {
      // Not an answer about these messages (a dropped link, a timeout, "try later"): keep what
      // came, record nothing, and let the next sync ask again.
      error = `${folder}: texts of ${byUid.size - texts.size} message${byUid.size - texts.size === 1 ? '' : 's'} not fetched (${words?.text ?? (e as Error).message}); the next sync tries again.`;
      await store(log, folder, byUid, texts, null, input.now());
      return { fetched: texts.size, failed: 0, error };
    }
  }
  const failed = await store(log, folder, byUid, texts, refusal ?? 'the server returned nothing for it', input.now());
  return { fetched: texts.size, failed, ...(error ? { error } : {}) };
}

/**
 * Keep the texts that came; with `reason`, record it on the others (at the location asked), so
 * that location is not asked again. Returns how many got a reason.
 */
async function store(log: MessageLog, folder: string, byUid: Map<number, MessageRecord>, texts: Map<number, string>, reason: string | null, now: Date): Promise<number> {
  const updated: MessageRecord[] = [];
  let failed = 0;
  for (const [uid, asked] of byUid) {
    const r = log.get(asked._id);
    if (!r) continue;
    const text = texts.get(uid);
    if (text !== undefined) {
      const { bodyError: _done, ...rest } = r;
      updated.push({ ...rest, bodyText: text });
    } else if (reason !== null) {
      updated.push({ ...r, bodyError: { folder, uid, reason, at: now.toISOString() } });
      failed++;
    }
  }
  await log.put(updated);
  return failed;
}

/** The server's words of a tagged NO/BAD (imapflow sets responseStatus), or null for anything else. */
function serverWords(e: unknown): { text: string; transient: boolean } | null {
  const err = e as { responseStatus?: string; responseText?: string; serverResponseCode?: string; code?: string };
  if (err?.responseStatus !== 'NO' && err?.responseStatus !== 'BAD') return null;
  if (err.code === 'ETHROTTLE') return { text: 'throttled by the server', transient: true };
  const code = (err.serverResponseCode ?? '').toUpperCase();
  const text = `${err.responseStatus}${code ? ` [${code}]` : ''} ${err.responseText ?? ''}`.trim().slice(0, 200);
  return { text, transient: TRANSIENT_CODES.has(code) };
}
