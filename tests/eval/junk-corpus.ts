// Shared by the Junk evaluations: where the real corpora live and how to turn them into a
// pretend mailbox. The corpora are third-party data read in place (never copied into the
// project; see ../shared/corpora/README.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFromEml } from '../../main/core/mail/record.js';
import type { Address, MessageRecord } from '../../main/core/model.js';
import { foldersFromRoles, type Mailbox } from '../../main/core/store/mailbox.js';
import type { JunkVerdict } from '../../main/core/triage/junk.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPORA = path.resolve(ROOT, '../shared/corpora');

export function corpusDir(name: string): string | null {
  const dir = path.join(CORPORA, name);
  if (existsSync(dir)) return dir;
  console.warn(`[junk eval] corpus ${dir} not found: skipping (see ../shared/corpora/README.md)`);
  return null;
}

/** Every regular file under `dir`, sorted, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export const ACCOUNT = 'eval';
export const FOLDERS = foldersFromRoles(ACCOUNT, { INBOX: 'inbox', Sent: 'sent', Junk: 'junk' });

export function readAsJunk(files: string[], firstUid = 1): MessageRecord[] {
  return files.map((f, i) => recordFromEml(readFileSync(f), { account: ACCOUNT, folder: 'Junk', uid: firstUid + i }));
}

/** A mail the user sent (in Sent, no Authentication-Results: it never came in from outside). */
export function sentTo(own: string, to: Address[], n: number): MessageRecord {
  const messageId = `eval-sent-${n}@inbox-triage.test`;
  const at = new Date(Date.UTC(2021, 0, 1) + n * 3_600_000).toISOString();
  return {
    _id: `sent${n}`.padEnd(12, '0').slice(0, 12),
    account: ACCOUNT,
    messageId,
    locations: [{ folder: 'Sent', uid: 100_000 + n, flags: ['\\Seen'] }],
    internalDate: at,
    date: at,
    dateHeader: null,
    subject: `Hello ${n}`,
    from: [{ name: 'Pat', address: own }],
    sender: [],
    replyTo: [],
    to,
    cc: [],
    bcc: [],
    inReplyTo: null,
    references: [],
    headers: {},
    size: 100,
  };
}

export function mailbox(own: string[], messages: MessageRecord[]): Mailbox {
  return {
    account: { name: ACCOUNT, imap: { host: 'localhost', port: 143, security: 'none', user: own[0] }, addresses: own, createdAt: '2021-01-01T00:00:00Z' },
    folders: FOLDERS,
    messages,
  };
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

export function verdictCounts(entries: JunkVerdict[], total: number): string {
  const c = countBy(entries, (e) => e.verdict);
  return `rescue ${c.rescue ?? 0}, suspicious ${c.suspicious ?? 0}, not listed ${total - entries.length} (of ${total})`;
}
