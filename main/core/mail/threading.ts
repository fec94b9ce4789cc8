// Conversations over message records: Message-ID / In-Reply-To / References first, then a
// subject + participants + time fallback for mail that carries no threading headers.
//
// The id step gives the same conversations as JWZ's algorithm (https://www.jwz.org/doc/threading.html):
// every id a message names, known or not (a "ghost" container), joins it to the messages naming
// the same id. We keep the components (union-find, near-linear) and each message's direct parent
// rather than JWZ's full container tree, which the analysis does not need. The subject step is
// stricter than JWZ's (which joins any two messages with the same subject): a message only joins
// a conversation by subject when its sender took part in it (or, for the user's own mail, one of
// its recipients did), it says it is a reply/forward/automatic answer ("Re:", "AW:",
// "Automatic reply:"), and it is not older than the conversation nor long after its last message.
import type { MessageRecord } from '../store/types.js';
import { isOwnAddress } from './addresses.js';
import { subjectKey } from './subject.js';

export interface ThreadOptions {
  /** The user's own addresses, lower case. */
  own: ReadonlySet<string>;
  /**
   * Extra parent ids per record index, found outside the headers (e.g. the Message-ID of the
   * original a bounce returns). They link like an In-Reply-To.
   */
  extraParents?: Map<number, string[]>;
  /** A subject-only join needs the conversation's last message within this many days. */
  subjectGapDays?: number;
}

export interface Threads {
  /** Record index → its conversation's id (the index of one of its records). */
  conversationOf: Int32Array;
  /** Record index → index of the record it replies to (In-Reply-To, else last known Reference), or -1. */
  parentOf: Int32Array;
  /** Record index → time in ms (Date header, else INTERNALDATE). */
  time: Float64Array;
  /** Message-ID → record index. */
  byMessageId: Map<string, number>;
  /** Record index → joined by the subject fallback (not by ids). */
  joinedBySubject: Uint8Array;
}

/** Message time: the Date header (the author's clock), else the server's arrival time. */
export function recordTime(r: MessageRecord): number {
  const t = Date.parse(r.date ?? r.internalDate);
  if (Number.isFinite(t)) return t;
  const i = Date.parse(r.internalDate);
  return Number.isFinite(i) ? i : 0;
}

/**
 * RFC 5322 §3.6.4: a msg-id is id-left "@" id-right. Tokens without '@' ("<yes>", "<1>") come
 * from broken clients and would join unrelated conversations, so they are not used.
 */
function usableId(id: string | null | undefined): id is string {
  return Boolean(id) && id!.includes('@') && id!.length < 1000;
}

/** The ids a record names as its ancestors, nearest last (References order, then In-Reply-To). */
export function ancestorIds(r: MessageRecord): string[] {
  const ids = r.references.filter(usableId);
  if (usableId(r.inReplyTo) && ids[ids.length - 1] !== r.inReplyTo) ids.push(r.inReplyTo);
  return ids;
}

/** Whether `r` names `messageId` as its parent or ancestor: a reply to it, directly or further down. */
export function refersTo(r: MessageRecord, messageId: string): boolean {
  return r.inReplyTo === messageId || r.references.includes(messageId);
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const DAY_MS = 86_400_000;

function participantsOf(r: MessageRecord, own: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const list of [r.from, r.to, r.cc, r.bcc]) for (const a of list) if (!isOwnAddress(a.address, own)) out.push(a.address);
  return out;
}

/** Thread the records of one account. O(n log n) (one sort) plus O(total ids). */
export function threadRecords(records: readonly MessageRecord[], opts: ThreadOptions): Threads {
  const n = records.length;
  const uf = new UnionFind(n);
  const time = new Float64Array(n);
  const parentOf = new Int32Array(n).fill(-1);
  const byMessageId = new Map<string, number>();
  const joinedBySubject = new Uint8Array(n);

  for (let i = 0; i < n; i++) {
    time[i] = recordTime(records[i]);
    const id = records[i].messageId;
    const seen = byMessageId.get(id);
    if (seen === undefined) byMessageId.set(id, i);
    else uf.union(seen, i); // the same Message-ID twice: one mail
  }

  // Step 1: ids. Unknown ids become ghosts that still join the messages naming them.
  const ghosts = new Map<string, number>();
  const hasIds = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ids = ancestorIds(records[i]);
    const extra = opts.extraParents?.get(i);
    if (extra) for (const e of extra) if (usableId(e)) ids.push(e);
    if (!ids.length) continue;
    hasIds[i] = 1;
    for (let k = ids.length - 1; k >= 0; k--) {
      const id = ids[k];
      const j = byMessageId.get(id);
      if (j !== undefined) {
        if (j !== i) {
          uf.union(i, j);
          if (parentOf[i] === -1) parentOf[i] = j;
        }
      } else {
        const g = ghosts.get(id);
        if (g === undefined) ghosts.set(id, i);
        else uf.union(i, g);
      }
    }
  }

  // Step 2: subject + participants + time, for mail without threading ids.
  const keys: string[] = new Array(n);
  const wanted = new Set<string>();
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const sk = subjectKey(records[i].subject);
    keys[i] = sk.key;
    if (!hasIds[i] && sk.prefixed && sk.key) {
      candidate[i] = 1;
      wanted.add(sk.key);
    }
  }
  if (wanted.size) {
    const gap = (opts.subjectGapDays ?? 60) * DAY_MS;
    const order = [...records.keys()].filter((i) => wanted.has(keys[i])).sort((a, b) => time[a] - time[b] || a - b);
    // subject key → participant address → the latest record of a conversation they were in.
    const index = new Map<string, Map<string, number>>();
    for (const i of order) {
      const r = records[i];
      let byAddress = index.get(keys[i]);
      if (!byAddress) index.set(keys[i], (byAddress = new Map()));
      if (candidate[i]) {
        const sender = r.from[0]?.address;
        const fromUser = sender !== undefined && isOwnAddress(sender, opts.own);
        // Incoming mail joins a conversation its sender was part of; the user's own mail joins
        // one that one of its recipients was part of.
        const lookups = fromUser
          ? participantsOf(r, opts.own)
          : sender !== undefined
            ? [sender]
            : [];
        let best = -1;
        for (const a of lookups) {
          const j = byAddress.get(a);
          if (j !== undefined && time[i] - time[j] <= gap && (best === -1 || time[j] > time[best])) best = j;
        }
        if (best !== -1 && uf.find(best) !== uf.find(i)) {
          uf.union(i, best);
          joinedBySubject[i] = 1;
        }
      }
      for (const a of participantsOf(r, opts.own)) byAddress.set(a, i);
    }
  }

  const conversationOf = new Int32Array(n);
  for (let i = 0; i < n; i++) conversationOf[i] = uf.find(i);
  return { conversationOf, parentOf, time, byMessageId, joinedBySubject };
}

/** Conversation id → member record indices, oldest first. */
export function conversations(threads: Threads): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const { conversationOf, time } = threads;
  for (let i = 0; i < conversationOf.length; i++) {
    const c = conversationOf[i];
    const list = out.get(c);
    if (list) list.push(i);
    else out.set(c, [i]);
  }
  for (const list of out.values()) if (list.length > 1) list.sort((a, b) => time[a] - time[b] || a - b);
  return out;
}
