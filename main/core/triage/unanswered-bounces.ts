// Bounces that do not thread: many MTAs set no In-Reply-To on a DSN, many return no Message-ID
// of the original at all (Exim, qmail, Sendmail, Domino, GroupWise, Exchange, Yahoo, AOL), and
// the user's Sent copy may carry another Message-ID than the mail that went out (servers that
// set one on submission). Such a failed DSN is matched to the user's sent mail by the original's
// Message-ID, else by the address that failed and the time (see matchBounce).
import type { MessageRecord } from '../model.js';
import type { DsnReport } from '../mail/index.js';
import { addressesIn, isOwnAddress, subjectKey, verpRecipient } from '../mail/index.js';

/**
 * A DSN answers for a mail sent at most this long before it. MTAs give up after about 5 days
 * (Postfix maximal_queue_lifetime, Exim's retry rules; RFC 5321 §4.5.4.1 asks for at least 4-5);
 * 14 days leave room for a slow relay and a mailbox that was not read, without reaching back to
 * older mail to the same address.
 */
const BOUNCE_WINDOW_MS = 14 * 86_400_000;

export interface SentIndex {
  bySubject: Map<string, number[]>;
  byRecipient: Map<string, number[]>;
}

/** Index the user's sent records (indices into `records`) by subject key and recipient. */
export function indexSent(records: readonly MessageRecord[], sent: readonly number[]): SentIndex {
  const bySubject = new Map<string, number[]>();
  const byRecipient = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  for (const i of sent) {
    const r = records[i];
    const key = subjectKey(r.subject).key;
    if (key) push(bySubject, key, i);
    for (const list of [r.to, r.cc, r.bcc]) for (const a of list) push(byRecipient, a.address, i);
  }
  return { bySubject, byRecipient };
}

/** The latest of `candidates` sent at or before `at` and within the window, or -1. */
function latestBefore(candidates: number[] | undefined, timeOf: (i: number) => number, at: number, accept?: (i: number) => boolean): number {
  let best = -1;
  if (!candidates) return best;
  for (const i of candidates) {
    const t = timeOf(i);
    if (t > at || at - t > BOUNCE_WINDOW_MS) continue;
    if (accept && !accept(i)) continue;
    if (best === -1 || t > timeOf(best)) best = i;
  }
  return best;
}

/** What an unthreaded DSN is about: the sent record and the recipients that failed. */
export interface BounceMatch {
  index: number;
  recipients: string[];
}

/**
 * The sent record an unthreaded failed DSN (or a list server's notice) is about, or null. In
 * this order, always a mail sent before the DSN and within 14 days of it:
 *   1. the returned original's Message-ID (from the body);
 *   2. the subject it quotes ("Undeliverable: Q3 plan", or the returned original's Subject), on a
 *      mail to an address it names (3. to 5.): the same address gets several mails, the subject
 *      says which;
 *   3. the most recent mail to an address that failed: the report's recipients (Final-Recipient,
 *      "<a@b>:"), or the one a VERP return address in the DSN's To encodes;
 *   4. the most recent mail to an address the notice names (prose bounces of Exim, qmail, Domino,
 *      GroupWise, Exchange 2003, Yahoo, AOL: see bounce-addresses.ts), in its subject or text;
 *   5. the most recent mail to an address in the To or Cc of the returned original (a list
 *      server's notice names only the list in the copy it returns);
 *   6. the quoted subject alone, when no address matched (the failed one was an alias or a
 *      forward of the one the user wrote to). A generic subject ("Undelivered Mail Returned to
 *      Sender") quotes nothing: subjectKey gives it no key.
 * `dsn` comes from the body when the service fetched it; without it only the subject and a VERP
 * To can match.
 */
export function matchBounce(input: {
  dsnRecord: MessageRecord;
  dsnTime: number;
  dsn: DsnReport | undefined;
  records: readonly MessageRecord[];
  timeOf: (i: number) => number;
  byMessageId: Map<string, number>;
  sentIndex: SentIndex;
  isSent: (i: number) => boolean;
  own: ReadonlySet<string>;
}): BounceMatch | null {
  const { dsnRecord, dsnTime, dsn, records, timeOf, sentIndex, own } = input;
  const failed = new Set<string>();
  for (const a of dsn?.recipients ?? []) if (!isOwnAddress(a, own)) failed.add(a);
  for (const a of dsnRecord.to) {
    const verp = verpRecipient(a.address);
    if (verp && !isOwnAddress(verp, own)) failed.add(verp);
  }
  if (dsn?.originalMessageId) {
    const j = input.byMessageId.get(dsn.originalMessageId);
    if (j !== undefined && input.isSent(j)) return { index: j, recipients: [...failed] };
  }
  // Lotus Domino names the failed address in the subject only ("DELIVERY FAILURE: User Anna
  // Berg (anna@acme.com) not listed in Domino Directory").
  const mentioned = new Set<string>();
  for (const a of [...addressesIn(dsnRecord.subject), ...(dsn?.mentioned ?? [])]) if (!failed.has(a) && !isOwnAddress(a, own)) mentioned.add(a);
  // Who the returned original was for: it names the one that failed among the others, so it
  // comes after the notice's own words.
  const original = new Set<string>();
  for (const a of dsn?.originalRecipients ?? []) if (!failed.has(a) && !mentioned.has(a) && !isOwnAddress(a, own)) original.add(a);
  const named = new Set([...failed, ...mentioned, ...original]);
  const reached = (i: number, among: ReadonlySet<string>): string[] => {
    const r = records[i];
    const out: string[] = [];
    for (const list of [r.to, r.cc, r.bcc]) for (const a of list) if (among.has(a.address) && !out.includes(a.address)) out.push(a.address);
    return out;
  };
  const subjects: string[] = [];
  for (const subject of [dsn?.originalSubject, dsnRecord.subject]) {
    const key = subject ? subjectKey(subject).key : '';
    if (key && !subjects.includes(key)) subjects.push(key);
  }
  const bySubject = (among: ReadonlySet<string> | null): BounceMatch | null => {
    for (const key of subjects) {
      const accept = among ? (i: number) => reached(i, among).length > 0 : undefined;
      const j = latestBefore(sentIndex.bySubject.get(key), timeOf, dsnTime, accept);
      if (j !== -1) return { index: j, recipients: among ? reached(j, among) : [...failed] };
    }
    return null;
  };
  const byAddress = (among: ReadonlySet<string>): BounceMatch | null => {
    let best = -1;
    for (const a of among) {
      const j = latestBefore(sentIndex.byRecipient.get(a), timeOf, dsnTime);
      if (j !== -1 && (best === -1 || timeOf(j) > timeOf(best))) best = j;
    }
    return best === -1 ? null : { index: best, recipients: reached(best, among) };
  };
  return (
    (named.size ? bySubject(named) : null) ??
    byAddress(failed) ??
    byAddress(mentioned) ??
    byAddress(original) ??
    bySubject(null)
  );
}
