// Copies of one message by Message-ID across the folders it can be in: found, deleted, or one
// appended. The follow-up sender's evidence (followup/sender.ts) is built on these.
import type { FolderRole, FolderState } from '../model.js';
import type { ImapClient } from './session.js';

const SEARCH_ROLES: FolderRole[] = ['sent', 'all', 'inbox', 'junk', 'archive'];

export interface CopyLocation {
  path: string;
  role: FolderRole;
  uids: number[];
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
    } catch {
      continue; // a folder that went away: nothing in it
    }
    try {
      // A mailbox that stayed selected shows new mail only after the server's next EXISTS
      // (RFC 3501 §7.3.1); NOOP asks for it (§6.1.2), so a witness that just arrived is seen.
      await client.noop();
      // RFC 3501 §6.4.4: SEARCH HEADER matches a substring of the field; the id is random enough.
      const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
      if (uids && uids.length) out.push({ path: f.path, role: f.role, uids });
    } finally {
      lock.release();
    }
  }
  return out;
}

export async function deleteCopies(client: ImapClient, path: string, uids: number[]): Promise<void> {
  const lock = await client.getMailboxLock(path);
  try {
    await client.messageDelete(uids, { uid: true });
  } finally {
    lock.release();
  }
}

/** APPEND one message (the exact bytes) to a folder, with flags and an internal date. */
export async function appendCopy(client: ImapClient, path: string, raw: Buffer, flags: string[], date: Date): Promise<void> {
  await client.append(path, raw, flags, date);
}
