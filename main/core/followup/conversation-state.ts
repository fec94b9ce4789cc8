// What a conversation says now, for a follow-up: has anyone answered since the mail we follow up,
// did the user write again, did it bounce, is the person away. Pure: one analysis of the mailbox
// (threads and the unanswered list) serves every question send-due asks about it.
import type { UnansweredEntry } from '../api.js';
import type { FolderRole, MessageRecord } from '../model.js';
import { isOwnAddress, classifyAutomated, isHumanAnswer, refersTo, threadRecords, type Threads } from '../mail/index.js';
import { ownAddresses, roleMap, type Mailbox } from '../store/index.js';
import { findUnanswered } from '../triage/index.js';
import { conversationKeyOf } from './queue.js';

export interface ConversationState {
  /** The record asked about. */
  record: MessageRecord;
  /** The user's latest mail to someone else in the conversation (what a follow-up answers). */
  latestSent: MessageRecord | null;
  key: string;
  messageIds: Set<string>;
  /** The first person who answered after the anchor mail (auto-replies and bounces are not answers). */
  answer: { from: string; at: string } | null;
  /** The user's own latest mail after the anchor that is not one of ours (a manual follow-up). */
  wroteAgain: { at: string; messageId: string } | null;
  /** The unanswered analysis' entry for the conversation: bounce and out-of-office come from it. */
  unanswered: UnansweredEntry | null;
}

const NOT_SENT_ROLES: ReadonlySet<FolderRole> = new Set(['junk', 'trash', 'drafts']);

function isSentByUser(r: MessageRecord, own: ReadonlySet<string>, roles: Map<string, FolderRole>): boolean {
  const sender = r.from[0]?.address;
  if (!sender || !isOwnAddress(sender, own)) return false;
  return r.locations.some((l) => !NOT_SENT_ROLES.has(roles.get(l.folder) ?? 'other') && !l.flags.some((f) => f.toLowerCase() === '\\draft'));
}

const recordMs = (r: MessageRecord) => {
  const t = Date.parse(r.date ?? r.internalDate);
  return Number.isFinite(t) ? t : Date.parse(r.internalDate) || 0;
};

/**
 * The analysis of one mailbox that every conversation question shares: threads and the
 * unanswered list. send-due builds it once per account, not once per entry.
 */
export interface MailboxAnalysis {
  mailbox: Mailbox;
  threads: Threads;
  unanswered: UnansweredEntry[];
  indexById: Map<string, number>;
  bodies: Map<string, string>;
}

/**
 * A mailbox analysed for conversation questions. The bodies of bounces and auto-replies (DSN
 * details, out-of-office return dates) are those sync keeps on the records (imap/bodies.ts).
 */
export function analyse(mailbox: Mailbox, now: Date): MailboxAnalysis {
  const bodies = new Map<string, string>();
  for (const r of mailbox.messages) if (r.bodyText) bodies.set(r._id, r.bodyText);
  return analyseMailbox(mailbox, now, bodies);
}

/** `bodies`: of automatic mail (record _id → text), as findUnanswered takes them. */
export function analyseMailbox(mailbox: Mailbox, now: Date, bodies: Map<string, string> = new Map()): MailboxAnalysis {
  const records = mailbox.messages;
  const indexById = new Map<string, number>();
  for (let i = 0; i < records.length; i++) indexById.set(records[i]._id, i);
  return {
    mailbox,
    threads: threadRecords(records, { own: ownAddresses(mailbox.account) }),
    unanswered: findUnanswered({ mailboxes: [mailbox], now, minAgeHours: 0, bodies }),
    indexById,
    bodies,
  };
}

export interface InspectInput {
  analysis: MailboxAnalysis;
  /** Record `_id` of any message of the conversation. */
  recordId: string;
  /**
   * What answers are counted after: 'latest-sent' (default; `resend`: is the conversation still
   * waiting?) or 'record' (send-due: did anything answer the mail we follow up since it went?).
   */
  anchor?: 'latest-sent' | 'record';
  /** Message-IDs of our own follow-ups: not "the user wrote again". */
  ours?: ReadonlySet<string>;
}

/** What a conversation says now, from the store. Pure. Null when the record is not there. */
export function inspectConversation(input: InspectInput): ConversationState | null {
  const { mailbox, threads, bodies } = input.analysis;
  const records = mailbox.messages;
  const index = input.analysis.indexById.get(input.recordId);
  if (index === undefined) return null;
  const own = ownAddresses(mailbox.account);
  const roles = roleMap(mailbox);
  const conv = threads.conversationOf[index];
  const members: MessageRecord[] = [];
  for (let i = 0; i < records.length; i++) if (threads.conversationOf[i] === conv) members.push(records[i]);
  members.sort((a, b) => recordMs(a) - recordMs(b));

  let latestSent: MessageRecord | null = null;
  for (const m of members) {
    if (!isSentByUser(m, own, roles)) continue;
    const toOthers = [...m.to, ...m.cc, ...m.bcc].some((a) => !isOwnAddress(a.address, own));
    if (toOthers && (!latestSent || recordMs(m) >= recordMs(latestSent))) latestSent = m;
  }
  const base = input.anchor === 'record' ? records[index] : (latestSent ?? records[index]);
  const sinceMs = recordMs(base);

  let answer: ConversationState['answer'] = null;
  let wroteAgain: ConversationState['wroteAgain'] = null;
  for (const m of members) {
    const sender = m.from[0]?.address;
    if (!sender) continue;
    if (isOwnAddress(sender, own)) {
      if (recordMs(m) > sinceMs && m.messageId !== base.messageId && !input.ours?.has(m.messageId) && isSentByUser(m, own, roles)) {
        wroteAgain = { at: new Date(recordMs(m)).toISOString(), messageId: m.messageId };
      }
      continue;
    }
    if (answer) continue;
    // Another message under the mail's own Message-ID (a forgery, an altered copy: model.ts) is
    // not an answer to it.
    if (m.messageId === base.messageId) continue;
    if (!(recordMs(m) > sinceMs || refersTo(m, base.messageId))) continue;
    if (isHumanAnswer(classifyAutomated(m, bodies.get(m._id)))) answer = { from: sender, at: new Date(recordMs(m)).toISOString() };
  }

  const ids = new Set(members.map((m) => m.messageId));
  const memberIds = new Set(members.map((m) => m._id));
  const unanswered = input.analysis.unanswered.find((e) => memberIds.has(e.id)) ?? null;
  return { record: records[index], latestSent, key: conversationKeyOf(base), messageIds: ids, answer, wroteAgain, unanswered };
}
