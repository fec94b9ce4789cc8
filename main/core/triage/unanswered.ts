// Unanswered sent mail: conversations where the user wrote last and no person answered.
// Pure: no I/O, no real clock; `now` and the few message bodies come from the caller.
//
// Rules (ARCHITECTURE.md, "Rules the product promises", and issue 4), with the decisions taken:
// - Sent mail: from one of the account's addresses (aliases, +tags), in any folder except when its
//   only copies are in Junk (spoofed "from yourself" spam), Trash or Drafts (or carry \Draft).
// - Per conversation (threading.ts) the latest sent mail that went to someone other than the
//   user is the candidate. It is answered by a message from someone else, written by a person
//   (autoreply.ts; calendar replies count), in any folder (Junk and Trash included), that
//   * names it in In-Reply-To/References (whatever the clocks say), or
//   * is later than it and replies to a mail of the user's on the candidate's own ancestry (an
//     answer to the first mail after a "ping"), or carries no threading ids at all (Outlook-style,
//     joined by subject + participants).
//   A later reply to someone else's message in another branch (list threads, other patches of a
//   series) does not answer it. An earlier message never answers a later one.
// - A failed DSN about it makes it "bounced"; a delayed one changes nothing; an out-of-office
//   with a return date sets `outOfOfficeUntil`.
// - Not listed: mail only to the user's own addresses; mail whose recipients are all mailing
//   lists or no-reply addresses (a list post with a person in Cc waits for that person);
//   Bcc-only broadcasts (To: only the user or nobody, more than one Bcc recipient; a single Bcc
//   recipient is treated as a normal recipient); mail younger than `minAgeHours`, bounced or not;
//   dismissed mail.
// - `to` is everyone the mail went to except the user (To, Cc, Bcc of the Sent copy);
//   `awaitingFrom` is `to` without lists, no-reply addresses and recipients a DSN says failed.
import type { UnansweredEntry } from '../api.js';
import type { FolderRole, MessageRecord } from '../model.js';
import { isNoReplyAddress, isOwnAddress, classifyAutomated, isHumanAnswer, mayBeDsn, type AutomatedClass, learnListAddresses, ancestorIds, refersTo, threadRecords } from '../mail/index.js';
import { ownAddresses, roleMap, type Mailbox } from '../store/index.js';
import { indexSent, matchBounce, type SentIndex } from './unanswered-bounces.js';

export { needsBody } from '../mail/index.js';

export interface FindUnansweredInput {
  mailboxes: Mailbox[];
  now: Date;
  /** Mail younger than this is not listed (default 24). */
  minAgeHours?: number;
  /**
   * Message text by record `_id` (the whole source, or BODY[TEXT]) for the records `needsBody`
   * selected. Without it, the analysis works on headers alone.
   */
  bodies?: Map<string, string>;
  /** Record ids or Message-IDs the user dismissed. */
  dismissed?: Set<string>;
}

const HOUR_MS = 3_600_000;

/** Hours between `sentAt` and `now`, one decimal (no business-day logic). */
export function ageHours(sentAt: Date | string, now: Date): number {
  const t = typeof sentAt === 'string' ? Date.parse(sentAt) : sentAt.getTime();
  return Math.round(((now.getTime() - t) / HOUR_MS) * 10) / 10;
}

/** Folders whose copy of the user's mail does not make it "sent". */
const NOT_SENT_ROLES: ReadonlySet<FolderRole> = new Set(['junk', 'trash', 'drafts']);

function countsAsSent(r: MessageRecord, roles: Map<string, FolderRole>): boolean {
  for (const loc of r.locations) {
    const role = roles.get(loc.folder) ?? 'other';
    if (NOT_SENT_ROLES.has(role)) continue;
    if (loc.flags.some((f) => f.toLowerCase() === '\\draft')) continue;
    return true;
  }
  return false;
}

interface Recipients {
  all: string[];
  visible: number;
  bcc: number;
}

function addRecipients(out: Recipients, list: MessageRecord['to'], own: ReadonlySet<string>, isBcc: boolean): void {
  for (const a of list) {
    if (isOwnAddress(a.address, own) || out.all.includes(a.address)) continue;
    out.all.push(a.address);
    if (isBcc) out.bcc++;
    else out.visible++;
  }
}

/** Everyone the mail went to except the user, in header order, without duplicates. */
function otherRecipients(r: MessageRecord, own: ReadonlySet<string>): Recipients {
  const out: Recipients = { all: [], visible: 0, bcc: 0 };
  addRecipients(out, r.to, own, false);
  addRecipients(out, r.cc, own, false);
  addRecipients(out, r.bcc, own, true);
  return out;
}

/** Group record indices by a key in [0, n): CSR layout, no Map, no per-group arrays. */
function groupBy(n: number, keyOf: Int32Array, include: (i: number) => boolean): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (include(i)) start[keyOf[i] + 1]++;
  for (let k = 0; k < n; k++) start[k + 1] += start[k];
  const fill = start.slice(0, n);
  const items = new Int32Array(start[n]);
  for (let i = 0; i < n; i++) if (include(i)) items[fill[keyOf[i]]++] = i;
  return { start, items };
}

function analyseMailbox(mb: Mailbox, input: FindUnansweredInput): UnansweredEntry[] {
  const records = mb.messages;
  const n = records.length;
  const own = ownAddresses(mb.account);
  const roles = roleMap(mb);
  const now = input.now.getTime();
  const minAge = input.minAgeHours ?? 24;
  const bodies = input.bodies && input.bodies.size ? input.bodies : undefined;

  const classes = new Map<number, AutomatedClass>();
  const classify = (i: number): AutomatedClass => {
    let c = classes.get(i);
    if (!c) {
      c = classifyAutomated(records[i], bodies?.get(records[i]._id));
      classes.set(i, c);
    }
    return c;
  };

  // A bounce's body names the original: thread the DSN to it as if it had an In-Reply-To.
  const extraParents = new Map<number, string[]>();
  if (bodies) {
    for (let i = 0; i < n; i++) {
      if (!bodies.has(records[i]._id)) continue;
      const original = classify(i).dsn?.originalMessageId;
      if (original) extraParents.set(i, [original]);
    }
  }

  const threads = threadRecords(records, { own, extraParents });
  const { conversationOf, timeOf, byMessageId } = threads;

  // One pass: the user's sent mail, the records that teach list addresses, possible DSNs.
  const isSent = new Uint8Array(n);
  const convHasSent = new Uint8Array(n);
  const sentList: number[] = [];
  const listRecords: MessageRecord[] = [];
  const maybeDsn: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const sender = r.from[0]?.address;
    if (sender !== undefined && isOwnAddress(sender, own)) {
      if (!countsAsSent(r, roles)) continue;
      isSent[i] = 1;
      convHasSent[conversationOf[i]] = 1;
      sentList.push(i);
      continue;
    }
    const h = r.headers;
    if (h['list-id'] !== undefined || h['list-post'] !== undefined || r.sender.length) listRecords.push(r);
    if (mayBeDsn(r)) maybeDsn.push(i);
  }
  if (!sentList.length) return [];

  // The members of every conversation the user wrote in, grouped without per-group allocations.
  const members = groupBy(n, conversationOf, (i) => convHasSent[conversationOf[i]] === 1);

  // Failed DSNs that did not thread to any of the user's mail: match them by the original's
  // Message-ID, else by the failed address and the time (unanswered-bounces.ts).
  const bouncedSent = new Map<number, string[]>();
  let sentIndex: SentIndex | null = null;
  for (const i of maybeDsn) {
    if (convHasSent[conversationOf[i]]) continue;
    const c = classify(i);
    if (c.kind !== 'dsn-failed') continue;
    sentIndex ??= indexSent(records, sentList);
    const match = matchBounce({ dsnRecord: records[i], dsnTime: timeOf(i), dsn: c.dsn, records, timeOf, byMessageId, sentIndex, isSent: (j) => isSent[j] === 1, own });
    if (!match) continue;
    const list = bouncedSent.get(match.index) ?? [];
    for (const a of match.recipients) list.push(a);
    bouncedSent.set(match.index, list);
  }

  const lists = learnListAddresses(listRecords);
  const dismissed = input.dismissed;
  const out: UnansweredEntry[] = [];
  const { start, items } = members;

  for (let conv = 0; conv < n; conv++) {
    const from = start[conv];
    const to = start[conv + 1];
    if (from === to) continue;
    // The latest mail the user sent to someone else in this conversation.
    let last = -1;
    let lastTime = -Infinity;
    let lastRecipients: ReturnType<typeof otherRecipients> | null = null;
    for (let k = from; k < to; k++) {
      const s = items[k];
      if (!isSent[s]) continue;
      const t = timeOf(s);
      if (last !== -1 && (t < lastTime || (t === lastTime && s < last))) continue;
      const rc = otherRecipients(records[s], own);
      if (!rc.all.length) continue;
      last = s;
      lastTime = t;
      lastRecipients = rc;
    }
    if (last === -1 || !lastRecipients) continue;
    const mail = records[last];
    if (dismissed && (dismissed.has(mail._id) || dismissed.has(mail.messageId))) continue;
    // A Bcc-only broadcast (announcement, "undisclosed recipients") waits for no one in particular.
    if (lastRecipients.visible === 0 && lastRecipients.bcc > 1) continue;
    const age = (now - lastTime) / HOUR_MS;
    if (age < minAge) continue;
    const awaitable: string[] = [];
    for (const a of lastRecipients.all) if (!lists.has(a) && !isNoReplyAddress(a)) awaitable.push(a);
    if (!awaitable.length) continue;

    let answered = false;
    let bounced = bouncedSent.has(last);
    let bouncedRecipients: Set<string> | null = bounced ? new Set(bouncedSent.get(last)) : null;
    let oooUntil: string | null = null;
    let lastActivity = lastTime;
    let lastAncestors: Set<string> | null = null;
    for (let k = from; k < to; k++) {
      const m = items[k];
      const mTime = timeOf(m);
      if (mTime > lastActivity) lastActivity = mTime;
      if (m === last || isSent[m]) continue;
      const r = records[m];
      const sender = r.from[0]?.address;
      if (sender !== undefined && isOwnAddress(sender, own)) continue; // the user's own copies (drafts, spoofs)
      const extra = extraParents.get(m);
      const namesIt = refersTo(r, mail.messageId) || (extra !== undefined && extra.includes(mail.messageId));
      if (!namesIt && mTime <= lastTime) continue; // an earlier message never answers a later one
      // The user's other mails it names (as parent or ancestor), and whether one of them is on
      // the way from the conversation's root to the candidate.
      let namesOtherSent = false;
      let namesSentAncestor = false;
      if (!namesIt) {
        const ids = extra ? [...ancestorIds(r), ...extra] : ancestorIds(r);
        for (const id of ids) {
          const j = byMessageId.get(id);
          if (j === undefined || j === last || isSent[j] !== 1) continue;
          namesOtherSent = true;
          lastAncestors ??= new Set(ancestorIds(mail));
          if (lastAncestors.has(id)) namesSentAncestor = true;
        }
        // A later message answers when it replies to the candidate or to one of the user's mails
        // it follows up ("ping" → answer to the first mail), or carries no threading ids at all
        // (joined by subject). A reply in another branch of the conversation (to someone else, or
        // to another patch of a series) does not answer the candidate.
        if (ids.length && !namesSentAncestor) continue;
      }
      const c = classify(m);
      if (isHumanAnswer(c)) {
        // Another message under the candidate's own Message-ID (a forgery, an altered copy) is
        // not an answer to it. (A report under it still counts: some MTAs' bounces reuse the
        // original's Message-ID, and a false "bounced" shows, where a false "answered" hides.)
        if (r.messageId === mail.messageId) continue;
        answered = true;
        break;
      }
      // An automatic message that names an earlier mail of the user's is about that one.
      if (!namesIt && namesOtherSent && c.dsn?.originalMessageId !== mail.messageId) continue;
      if (c.kind === 'dsn-failed') {
        bounced = true;
        bouncedRecipients ??= new Set();
        for (const a of c.dsn?.recipients ?? []) bouncedRecipients.add(a);
      } else if (c.kind === 'out-of-office' && c.returnDate && (!oooUntil || c.returnDate > oooUntil)) {
        oooUntil = c.returnDate;
      }
    }
    if (answered) continue;
    const entry: UnansweredEntry = {
      id: mail._id,
      account: mb.account.name,
      messageId: mail.messageId,
      subject: mail.subject,
      to: lastRecipients.all,
      sentAt: new Date(lastTime).toISOString(),
      status: bounced ? 'bounced' : 'awaiting',
      ageHours: Math.round(age * 10) / 10,
      awaitingFrom: bouncedRecipients?.size ? awaitable.filter((a) => !bouncedRecipients.has(a)) : awaitable,
      outOfOfficeUntil: oooUntil,
      threadSize: to - from,
      lastActivityAt: new Date(lastActivity).toISOString(),
      // The thread's root, as the follow-up queue keys a conversation (followup/queue.ts).
      conversationKey: mail.references[0] ?? mail.inReplyTo ?? mail.messageId,
    };
    if (bouncedRecipients?.size) entry.bouncedRecipients = [...bouncedRecipients];
    out.push(entry);
  }
  return out;
}

/**
 * One entry per conversation awaiting a reply, over all mailboxes, newest first (see the rules
 * at the top of this file).
 */
export function findUnanswered(input: FindUnansweredInput): UnansweredEntry[] {
  const out: UnansweredEntry[] = [];
  for (const mb of input.mailboxes) for (const e of analyseMailbox(mb, input)) out.push(e);
  out.sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}
