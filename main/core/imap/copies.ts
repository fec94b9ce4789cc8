// Copies of one message by Message-ID across the folders it can be in: found, deleted, or one
// appended. The follow-up sender's evidence (followup/sender.ts) is built on these, so a search
// that could not be made is an error here, never "no copy": "no copy" can lead to a second send.
import type { FolderRole, FolderState } from '../model.js';
import { TriageError } from '../errors.js';
import { imapReason } from './connect.js';
import type { ImapClient } from './session.js';

const SEARCH_ROLES: FolderRole[] = ['sent', 'all', 'inbox', 'junk', 'archive'];

export interface CopyLocation {
  path: string;
  role: FolderRole;
  uids: number[];
}

/**
 * The message with CRLF line ends (RFC 5322 §2.3, RFC 3501 §6.3.11: APPEND takes a message in
 * RFC 5322 form, so CR and LF only together). Dovecot stores bare LF as given; Cyrus refuses it
 * ("NO Message contains bare newlines"). Bytes are kept: latin1 maps each byte to one char.
 */
export function withCrlf(raw: Buffer): Buffer {
  return Buffer.from(raw.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}

/** RFC 5530 NONEXISTENT, or RFC 3501 TRYCREATE: the folder is not there (gone since the sync). */
function folderMissing(e: unknown): boolean {
  const err = e as { serverResponseCode?: string; responseText?: string };
  return err?.serverResponseCode === 'NONEXISTENT' || err?.serverResponseCode === 'TRYCREATE' || /\b(does ?n[o']t exist|no such (mailbox|folder))\b/i.test(err?.responseText ?? '');
}

/** Every copy of a Message-ID in the folders a sent or witness copy can be in. */
export async function findCopies(client: ImapClient, folders: FolderState[], messageId: string): Promise<CopyLocation[]> {
  const candidates = folders.filter((f) => SEARCH_ROLES.includes(f.role));
  if (!candidates.some((f) => f.path.toUpperCase() === 'INBOX')) candidates.push({ path: 'INBOX', role: 'inbox' } as FolderState);
  const out: CopyLocation[] = [];
  for (const f of candidates) {
    let lock;
    try {
      lock = await client.getMailboxLock(f.path, { readOnly: true });
    } catch (e) {
      if (folderMissing(e)) continue; // a folder that went away: nothing in it
      throw new TriageError('server-refused', `Could not open ${f.path} to look for a copy: ${imapReason(e)}`);
    }
    try {
      // A mailbox that stayed selected shows new mail only after the server's next EXISTS
      // (RFC 3501 §7.3.1); NOOP asks for it (§6.1.2), so a witness that just arrived is seen.
      await client.noop();
      // RFC 3501 §6.4.4: SEARCH HEADER matches a substring of the field; the id is random enough.
      const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
      // imapflow answers a refused SEARCH with false: unknown, not "none".
      if (!uids) throw new TriageError('server-refused', `${f.path}: the server refused to search it for the follow-up's Message-ID`);
      if (uids.length) out.push({ path: f.path, role: f.role, uids });
    } finally {
      lock.release();
    }
  }
  return out;
}

export async function deleteCopies(client: ImapClient, path: string, uids: number[]): Promise<void> {
  let lock;
  try {
    lock = await client.getMailboxLock(path);
  } catch (e) {
    throw new TriageError('server-refused', `Could not open ${path} to delete a copy: ${imapReason(e)}`);
  }
  try {
    await client.messageDelete(uids, { uid: true });
  } finally {
    lock.release();
  }
}

/** APPEND one message (CRLF line ends, else the same bytes) to a folder, with flags and an internal date. */
export async function appendCopy(client: ImapClient, path: string, raw: Buffer, flags: string[], date: Date): Promise<void> {
  try {
    await client.append(path, withCrlf(raw), flags, date);
  } catch (e) {
    throw new TriageError('server-refused', `The server refused the copy for ${path}: ${imapReason(e)}`);
  }
}
