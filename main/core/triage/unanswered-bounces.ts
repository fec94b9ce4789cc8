// Bounces that do not thread: many MTAs set no In-Reply-To on a DSN, and a header-only store
// does not see the returned original. Such a failed DSN is matched to the user's sent mail by
// the original's Message-ID (body), the subject it quotes ("Undeliverable: Q3 plan"), or the
// recipient that failed (body), in that order; always to a mail sent before the DSN.
import type { MessageRecord } from '../model.js';
import type { DsnReport } from '../mail/index.js';
import { subjectKey } from '../mail/index.js';

/** A DSN answers for a mail sent at most this long before it (MTAs give up after ~5 days). */
const SUBJECT_WINDOW_MS = 14 * 86_400_000;
const RECIPIENT_WINDOW_MS = 7 * 86_400_000;

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

/** The latest of `candidates` sent before `at` and within `window`, or -1. */
function latestBefore(candidates: number[] | undefined, timeOf: (i: number) => number, at: number, window: number, accept?: (i: number) => boolean): number {
  let best = -1;
  if (!candidates) return best;
  for (const i of candidates) {
    const t = timeOf(i);
    if (t > at || at - t > window) continue;
    if (accept && !accept(i)) continue;
    if (best === -1 || t > timeOf(best)) best = i;
  }
  return best;
}

/**
 * The sent record an unthreaded DSN is about, or -1. `dsn` comes from the body when the service
 * fetched it; without it only the subject can match ("Undeliverable: <subject>"); a generic
 * subject ("Undelivered Mail Returned to Sender") alone matches nothing.
 */
export function matchBounce(
  dsnRecord: MessageRecord,
  dsnTime: number,
  dsn: DsnReport | undefined,
  records: readonly MessageRecord[],
  timeOf: (i: number) => number,
  byMessageId: Map<string, number>,
  sentIndex: SentIndex,
  isSent: (i: number) => boolean,
): number {
  if (dsn?.originalMessageId) {
    const j = byMessageId.get(dsn.originalMessageId);
    if (j !== undefined && isSent(j)) return j;
  }
  const failed = new Set(dsn?.recipients ?? []);
  const toFailed = (i: number) => {
    if (!failed.size) return true;
    const r = records[i];
    return [r.to, r.cc, r.bcc].some((l) => l.some((a) => failed.has(a.address)));
  };
  for (const subject of [dsn?.originalSubject, dsnRecord.subject]) {
    if (!subject) continue;
    const key = subjectKey(subject).key;
    if (!key) continue;
    const j = latestBefore(sentIndex.bySubject.get(key), timeOf, dsnTime, SUBJECT_WINDOW_MS, toFailed);
    if (j !== -1) return j;
  }
  for (const a of failed) {
    const j = latestBefore(sentIndex.byRecipient.get(a), timeOf, dsnTime, RECIPIENT_WINDOW_MS);
    if (j !== -1) return j;
  }
  return -1;
}
