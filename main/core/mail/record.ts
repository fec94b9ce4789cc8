// Turning a message's header block into the store's MessageRecord. Sync uses it on every
// fetched message; tests use it on .eml fixtures. One path, so tests see what sync stores.
import { createHash } from 'node:crypto';
import { JUNK_VERDICT_HEADERS, KEPT_HEADERS, type FolderRole, type KeptHeader, type MessageRecord } from '../model.js';
import {
  decodeWords,
  firstHeader,
  parseAddresses,
  parseDateHeader,
  parseHeaderBlock,
  parseMessageIds,
  type HeaderMap,
} from './headers.js';
import { MAIL_LIMITS } from './limits.js';

/** Kept headers that have a field of their own in the record; the rest go to `record.headers`. */
const OWN_FIELD: ReadonlySet<KeptHeader> = new Set(['date', 'message-id', 'in-reply-to', 'references', 'reply-to']);
const HEADERS_KEPT_RAW: KeptHeader[] = KEPT_HEADERS.filter((h) => !OWN_FIELD.has(h));

const JUNK_ONLY: ReadonlySet<string> = new Set(JUNK_VERDICT_HEADERS);

/**
 * Headers the sync asks the server for (BODY.PEEK[HEADER.FIELDS (...)]): the envelope's and the
 * kept ones, without the providers' spam verdicts, which only the Junk folder needs.
 */
export const FETCHED_HEADERS: string[] = ['subject', 'from', 'sender', 'to', 'cc', 'bcc', ...KEPT_HEADERS.filter((h) => !JUNK_ONLY.has(h))];
/** What the sync fetches in the Junk folder: everything else plus the providers' verdicts. */
export const FETCHED_JUNK_HEADERS: string[] = [...FETCHED_HEADERS, ...JUNK_VERDICT_HEADERS];

/** The header list to fetch in a folder of this role. */
export function fetchedHeadersFor(role: FolderRole): string[] {
  return role === 'junk' ? FETCHED_JUNK_HEADERS : FETCHED_HEADERS;
}

/** Encoded words take at most ~8 characters per decoded one ("=?UTF-8?B?" and base64 of 3 bytes). */
const RAW_SUBJECT_CHARS = MAIL_LIMITS.subjectChars * 8;

export const SYNTHETIC_ID_DOMAIN = 'no-message-id.inbox-triage';

export interface RecordInput {
  account: string;
  folder: string;
  uid: number;
  flags: Iterable<string>;
  internalDate: Date | string | null | undefined;
  size?: number;
  /** The raw header block (or a whole message: reading stops at the first empty line). */
  header: Buffer | string;
}

/**
 * The local id of a message: stable for (account, Message-ID), short enough to type. 48 bits of
 * two FNV-1a hashes: not cryptographic (nothing depends on it being unguessable), ~10x cheaper
 * than SHA-1 on the sync's hot path; a collision needs ~10^7 messages in one account to become
 * likely.
 */
export function localId(account: string, messageId: string): string {
  const key = `${account}\u0000${messageId}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return ((h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')).slice(0, 12);
}

export function buildRecord(input: RecordInput): MessageRecord {
  const problems: string[] = [];
  let map: HeaderMap;
  try {
    map = parseHeaderBlock(input.header);
  } catch {
    map = new Map();
    problems.push('unreadable header block');
  }

  const dateHeader = firstHeader(map, 'date')?.slice(0, MAIL_LIMITS.dateHeaderChars) ?? null;
  const parsedDate = parseDateHeader(dateHeader);
  if (dateHeader && !parsedDate) problems.push(`bogus Date header: ${dateHeader.slice(0, 80)}`);
  if (!dateHeader) problems.push('no Date header');

  let internal: Date | null = null;
  if (input.internalDate) {
    const d = new Date(input.internalDate);
    if (Number.isFinite(d.getTime())) internal = d;
  }

  const from = parseAddresses(firstHeader(map, 'from'));
  if (!from.length) problems.push('no readable From address');
  const subject = decodeWords((firstHeader(map, 'subject') ?? '').slice(0, RAW_SUBJECT_CHARS)).slice(0, MAIL_LIMITS.subjectChars);

  let messageId = parseMessageIds(firstHeader(map, 'message-id'))[0] ?? null;
  if (!messageId) {
    // Derived from what all copies share, so Gmail's label copies still merge into one record,
    // and from enough else (recipients; arrival time when there is no Date) that two different
    // mails with the same sender and subject stay two.
    const basis = [
      dateHeader ?? `internal:${internal?.toISOString() ?? ''}`,
      firstHeader(map, 'from') ?? '',
      subject,
      (map.get('to') ?? []).join(','),
      (map.get('cc') ?? []).join(','),
    ].join('\u0000');
    messageId = `${createHash('sha1').update(basis).digest('hex').slice(0, 20)}@${SYNTHETIC_ID_DOMAIN}`;
    problems.push('no Message-ID');
  }

  const headers: MessageRecord['headers'] = {};
  for (const name of HEADERS_KEPT_RAW) {
    const v = map.get(name);
    if (v && v.length) headers[name] = v.join('\n').slice(0, MAIL_LIMITS.keptHeaderChars);
  }

  const record: MessageRecord = {
    _id: localId(input.account, messageId),
    account: input.account,
    messageId,
    locations: [{ folder: input.folder, uid: input.uid, flags: [...input.flags] }],
    internalDate: (internal ?? parsedDate ?? new Date(0)).toISOString(),
    date: parsedDate ? parsedDate.toISOString() : null,
    dateHeader,
    subject,
    from,
    sender: parseAddresses(firstHeader(map, 'sender')),
    replyTo: parseAddresses(firstHeader(map, 'reply-to')),
    to: parseAddresses((map.get('to') ?? []).join(', ')),
    cc: parseAddresses((map.get('cc') ?? []).join(', ')),
    bcc: parseAddresses((map.get('bcc') ?? []).join(', ')),
    inReplyTo: parseMessageIds(firstHeader(map, 'in-reply-to'))[0] ?? null,
    references: parseMessageIds(firstHeader(map, 'references'), MAIL_LIMITS.referencesKept),
    headers,
    size: input.size ?? 0,
  };
  if (problems.length) record.problems = problems;
  return record;
}

/** Convenience for tests and the demo import: a whole .eml as if synced from `folder`. */
export function recordFromEml(
  raw: Buffer | string,
  opts: { account?: string; folder?: string; uid?: number; flags?: string[]; internalDate?: Date | string } = {},
): MessageRecord {
  const rec = buildRecord({
    account: opts.account ?? 'test',
    folder: opts.folder ?? 'INBOX',
    uid: opts.uid ?? 1,
    flags: opts.flags ?? [],
    internalDate: opts.internalDate ?? null,
    size: typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length,
    header: raw,
  });
  if (!opts.internalDate && rec.date) rec.internalDate = rec.date;
  return rec;
}
