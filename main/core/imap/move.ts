// Server-side actions on one message: find it by Message-ID, move it between folders, and mark it
// as junk / not junk. Kept small on purpose (STYLE.md, "Keep the IMAP port small").
import type { ImapFlow } from 'imapflow';
import { imapReason } from './connect.js';

/** Keywords mail clients and servers read as the user's junk verdict (Thunderbird, Apple Mail,
 *  Dovecot's antispam plugins; RFC 5788 registry: $Junk, $NotJunk). */
export const NOT_JUNK_KEYWORDS = ['$NotJunk', 'NonJunk'];
export const JUNK_KEYWORDS = ['$Junk', 'Junk'];

export interface MoveResult {
  /** UID in the destination folder, when the server says (UIDPLUS COPYUID) or a search finds it. */
  uid: number | null;
  /** Whether the junk/not-junk keywords were set; false when the server refuses keywords. */
  keywords: boolean;
  keywordNote?: string;
}

/**
 * UIDs of a message in the selected-to-be folder, by Message-ID (UIDs may have changed since the
 * last sync, e.g. after a UIDVALIDITY change, so the Message-ID is the key).
 */
export async function findByMessageId(client: ImapFlow, folder: string, messageId: string): Promise<number[]> {
  await client.mailboxOpen(folder);
  const found = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
  return found || [];
}

/**
 * Move one message from `from` to `to`, setting `addKeywords` and clearing `removeKeywords` first
 * (flags travel with MOVE and COPY). imapflow's messageMove uses MOVE (RFC 6851) when offered,
 * else COPY + \Deleted + UID EXPUNGE (RFC 4315) so only this message is expunged.
 */
export async function moveMessage(
  client: ImapFlow,
  opts: { from: string; to: string; uid: number; messageId: string; addKeywords: string[]; removeKeywords: string[] },
): Promise<MoveResult> {
  const mailbox = await client.mailboxOpen(opts.from);
  const result: MoveResult = { uid: null, keywords: false };
  // RFC 3501 §7.1: PERMANENTFLAGS lists what can be stored; "\*" means new keywords may be made.
  const permanent = mailbox.permanentFlags ?? new Set<string>();
  const canCreate = permanent.has('\\*');
  const allowed = (k: string) => canCreate || permanent.has(k);
  const add = opts.addKeywords.filter(allowed);
  if (add.length === 0 && opts.addKeywords.length) {
    result.keywordNote = 'the server does not allow keywords here; moved without them';
  } else {
    try {
      const removable = opts.removeKeywords.filter((k) => permanent.has(k) || canCreate);
      if (removable.length) await client.messageFlagsRemove(String(opts.uid), removable, { uid: true });
      if (add.length) await client.messageFlagsAdd(String(opts.uid), add, { uid: true });
      result.keywords = add.length === opts.addKeywords.length;
      if (!result.keywords) result.keywordNote = 'the server allowed only some keywords';
    } catch (e) {
      // A refused STORE must not stop the move: the user asked for the move.
      result.keywordNote = `the server refused the keywords (${imapReason(e)}); moved without them`;
    }
  }
  const moved = await client.messageMove(String(opts.uid), opts.to, { uid: true });
  if (!moved) throw new Error(`the server did not move the message to ${opts.to}`);
  const mapped = moved.uidMap?.get(opts.uid);
  if (mapped) result.uid = mapped;
  else {
    // No UIDPLUS: look it up in the destination.
    const uids = await findByMessageId(client, opts.to, opts.messageId);
    result.uid = uids.length ? Math.max(...uids) : null;
  }
  return result;
}
