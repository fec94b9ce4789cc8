// "Open the conversation": the messages of one conversation as plain text. Mail HTML is never
// handed to a renderer: readBody keeps the text/plain part, or HTML with its tags removed.
import type { ConversationMessage } from '../api.js';
import type { AccountConfig, MessageRecord } from '../store/types.js';
import type { Store } from '../store/store.js';
import type { SecretStore } from '../deps/secrets.js';
import { TriageError } from '../errors.js';
import { threadRecords, conversations } from '../mail/threading.js';
import { readBody } from '../mail/body.js';
import { ownAddresses } from '../store/mailbox.js';
import { connectImap } from '../imap/connect.js';
import { demoSources, isDemoAccount } from '../demo/sample-mailbox.js';

/** A conversation view is for reading, not an archive: at most this many messages and bytes each. */
const MAX_MESSAGES = 30;
const MAX_SOURCE_BYTES = 64 * 1024;

/** A record by local id or Message-ID, in any account. */
export async function findMessage(store: Store, id: string): Promise<{ account: AccountConfig; record: MessageRecord } | null> {
  const key = id.trim().replace(/^<|>$/g, '');
  for (const account of await store.listAccounts()) {
    const log = await store.messages(account.name);
    const direct = log.get(key);
    if (direct) return { account, record: direct };
    for (const r of log.values()) if (r.messageId === key) return { account, record: r };
  }
  return null;
}

const addr = (a: { name: string; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);

export async function conversationOf({ store, secrets, id }: { store: Store; secrets: SecretStore; id: string }): Promise<ConversationMessage[]> {
  const found = await findMessage(store, id);
  if (!found) throw new TriageError('not-found', `No message with id "${id}"; it may have been removed by a sync.`);
  const { account, record } = found;
  const records = (await store.messages(account.name)).all();
  const threads = threadRecords(records, { own: ownAddresses(account) });
  const index = records.findIndex((r) => r._id === record._id);
  const members = conversations(threads).get(threads.conversationOf[index]) ?? [index];
  const chosen = members.slice(-MAX_MESSAGES).map((i) => records[i]);

  const sources = new Map<string, string>();
  if (isDemoAccount(account)) {
    const demo = await demoSources(store);
    for (const r of chosen) if (demo.has(r._id)) sources.set(r._id, demo.get(r._id)!);
  } else {
    for (const r of chosen) if (r.bodyText) sources.set(r._id, r.bodyText);
    const missing = chosen.filter((r) => !sources.has(r._id) && r.locations.length);
    if (missing.length) await fetchSources({ account, secrets, records: missing, into: sources }).catch(() => undefined);
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

/** The first bytes of each message's source, folder by folder. */
async function fetchSources({ account, secrets, records, into }: { account: AccountConfig; secrets: SecretStore; records: MessageRecord[]; into: Map<string, string> }): Promise<void> {
  const password = await secrets.get(account.name);
  if (password === null) return;
  const byFolder = new Map<string, Map<number, MessageRecord>>();
  for (const r of records) {
    const loc = r.locations[0];
    const m = byFolder.get(loc.folder) ?? new Map<number, MessageRecord>();
    m.set(loc.uid, r);
    byFolder.set(loc.folder, m);
  }
  const client = await connectImap({ server: account.imap, password });
  try {
    for (const [folder, byUid] of byFolder) {
      await client.mailboxOpen(folder, { readOnly: true });
      // imapflow: collect inside the fetch loop, no other command until it ends (it deadlocks).
      for await (const msg of client.fetch([...byUid.keys()].join(','), { uid: true, source: { start: 0, maxLength: MAX_SOURCE_BYTES } }, { uid: true })) {
        const r = byUid.get(msg.uid);
        if (r && msg.source) into.set(r._id, msg.source.toString('utf8'));
      }
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}
