// "Not junk" on the server: move the mail to the Inbox, mark it $NotJunk/NonJunk and clear
// $Junk/Junk where the server allows keywords; `undo` moves it back with the opposite keywords.
// A mail that looks forged needs `force` (the verdict comes from junk.ts, through the list).
//
// What moves is the one server copy that was judged, by (folder, UID), and only after reading it
// again from the server: same UIDVALIDITY, and the same digest of From, Subject, Date and
// Authentication-Results as the copy the verdict was computed from. Never "the first copy with
// this Message-ID": a forgery can reuse a genuine mail's Message-ID (model.ts, MessageRecord).
import type { RescueResult } from '../api.js';
import type { FolderState, MessageLocation, MessageRecord } from '../model.js';
import type { SecretStore } from '../deps/index.js';
import { findRecords, type FoundRecord } from '../store/index.js';
import { TriageError } from '../errors.js';
import { JUNK_KEYWORDS, NOT_JUNK_KEYWORDS, moveMessage, readCopy, withImap } from '../imap/index.js';
import type { Store } from '../store/index.js';
import { junkList, type TriageDeps } from './lists.js';

export interface RescueDeps extends TriageDeps {
  secrets: SecretStore;
}

export async function rescue(deps: RescueDeps, id: string, options: { undo?: boolean; force?: boolean } = {}): Promise<RescueResult> {
  const found = await pickRecord(deps.store, id, options.undo ? 'inbox' : 'junk');
  const { account, record } = found;
  const folders = await deps.store.foldersOf(account.name);
  const junkFolder = folders.find((f) => f.role === 'junk');
  const inbox = folders.find((f) => f.role === 'inbox') ?? folders.find((f) => f.path.toUpperCase() === 'INBOX');
  if (!junkFolder || !inbox) throw new TriageError('not-found', `${account.name} has no ${junkFolder ? 'Inbox' : 'Junk'} folder known: sync it, or set the folder's role.`, {
      cli: 'Run triage sync, or triage account set-role.',
    });

  const fromFolder = options.undo ? inbox : junkFolder;
  const to = options.undo ? junkFolder.path : inbox.path;
  const fromAddress = record.from[0]?.address ?? '(no sender)';
  const copy = record.locations.find((l) => l.folder === fromFolder.path);
  if (!copy) {
    throw new TriageError('not-found', `That mail is not in ${fromFolder.path} (any more).`, options.undo ? {} : { cli: 'Undo a rescue with --undo.' });
  }
  if (record.digest === undefined || copy.unverified) {
    throw new TriageError('not-found', `Not moved: this mail was stored by an older version of the app and has not been checked since. Sync, then look at the Junk list again.`, { cli: 'Run triage sync, then look at triage junk again.' });
  }
  if (!options.undo) {
    const verdict = (await junkList(deps)).find((v) => v.id === record._id);
    if (verdict?.verdict === 'suspicious' && !options.force) {
      throw new TriageError('needs-force', `Not moved: this mail from ${fromAddress} looks forged (${verdict.reasons.join('; ')}).`, { cli: 'Rescue it anyway with --force.' });
    }
  }

  // The sample mailbox has no server: the move happens in the local store only, as a server's
  // MOVE would leave it (issue 12 item 4: Not junk and Undo work on the sample mail).
  if (account.demo) {
    const at = (await deps.store.messages(account.name)).get(record._id) ?? record;
    const loc = at.locations.find((l) => l.folder === fromFolder.path);
    if (!loc) throw new TriageError('not-found', `That mail is not in ${fromFolder.path} any more.`);
    const keywords = options.undo ? { add: JUNK_KEYWORDS, remove: NOT_JUNK_KEYWORDS } : { add: NOT_JUNK_KEYWORDS, remove: JUNK_KEYWORDS };
    const flags = [...loc.flags.filter((f) => !keywords.remove.includes(f)), ...keywords.add.filter((f) => !loc.flags.includes(f))];
    const uid = Math.max(0, ...(await deps.store.messages(account.name)).all().flatMap((r) => r.locations.filter((l) => l.folder === to).map((l) => l.uid))) + 1;
    await updateLocation(deps.store, at, fromFolder.path, loc.uid, to, uid, flags);
    return { id: record._id, account: account.name, messageId: record.messageId, from: fromAddress, folder: to, keywords: true, note: 'sample mail: moved on this computer only' };
  }

  return withImap({ account, secrets: deps.secrets }, async (client) => {
    await checkCopy(await readCopy(client, fromFolder.path, copy.uid), record, fromFolder, copy);
    const moved = await moveMessage(client, {
      from: fromFolder.path,
      to,
      uid: copy.uid,
      messageId: record.messageId,
      addKeywords: options.undo ? JUNK_KEYWORDS : NOT_JUNK_KEYWORDS,
      removeKeywords: options.undo ? NOT_JUNK_KEYWORDS : JUNK_KEYWORDS,
    });
    await updateLocation(deps.store, record, fromFolder.path, copy.uid, to, moved.uid);
    return {
      id: record._id,
      account: account.name,
      messageId: record.messageId,
      from: fromAddress,
      folder: to,
      keywords: moved.keywords,
      ...(moved.keywordNote ? { note: moved.keywordNote } : {}),
    };
  });
}

/**
 * The record an id names. A local id names one. A Message-ID may name several different messages
 * (a genuine mail and a forgery reusing its id): the one in the folder the move starts from is
 * meant; with none or several there, the user is asked for the local id.
 */
async function pickRecord(store: Store, id: string, from: 'junk' | 'inbox'): Promise<FoundRecord> {
  const found = await findRecords(store, id);
  if (!found.length) throw new TriageError('not-found', `No message with id or Message-ID "${id}": sync, then look again.`, { cli: 'See: triage junk' });
  if (found.length === 1) return found[0];
  const inFrom: FoundRecord[] = [];
  for (const f of found) {
    const roles = new Map((await store.foldersOf(f.account.name)).map((x) => [x.path, x.role]));
    const inbox = (path: string) => roles.get(path) === 'inbox' || (!roles.has(path) && path.toUpperCase() === 'INBOX');
    if (f.record.locations.some((l) => (from === 'junk' ? roles.get(l.folder) === 'junk' : inbox(l.folder)))) inFrom.push(f);
  }
  if (inFrom.length === 1) return inFrom[0];
  const list = (inFrom.length ? inFrom : found).map((f) => `${f.record._id} (from ${f.record.from[0]?.address ?? 'no sender'}, "${f.record.subject.slice(0, 40)}")`);
  throw new TriageError(
    'bad-input',
    `The Message-ID "${id}" is carried by ${found.length} different messages: ${list.join('; ')}. Give the id of the one you mean.`,
    { cli: 'See triage junk for the ids.' },
  );
}

/** Refuse unless the server still holds, at this UID, the very copy that was judged. */
async function checkCopy(
  server: Awaited<ReturnType<typeof readCopy>>,
  record: MessageRecord,
  folder: FolderState,
  copy: MessageLocation,
): Promise<void> {
  const where = `${folder.path} (UID ${copy.uid})`;
  if (folder.uidValidity !== null && server.uidValidity !== folder.uidValidity) {
    // RFC 3501 §2.3.1.1: under a new UIDVALIDITY the stored UIDs name nothing.
    throw new TriageError('not-found', `Not moved: ${folder.path} was re-created on the server since the last sync, so its stored message numbers are void. Sync and try again.`, { cli: 'Run triage sync and try again.' });
  }
  if (!server.record) throw new TriageError('not-found', `Not moved: the mail is no longer at ${where} on the server. Sync to see where it is now.`, { cli: 'Run triage sync to refresh.' });
  if (server.record.digest !== record.digest || server.record.messageId !== record.messageId) {
    const now = server.record.from[0]?.address ?? 'no sender';
    throw new TriageError(
      'not-found',
      `Not moved: the mail at ${where} on the server is not the one listed (its From, Subject, Date or Authentication-Results differ; it is from ${now}, "${server.record.subject.slice(0, 60)}"). Sync and look at the Junk list again.`,
      { cli: 'Run triage sync and look at triage junk again.' },
    );
  }
}

/** Keep the store in step with the move, so the lists change at once (sync confirms later). */
async function updateLocation(store: Store, record: MessageRecord, from: string, fromUid: number, to: string, toUid: number | null, flags?: string[]): Promise<void> {
  const log = await store.messages(record.account);
  const current = log.get(record._id) ?? record;
  const moving = current.locations.find((l) => l.folder === from && l.uid === fromUid);
  const locations = current.locations.filter((l) => l !== moving);
  if (toUid !== null) locations.push({ folder: to, uid: toUid, flags: flags ?? moving?.flags ?? [] });
  await log.put([{ ...current, locations }]);
}
