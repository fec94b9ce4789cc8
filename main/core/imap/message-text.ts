// Reading a message's source or text on demand: the store keeps headers only (and a few bodies),
// so the quote of a follow-up and the conversation view fetch what they show.
import type { MessageRecord } from '../model.js';
import type { ImapClient } from './session.js';

/** Originals larger than this are not downloaded for a quote: the subject and date stand in. */
export const MAX_QUOTE_SOURCE_BYTES = 4 * 1024 * 1024;

/** The whole source of one message. */
export async function fetchSource(client: ImapClient, where: { folder: string; uid: number }): Promise<Buffer | null> {
  const lock = await client.getMailboxLock(where.folder, { readOnly: true });
  try {
    const msg = await client.fetchOne(String(where.uid), { source: true }, { uid: true });
    return msg && msg.source ? msg.source : null;
  } finally {
    lock.release();
  }
}

/** The text part of one message (mailparser decodes charsets and transfer encodings). */
export async function fetchText(client: ImapClient, where: { folder: string; uid: number }, size: number): Promise<string | null> {
  if (size > MAX_QUOTE_SOURCE_BYTES) return null;
  const source = await fetchSource(client, where);
  if (!source) return null;
  // Loaded on first use (mailparser and its charset tables: ~0.9 s of a cold start, unbundled).
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(source, { skipImageLinks: true, skipHtmlToText: false });
  const text = typeof parsed.text === 'string' ? parsed.text : null;
  return text && text.trim() ? text : null;
}

/** The first `maxBytes` of each record's source (at its first location), by record id. */
export async function fetchSourceHeads(client: ImapClient, records: MessageRecord[], maxBytes: number): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byFolder = new Map<string, Map<number, MessageRecord>>();
  for (const r of records) {
    const loc = r.locations[0];
    if (!loc) continue;
    const m = byFolder.get(loc.folder) ?? new Map<number, MessageRecord>();
    m.set(loc.uid, r);
    byFolder.set(loc.folder, m);
  }
  for (const [folder, byUid] of byFolder) {
    await client.mailboxOpen(folder, { readOnly: true });
    // imapflow: collect inside the fetch loop, no other command until it ends (it deadlocks).
    for await (const msg of client.fetch([...byUid.keys()].join(','), { uid: true, source: { start: 0, maxLength: maxBytes } }, { uid: true })) {
      const r = byUid.get(msg.uid);
      if (r && msg.source) out.set(r._id, msg.source.toString('utf8'));
    }
  }
  return out;
}
