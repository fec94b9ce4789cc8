// `triage status`: each account's folders with their roles, what the store holds of them, what
// the server reported at the last sync, and when that was.
import type { AccountStatus, FolderStatus } from '../api.js';
import type { Store } from '../store/index.js';

export async function accountStatus(store: Store): Promise<AccountStatus[]> {
  const out: AccountStatus[] = [];
  for (const account of await store.listAccounts()) {
    const folders = await store.foldersOf(account.name);
    // From the log's summary when it is current: the app asks at every start, and loading 100k
    // records took seconds (the summary is a few hundred bytes).
    const logCounts = await store.messageCounts(account.name);
    const counts = new Map(Object.entries(logCounts.folders));
    const fs: FolderStatus[] = folders.map((f) => ({
      account: account.name,
      path: f.path,
      name: f.name,
      specialUse: f.specialUse,
      role: f.role,
      roleSource: f.roleSource,
      synced: f.synced,
      messages: counts.get(f.path) ?? 0,
      serverMessages: f.serverMessages ?? null,
      lastSyncAt: f.lastSyncAt,
      lastError: f.lastError ?? null,
    }));
    const lastSync = fs.map((f) => f.lastSyncAt).filter((x): x is string => !!x).sort().pop() ?? null;
    out.push({ account: account.name, folders: fs, messages: logCounts.records, lastSyncAt: lastSync });
  }
  return out;
}
