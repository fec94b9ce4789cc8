// Where a server copy goes in the store: one record per Message-ID *and* copy digest
// (model.ts, MessageRecord). Sync builds a record from each fetched copy and places it here:
//   - a record with the same Message-ID and digest exists: the copy is one more location of it
//     (Gmail's All Mail and its labels, the same mail twice in a folder);
//   - one with the same Message-ID but another digest exists: the copy is another message (a
//     forgery reusing a genuine Message-ID, an edited resend) and gets a record of its own;
//   - a record written before copies were compared (no digest) takes this copy's identity; its
//     other locations are marked unverified, and sync reads them again (imap/sync.ts).
// Changes are collected and written in one append per batch (store/message-log.ts), so a kill -9
// leaves either all of a batch or none of it.
import type { MessageLocation, MessageRecord } from '../model.js';
import type { MessageLog } from '../store/index.js';
import { recordIdCandidate } from '../mail/index.js';

/** Ids tried per copy before a random one (see recordIdCandidate). */
const MAX_CANDIDATES = 6;

/** Whether a location was joined to its record by Message-ID alone (by an older version). */
export function isUnverified(record: MessageRecord, location: MessageLocation): boolean {
  return record.digest === undefined || location.unverified === true;
}

/** Folders holding a copy whose headers must be read again (see isUnverified). */
export function foldersToVerify(log: MessageLog): Set<string> {
  const out = new Set<string>();
  if (log.uncheckedRecords === 0) return out; // the common case: no look at every record
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
