// Where a server copy goes in the store: one record per Message-ID *and* copy digest
// (model.ts, MessageRecord). Sync builds a record from each fetched copy and places it here:
//   - a record with the same Message-ID and digest exists: the copy is one more location of it
//     (Gmail's All Mail and its labels, the same mail twice in a folder);
//   - one with the same Message-ID but another digest exists: the copy is another message (a
//     forgery reusing a genuine Message-ID, an edited resend) and gets a record of its own;
//   - a record written before copies were compared (no digest) takes this copy's identity; its
//     other locations are marked unverified, and sync reads them again (verifyCopies, below).
// Changes are collected and written in one append per batch (store/message-log.ts), so a kill -9
// leaves either all of a batch or none of it.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { SyncProgress } from '../api.js';
import type { FolderRole, MessageLocation, MessageRecord } from '../model.js';
import type { MessageLog } from '../store/index.js';
import { buildRecord, fetchedHeadersFor, recordIdCandidate } from '../mail/index.js';

/** Ids tried per copy before a random one (see recordIdCandidate). */
const MAX_CANDIDATES = 6;

/** Whether a location was joined to its record by Message-ID alone (by an older version). */
export function isUnverified(record: MessageRecord, location: MessageLocation): boolean {
  return record.digest === undefined || location.unverified === true;
}

/**
 * Folders holding a copy whose headers must be read again (see isUnverified). A log with such
 * records is loaded whole (once: sync then marks the folders copiesChecked) to look at every one.
 */
export async function foldersToVerify(log: MessageLog): Promise<Set<string>> {
  const out = new Set<string>();
  if (log.uncheckedRecords === 0) return out; // the common case: no look at every record
  await log.loadAll();
  for (const r of log.values()) {
    for (const l of r.locations) if (isUnverified(r, l)) out.add(l.folder);
  }
  return out;
}

const sameLocation = (l: MessageLocation, folder: string, uid: number) => l.folder === folder && l.uid === uid;

export class CopyBatch {
  private readonly changed = new Map<string, MessageRecord>();

  constructor(private readonly log: MessageLog) {}

  get(id: string): MessageRecord | undefined {
    return this.changed.get(id) ?? this.log.get(id);
  }

  /** Take the location (folder, uid) out of record `id`: the copy is read again and placed anew. */
  detach(id: string, folder: string, uid: number): void {
    const r = this.get(id);
    if (!r || !r.locations.some((l) => sameLocation(l, folder, uid))) return;
    this.changed.set(id, { ...r, locations: r.locations.filter((l) => !sameLocation(l, folder, uid)) });
  }

  /**
   * Put a copy built by buildRecord (one location, a digest) where it belongs; returns the id of
   * the record that now holds its location.
   */
  place(copy: MessageRecord): string {
    const digest = copy.digest!;
    const location = copy.locations[0];
    let free: string | null = null;
    for (let k = 0; k < MAX_CANDIDATES; k++) {
      const id = recordIdCandidate(copy.account, copy.messageId, digest, k);
      const r = this.get(id);
      if (!r) {
        free ??= id;
        // The plain slot free: this copy's record, if any, sits in its own variant slot (the
        // plain record it was split from was removed since). Past that, slots are only taken
        // when the one before held another message: a free one ends the search.
        if (k >= 1) break;
        continue;
      }
      if (r.messageId !== copy.messageId) continue; // another Message-ID hashed here
      if (r.digest === digest) {
        const locations = r.locations.filter((l) => !sameLocation(l, location.folder, location.uid));
        locations.push(location);
        this.changed.set(id, { ...r, locations });
        return id;
      }
      if (r.digest === undefined) {
        this.changed.set(id, adoptLegacy(r, copy));
        return id;
      }
    }
    // No record of this copy yet. With every candidate taken (crafted ids), a random suffix.
    const id = free ?? recordIdCandidate(copy.account, `${copy.messageId}\u0000${Math.random()}`, digest, 1);
    this.changed.set(id, { ...copy, _id: id });
    return id;
  }

  /** Write the batch: records left without a location are gone from the server. */
  async commit(): Promise<number> {
    const records = [...this.changed.values()];
    this.changed.clear();
    await this.log.remove(records.filter((r) => r.locations.length === 0).map((r) => r._id));
    await this.log.put(records.filter((r) => r.locations.length > 0));
    return records.length;
  }
}

/**
 * A record from before copies were compared takes the identity of its first copy read again: its
 * id (so the CLI ids and dismissals of the common case stay), this copy's headers and digest. Its
 * other locations may be other messages: they stay, marked unverified, until their folder is read.
 * Its text is kept only when it can only have come from this copy.
 */
function adoptLegacy(legacy: MessageRecord, copy: MessageRecord): MessageRecord {
  const location = copy.locations[0];
  const others = legacy.locations.filter((l) => !sameLocation(l, location.folder, location.uid));
  const adopted: MessageRecord = {
    ...copy,
    _id: legacy._id,
    locations: [location, ...others.map((l) => ({ ...l, unverified: true as const }))],
  };
  if (others.length === 0 && legacy.bodyText !== undefined) adopted.bodyText = legacy.bodyText;
  return adopted;
}

/** RFC 3501 §2.3.2: \Recent belongs to one session, not to the message; never store it. */
export function persistentFlags(flags: Set<string> | undefined): string[] {
  return flags ? [...flags].filter((f) => f !== '\\Recent') : [];
}

/** A fetched message as a record (one location); never throws, so one message can never stop the sync. */
export function recordOf(account: string, path: string, msg: FetchMessageObject): MessageRecord {
  try {
    return buildRecord({
      account,
      folder: path,
      uid: msg.uid,
      flags: persistentFlags(msg.flags),
      internalDate: msg.internalDate as Date | string | undefined,
      size: msg.size,
      header: msg.headers ?? '',
    });
  } catch (e) {
    // buildRecord does not throw on bad input; this is a last guard.
    const record = buildRecord({ account, folder: path, uid: msg.uid, flags: [], internalDate: null, header: '' });
    record.problems = [...(record.problems ?? []), `unreadable: ${(e as Error).message}`];
    return record;
  }
}

/**
 * Read again the headers of this folder's copies that an older version joined to a record by
 * Message-ID alone, and place each where it belongs: most stay (their digest is the record's),
 * a copy that differs becomes a message of its own. Returns how many copies changed record.
 */
export async function verifyCopies(ctx: {
  client: ImapFlow;
  log: MessageLog;
  account: string;
  path: string;
  /** The folder's role: a Junk folder's copies carry the provider's spam verdict headers too. */
  role: FolderRole;
  index: Map<number, string>;
  batchSize: number;
  progress: (p: Omit<SyncProgress, 'account'>) => void;
}): Promise<number> {
  const { client, log, account, path, index, batchSize } = ctx;
  const uids: number[] = [];
  for (const [uid, id] of index) {
    const r = log.get(id);
    const loc = r?.locations.find((l) => l.folder === path && l.uid === uid);
    if (r && loc && isUnverified(r, loc)) uids.push(uid);
  }
  uids.sort((a, b) => a - b);
  const query = { uid: true, flags: true, internalDate: true, size: true, headers: fetchedHeadersFor(ctx.role) };
  let moved = 0;
  for (let i = 0; i < uids.length; i += batchSize) {
    const part = uids.slice(i, i + batchSize);
    ctx.progress({ folder: path, done: i, total: uids.length, phase: 'verify' });
    // Collect first, write after: no other IMAP command may run inside a fetch loop.
    const fetched: FetchMessageObject[] = [];
    for await (const msg of client.fetch(uidSet(part), query, { uid: true })) fetched.push(msg);
    const copies = new CopyBatch(log);
    for (const msg of fetched) {
      const before = index.get(msg.uid);
      if (before === undefined) continue;
      copies.detach(before, path, msg.uid);
      const after = copies.place(recordOf(account, path, msg));
      index.set(msg.uid, after);
      if (after !== before) moved++;
    }
    // A copy not returned was expunged meanwhile: step 4 or the next sync removes it.
    await copies.commit();
  }
  return moved;
}

/** "1:5,7,9:12": a UID set (RFC 3501 §9, sequence-set) of sorted UIDs. */
function uidSet(sorted: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(sorted[i] === start ? String(start) : `${start}:${sorted[i]}`);
  }
  return parts.join(',');
}
