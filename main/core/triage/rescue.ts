// "Not junk" on the server: move the mail to the Inbox, mark it $NotJunk/NonJunk and clear
// $Junk/Junk where the server allows keywords; `undo` moves it back with the opposite keywords.
// A mail that looks forged needs `force` (the verdict comes from junk.ts, through the list).
import type { RescueResult } from '../api.js';
import type { MessageRecord } from '../model.js';
import type { SecretStore } from '../deps/index.js';
import { findRecord } from '../store/index.js';
import { TriageError } from '../errors.js';
import { JUNK_KEYWORDS, NOT_JUNK_KEYWORDS, findByMessageId, moveMessage, withImap } from '../imap/index.js';
import type { Store } from '../store/index.js';
import { junkList, type TriageDeps } from './lists.js';

export interface RescueDeps extends TriageDeps {
  secrets: SecretStore;
}

export async function rescue(deps: RescueDeps, id: string, options: { undo?: boolean; force?: boolean } = {}): Promise<RescueResult> {
  const found = await findRecord(deps.store, id);
  if (!found) throw new TriageError('not-found', `No message with id or Message-ID "${id}": sync, then look again.`, { cli: 'See: triage junk' });
  const { account, record } = found;
  const folders = await deps.store.foldersOf(account.name);
  const junkFolder = folders.find((f) => f.role === 'junk');
  const inbox = folders.find((f) => f.role === 'inbox') ?? folders.find((f) => f.path.toUpperCase() === 'INBOX');
  if (!junkFolder || !inbox) throw new TriageError('not-found', `${account.name} has no ${junkFolder ? 'Inbox' : 'Junk'} folder known: sync it, or set the folder's role.`, {
      cli: 'Run triage sync, or triage account set-role.',
    });

  const from = options.undo ? inbox.path : junkFolder.path;
  const to = options.undo ? junkFolder.path : inbox.path;
  const fromAddress = record.from[0]?.address ?? '(no sender)';
  if (!options.undo) {
    if (!record.locations.some((l) => l.folder === junkFolder.path)) {
      throw new TriageError('not-found', `That mail is not in ${junkFolder.path} (any more): sync to see where it is now.`, { cli: 'Undo a rescue with --undo.' });
    }
    const verdict = (await junkList(deps)).find((v) => v.id === record._id);
    if (verdict?.verdict === 'suspicious' && !options.force) {
      throw new TriageError('needs-force', `Not moved: this mail from ${fromAddress} looks forged (${verdict.reasons.join('; ')}).`, { cli: 'Rescue it anyway with --force.' });
    }
  }

  // The sample mailbox has no server: the move happens in the local store only, as a server's
  // MOVE would leave it (issue 12 item 4: Not junk and Undo work on the sample mail).
  if (account.demo) {
    const at = (await deps.store.messages(account.name)).get(record._id) ?? record;
    const loc = at.locations.find((l) => l.folder === from);
    if (!loc) throw new TriageError('not-found', `That mail is not in ${from} any more.`);
    const keywords = options.undo ? { add: JUNK_KEYWORDS, remove: NOT_JUNK_KEYWORDS } : { add: NOT_JUNK_KEYWORDS, remove: JUNK_KEYWORDS };
    const flags = [...loc.flags.filter((f) => !keywords.remove.includes(f)), ...keywords.add.filter((f) => !loc.flags.includes(f))];
    const uid = Math.max(0, ...(await deps.store.messages(account.name)).all().flatMap((r) => r.locations.filter((l) => l.folder === to).map((l) => l.uid))) + 1;
    await updateLocation(deps.store, at, from, loc.uid, to, uid, flags);
    return { id: record._id, account: account.name, messageId: record.messageId, from: fromAddress, folder: to, keywords: true, note: 'sample mail: moved on this computer only' };
  }

  return withImap({ account, secrets: deps.secrets }, async (client) => {
    // The Message-ID is the key: UIDs may have changed since the last sync.
    const uids = await findByMessageId(client, from, record.messageId);
    if (!uids.length) throw new TriageError('not-found', `That mail is no longer in ${from} on the server: sync to see where it is now.`, { cli: 'Run triage sync to refresh.' });
    const moved = await moveMessage(client, {
      from,
      to,
      uid: uids[0],
      messageId: record.messageId,
      addKeywords: options.undo ? JUNK_KEYWORDS : NOT_JUNK_KEYWORDS,
      removeKeywords: options.undo ? NOT_JUNK_KEYWORDS : JUNK_KEYWORDS,
    });
    await updateLocation(deps.store, record, from, uids[0], to, moved.uid);
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

/** Keep the store in step with the move, so the lists change at once (sync confirms later). */
async function updateLocation(store: Store, record: MessageRecord, from: string, fromUid: number, to: string, toUid: number | null, flags?: string[]): Promise<void> {
  const log = await store.messages(record.account);
  const current = log.get(record._id) ?? record;
  const moving = current.locations.find((l) => l.folder === from && l.uid === fromUid) ?? current.locations.find((l) => l.folder === from);
  const locations = current.locations.filter((l) => l !== moving);
  if (toUid !== null) locations.push({ folder: to, uid: toUid, flags: flags ?? moving?.flags ?? [] });
  await log.put([{ ...current, locations }]);
}
