// "Explore with sample mail": a demo account imported from a bundled mbox (resources/demo) through
// the same record builder sync uses (recordFromEml), so the three views run the real analysis.
// The demo has no server: Not junk moves the mail in the local store, follow-ups are queued and
// never sent ("Send now" shows the mail); what else needs a server is refused ('unavailable').
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AccountSummary } from '../api.js';
import type { AccountConfig, MessageRecord } from '../model.js';
import type { Store } from '../store/index.js';
import { recordFromEml, needsBody } from '../mail/index.js';
import { foldersFromRoles } from '../store/index.js';
import { TriageError } from '../errors.js';
import { appRoot } from '../deps/index.js';

export const DEMO_ACCOUNT = 'sample';
/** RFC 2606: .invalid never resolves, so nothing can ever connect to the demo "server". */
export const DEMO_HOST = 'demo.invalid';
const DEMO_USER = 'pat@northwind-studio.com';
const FOLDER_HEADER = 'x-demo-folder';
const ROLES = { INBOX: 'inbox', Sent: 'sent', Junk: 'junk', Archive: 'archive' } as const;
const WEEK_MS = 7 * 86_400_000;

/** Where the bundled mailbox sits in a checkout (the packaged app passes its own path). */
export function defaultDemoMbox(): string {
  return join(appRoot(), 'resources', 'demo', 'sample.mbox');
}

export function isDemoAccount(account: { demo?: boolean; imap?: { host: string }; imapHost?: string } | null | undefined): boolean {
  return !!account && (account.demo === true || (account.imap?.host ?? account.imapHost) === DEMO_HOST);
}

/** The error for an action that needs a mail server, on sample mail. */
export function demoUnavailable(action: string): TriageError {
  return new TriageError('unavailable', `${action} needs a mail server, and the sample mail has none. Add your own account to use it.`);
}

/**
 * mboxrd (RFC 4155): a message starts at a "From " line at the start of the file or after an
 * empty line; body lines that began with "From " were written as ">From ".
 */
export function splitMbox(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let cur: string[] | null = null;
  lines.forEach((line, i) => {
    if (line.startsWith('From ') && (i === 0 || lines[i - 1] === '')) {
      if (cur) out.push(finish(cur));
      cur = [];
      return;
    }
    cur?.push(line.replace(/^>(>*From )/, '$1'));
  });
  if (cur) out.push(finish(cur));
  return out;
}

function finish(lines: string[]): string {
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.join('\r\n') + '\r\n';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');
const DATE_LINE = /^Date:[ \t]*(.+)$/im;

function offsetOf(header: string): { text: string; minutes: number } {
  const m = /([+-])(\d{2})(\d{2})\s*$/.exec(header.trim());
  if (!m) return { text: '+0000', minutes: 0 };
  return { text: m[0].trim(), minutes: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) };
}

/** An RFC 5322 date-time for `ms`, written in the given offset (the offset is what zone inference reads). */
function formatDate(ms: number, offset: { text: string; minutes: number }): string {
  const d = new Date(ms + offset.minutes * 60_000);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${offset.text}`;
}

function longDate(ms: number, offset: { minutes: number }): string {
  const d = new Date(ms + offset.minutes * 60_000);
  return `${LONG_DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * Moves a message's Date header by `shiftMs` (keeping its offset) and fills `{{back:N}}` with the
 * day N days after it: the sample mail keeps its shape whenever it is opened.
 */
export function shiftMessage(raw: string, shiftMs: number): string {
  const m = DATE_LINE.exec(raw.slice(0, raw.indexOf('\r\n\r\n') + 2 || raw.length));
  if (!m) return raw;
  const at = Date.parse(m[1]);
  if (!Number.isFinite(at)) return raw;
  const offset = offsetOf(m[1]);
  const shifted = at + shiftMs;
  return raw
    .replace(DATE_LINE, `Date: ${formatDate(shifted, offset)}`)
    .replace(/\{\{back:(\d+)\}\}/g, (_, days: string) => longDate(shifted + Number(days) * 86_400_000, offset));
}

function folderOf(raw: string): string {
  const m = /^X-Demo-Folder:[ \t]*(\S+)/im.exec(raw);
  const folder = m?.[1] ?? 'INBOX';
  if (!(folder in ROLES)) throw new TriageError('internal', `Sample mail names an unknown folder "${folder}".`);
  return folder;
}

/** The sample messages with their dates moved by whole weeks, so the newest is under a week old. */
export function demoMessages(mboxText: string, now: Date): { folder: string; raw: string }[] {
  const raws = splitMbox(mboxText);
  const dates = raws.map((r) => Date.parse(DATE_LINE.exec(r)?.[1] ?? '')).filter(Number.isFinite);
  const newest = Math.max(...dates);
  // Whole weeks keep weekdays (and so the business-day logic) as written.
  const shift = Math.floor((now.getTime() - newest) / WEEK_MS) * WEEK_MS;
  return raws.map((raw) => ({ folder: folderOf(raw), raw: shiftMessage(raw, shift) }));
}

function sourcesFile(store: Store): string {
  return join(store.dir, 'demo', 'sources.json');
}

/** Imports (or re-imports) the sample mail into the store as the demo account. */
export async function loadDemo({ store, now, mboxPath = defaultDemoMbox() }: { store: Store; now: Date; mboxPath?: string }): Promise<AccountSummary> {
  let text: string;
  try {
    text = await readFile(mboxPath, 'utf8');
  } catch {
    throw new TriageError('not-found', `The sample mailbox is missing (${mboxPath}); reinstall the app.`);
  }
  if (await store.getAccount(DEMO_ACCOUNT)) await store.removeAccount(DEMO_ACCOUNT);
  // Follow-ups queued on an earlier import name its records: they go with it.
  await store.queue.remove({ account: DEMO_ACCOUNT }, { multi: true });
  const account: AccountConfig = {
    name: DEMO_ACCOUNT,
    imap: { host: DEMO_HOST, port: 993, security: 'tls', user: DEMO_USER },
    addresses: [DEMO_USER],
    timeZone: 'Europe/London',
    country: 'GB',
    createdAt: now.toISOString(),
    demo: true,
  };
  const uids = new Map<string, number>();
  const records: MessageRecord[] = [];
  const sources: Record<string, string> = {};
  for (const { folder, raw } of demoMessages(text, now)) {
    const uid = (uids.get(folder) ?? 0) + 1;
    uids.set(folder, uid);
    const rec = recordFromEml(raw, { account: DEMO_ACCOUNT, folder, uid, flags: folder === 'Sent' ? ['\\Seen'] : [] });
    // What sync would have fetched: the text of DSNs and auto-replies (see imap/bodies.ts).
    if (needsBody(rec)) rec.bodyText = raw;
    records.push(rec);
    sources[rec._id] = raw;
  }
  const folders = foldersFromRoles(DEMO_ACCOUNT, ROLES).map((f) => ({
    ...f,
    lastUid: uids.get(f.path) ?? 0,
    messages: uids.get(f.path) ?? 0,
    serverMessages: uids.get(f.path) ?? 0,
    lastSyncAt: now.toISOString(),
  }));
  const log = await store.messages(DEMO_ACCOUNT);
  await log.put(records);
  for (const f of folders) await store.saveFolder(f);
  await mkdir(dirname(sourcesFile(store)), { recursive: true });
  await writeFile(sourcesFile(store), JSON.stringify(sources));
  await store.saveAccount(account);
  return { name: account.name, user: DEMO_USER, imapHost: DEMO_HOST, addresses: account.addresses, timeZone: account.timeZone, country: account.country, demo: true };
}

/** The whole source of every sample message by record id (the demo's stand-in for a server). */
export async function demoSources(store: Store): Promise<Map<string, string>> {
  try {
    return new Map(Object.entries(JSON.parse(await readFile(sourcesFile(store), 'utf8')) as Record<string, string>));
  } catch {
    return new Map();
  }
}
