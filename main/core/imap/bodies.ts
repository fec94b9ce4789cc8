// Lazily fetched text for the few messages whose headers are not enough: bounces (the
// delivery-status part names the failed recipient and the original Message-ID) and auto-replies
// (the out-of-office return date is in the text). Fetched once, kept on the record.
import type { ImapFlow } from 'imapflow';
import type { MessageRecord } from '../model.js';
import type { MessageLog } from '../store/index.js';
import { MAIL_LIMITS, needsBody } from '../mail/index.js';

/** Enough for a DSN's status part or an out-of-office note; never a whole newsletter. */
export const BODY_BYTES = MAIL_LIMITS.storedBodyBytes;

/** Of the given records (those a sync just added), the ones whose text is wanted and missing. */
export function recordsNeedingBody(log: MessageLog, ids: Iterable<string>): MessageRecord[] {
  const out: MessageRecord[] = [];
  for (const id of ids) {
    const r = log.get(id);
    if (r && r.bodyText === undefined && r.locations.length && needsBody(r)) out.push(r);
  }
  return out;
}

/** Fetch the first BODY_BYTES of each record's source, grouped by folder; store it on the record. */
export async function fetchBodies(client: ImapFlow, log: MessageLog, records: MessageRecord[]): Promise<number> {
  const byFolder = new Map<string, Map<number, MessageRecord>>();
  for (const r of records) {
    const loc = r.locations[0];
    let m = byFolder.get(loc.folder);
    if (!m) byFolder.set(loc.folder, (m = new Map()));
    m.set(loc.uid, r);
  }
  let fetched = 0;
  for (const [folder, byUid] of byFolder) {
    await client.mailboxOpen(folder, { readOnly: true });
    const texts = new Map<number, string>();
    // Collect first, write after: no other IMAP command may run inside a fetch loop.
    for await (const msg of client.fetch([...byUid.keys()].join(','), { uid: true, source: { start: 0, maxLength: BODY_BYTES } }, { uid: true })) {
      if (msg.source) texts.set(msg.uid, msg.source.toString('utf8'));
    }
    const updated: MessageRecord[] = [];
    for (const [uid, r] of byUid) {
      // A message gone meanwhile gets an empty text, so it is not asked for again and again.
      updated.push({ ...r, bodyText: texts.get(uid) ?? '' });
    }
    await log.put(updated);
    fetched += texts.size;
  }
  return fetched;
}
