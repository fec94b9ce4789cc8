// "Open the conversation": the messages of one conversation as plain text. Mail HTML is never
// handed to a renderer: readBody keeps the text/plain part, or HTML with its tags removed.
import type { ConversationMessage } from '../api.js';
import type { Address } from '../model.js';
import type { Store } from '../store/index.js';
import type { SecretStore, Logger } from '../deps/index.js';
import { findRecord, ownAddresses } from '../store/index.js';
import { TriageError } from '../errors.js';
import { threadRecords, conversations, readBody } from '../mail/index.js';
import { fetchSourceHeads, withImap } from '../imap/index.js';
import { demoSources, isDemoAccount } from '../demo/index.js';

/** A conversation view is for reading, not an archive: at most this many messages and bytes each. */
const MAX_MESSAGES = 30;
const MAX_SOURCE_BYTES = 64 * 1024;

export interface ConversationDeps {
  store: Store;
  secrets: SecretStore;
  log: Logger;
}

const addr = (a: Address) => (a.name ? `${a.name} <${a.address}>` : a.address);

export async function conversationOf(deps: ConversationDeps, id: string): Promise<ConversationMessage[]> {
  const found = await findRecord(deps.store, id);
  if (!found) throw new TriageError('not-found', `No message with id "${id}"; it may have been removed by a sync.`);
  const { account, record } = found;
  const records = (await deps.store.messages(account.name)).all();
  const threads = threadRecords(records, { own: ownAddresses(account) });
  const index = records.findIndex((r) => r._id === record._id);
  const members = conversations(threads).get(threads.conversationOf[index]) ?? [index];
  const chosen = members.slice(-MAX_MESSAGES).map((i) => records[i]);

  let sources = new Map<string, string>();
  if (isDemoAccount(account)) {
    const demo = await demoSources(deps.store);
    for (const r of chosen) if (demo.has(r._id)) sources.set(r._id, demo.get(r._id)!);
  } else {
    for (const r of chosen) if (r.bodyText) sources.set(r._id, r.bodyText);
    const missing = chosen.filter((r) => !sources.has(r._id) && r.locations.length);
    if (missing.length) {
      try {
        const fetched = await withImap({ account, secrets: deps.secrets }, (client) => fetchSourceHeads(client, missing, MAX_SOURCE_BYTES));
        sources = new Map([...sources, ...fetched]);
      } catch (e) {
        // Offline or refused: the headers still show; the texts read "not available".
        deps.log.debug(`conversation ${id}: texts not fetched (${(e as Error).message})`);
      }
    }
  }

  return chosen.map((r) => {
    const src = sources.get(r._id);
    return {
      id: r._id,
      messageId: r.messageId,
      from: r.from.map(addr).join(', '),
      to: [...r.to, ...r.cc].map(addr),
      date: r.date ?? r.internalDate,
      subject: r.subject,
      folders: r.locations.map((l) => l.folder),
      text: src === undefined ? null : readBody(src).text.trim(),
    };
  });
}
