// Unanswered sent mail: conversations where the user wrote last and no person answered.
// Pure: no I/O, no real clock; `now` and the few message bodies come from the caller.
//
// Rules (ARCHITECTURE.md, "Rules the product promises", and issue 4), with the decisions taken:
// - Sent mail: from one of the account's addresses (aliases, +tags), in any folder except when its
//   only copies are in Junk (spoofed "from yourself" spam), Trash or Drafts (or carry \Draft).
// - Per conversation (threading.ts) the latest sent mail that went to someone other than the
//   user is the candidate. It is answered when a message from someone else, written by a person
//   (autoreply.ts), sits in the same conversation in any folder (Junk included) and is later than
//   it, or names it in In-Reply-To/References. An earlier message never answers a later one.
// - A failed DSN about it makes it "bounced"; a delayed one changes nothing; an out-of-office
//   with a return date sets `outOfOfficeUntil`.
// - Not listed: mail only to the user's own addresses; mail whose recipients are all mailing
//   lists or no-reply addresses (a list post with a person in Cc waits for that person);
//   Bcc-only broadcasts (To: only the user or nobody, more than one Bcc recipient; a single Bcc
//   recipient is treated as a normal recipient); mail younger than `minAgeHours`, bounced or not;
//   dismissed mail.
import type { UnansweredEntry } from '../api.js';
import type { FolderRole, MessageRecord } from '../store/types.js';
import { isNoReplyAddress, isOwnAddress } from '../mail/addresses.js';
import { classifyAutomated, isHumanAnswer, mayBeDsn, type AutomatedClass } from '../mail/autoreply.js';
import { learnListAddresses } from '../mail/lists.js';
import { ancestorIds, refersTo, threadRecords } from '../mail/threading.js';
import { ownAddresses, roleMap, type Mailbox } from './mailbox.js';
import { indexSent, matchBounce, type SentIndex } from './unanswered-bounces.js';

export { needsBody } from '../mail/autoreply.js';

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

/** Everyone the mail went to except the user, in header order, without duplicates. */
function otherRecipients(r: MessageRecord, own: ReadonlySet<string>): { all: string[]; visible: number; bcc: number } {
  const seen = new Set<string>();
  let visible = 0;
  let bcc = 0;
  for (const [list, isBcc] of [[r.to, false], [r.cc, false], [r.bcc, true]] as const) {
    for (const a of list) {
      if (isOwnAddress(a.address, own) || seen.has(a.address)) continue;
      seen.add(a.address);
      if (isBcc) bcc++;
      else visible++;
    }
  }
  return { all: [...seen], visible, bcc };
}

function analyseMailbox(mb: Mailbox, input: FindUnansweredInput): UnansweredEntry[] {
  const records = mb.messages;
  const n = records.length;
  const own = ownAddresses(mb.account);
  const roles = roleMap(mb);
  const now = input.now.getTime();
  const minAge = input.minAgeHours ?? 24;
  const bodies = input.bodies;

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
  if (bodies && bodies.size) {
    const indexById = new Map<string, number>();
    for (let i = 0; i < n; i++) indexById.set(records[i]._id, i);
    for (const id of bodies.keys()) {
      const i = indexById.get(id);
      if (i === undefined) continue;
      const original = classify(i).dsn?.originalMessageId;
      if (original) extraParents.set(i, [original]);
    }
  }

  const threads = threadRecords(records, { own, extraParents });
  const { conversationOf, time, byMessageId } = threads;

  const isSent = new Uint8Array(n);
  const sentByConversation = new Map<number, number[]>();
  const sentList: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const sender = r.from[0]?.address;
    if (!sender || !isOwnAddress(sender, own) || !countsAsSent(r, roles)) continue;
    isSent[i] = 1;
    sentList.push(i);
    const c = conversationOf[i];
    const list = sentByConversation.get(c);
    if (list) list.push(i);
    else sentByConversation.set(c, [i]);
  }
  if (!sentList.length) return [];

  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = conversationOf[i];
    if (!sentByConversation.has(c)) continue;
    const list = members.get(c);
    if (list) list.push(i);
    else members.set(c, [i]);
  }

  // Failed DSNs that did not thread to any of the user's mail: match them by body or subject.
  const bouncedSent = new Map<number, string[]>();
  let sentIndex: SentIndex | null = null;
  for (let i = 0; i < n; i++) {
    if (isSent[i] || sentByConversation.has(conversationOf[i]) || !mayBeDsn(records[i])) continue;
    const c = classify(i);
    if (c.kind !== 'dsn-failed') continue;
    sentIndex ??= indexSent(records, sentList);
    const target = matchBounce(records[i], time[i], c.dsn, records, time, byMessageId, sentIndex, (j) => isSent[j] === 1);
    if (target === -1) continue;
    const list = bouncedSent.get(target) ?? [];
    list.push(...(c.dsn?.recipients ?? []));
    bouncedSent.set(target, list);
  }

  const lists = learnListAddresses(records);
  const dismissed = input.dismissed;
  const out: UnansweredEntry[] = [];

  for (const [conv, sent] of sentByConversation) {
    // The latest mail the user sent to someone else in this conversation.
    let last = -1;
    let lastRecipients: ReturnType<typeof otherRecipients> | null = null;
    for (const s of sent) {
      if (last !== -1 && (time[s] < time[last] || (time[s] === time[last] && s < last))) continue;
      const rc = otherRecipients(records[s], own);
      if (!rc.all.length) continue;
      last = s;
      lastRecipients = rc;
    }
    if (last === -1 || !lastRecipients) continue;
    const mail = records[last];
    if (dismissed && (dismissed.has(mail._id) || dismissed.has(mail.messageId))) continue;
    // A Bcc-only broadcast (announcement, "undisclosed recipients") waits for no one in particular.
    if (lastRecipients.visible === 0 && lastRecipients.bcc > 1) continue;
    const awaitable = lastRecipients.all.filter((a) => !isNoReplyAddress(a) && !lists.has(a));
    if (!awaitable.length) continue;
    const age = (now - time[last]) / HOUR_MS;
    if (age < minAge) continue;

    let answered = false;
    let bounced = bouncedSent.has(last);
    const bouncedRecipients = new Set(bouncedSent.get(last) ?? []);
    let oooUntil: string | null = null;
    let lastActivity = time[last];
    const convMembers = members.get(conv) ?? [last];
    for (const m of convMembers) {
      if (time[m] > lastActivity) lastActivity = time[m];
      if (m === last || isSent[m]) continue;
      const r = records[m];
      const sender = r.from[0]?.address;
      if (sender && isOwnAddress(sender, own)) continue; // the user's own copies (drafts, spoofs)
      const namesIt = refersTo(r, mail.messageId);
      if (!namesIt && time[m] <= time[last]) continue; // earlier mail never answers a later one
      const c = classify(m);
      if (isHumanAnswer(c)) {
        answered = true;
        break;
      }
      // An automatic message that names another of the user's mails is about that one.
      const aboutThis =
        namesIt || c.dsn?.originalMessageId === mail.messageId || !ancestorIds(r).some((id) => {
          const j = byMessageId.get(id);
          return j !== undefined && j !== last && isSent[j] === 1;
        });
      if (!aboutThis) continue;
      if (c.kind === 'dsn-failed') {
        bounced = true;
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
      sentAt: new Date(time[last]).toISOString(),
      status: bounced ? 'bounced' : 'awaiting',
      ageHours: Math.round(age * 10) / 10,
      awaitingFrom: awaitable.filter((a) => !bouncedRecipients.has(a)),
      outOfOfficeUntil: oooUntil,
      threadSize: convMembers.length,
      lastActivityAt: new Date(lastActivity).toISOString(),
    };
    if (bouncedRecipients.size) entry.bouncedRecipients = [...bouncedRecipients];
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
