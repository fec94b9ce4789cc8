// The follow-up queue (issue 6): one document per follow-up in the store's `queue` datastore, and
// the pure decisions about it: the per-conversation cap, what the conversation says now (answered,
// bounced, away), and what send-due does with an entry whose time has come.
//
// A plan of N follow-ups (issue 8) is N entries sharing a `planId`, each with its `step`; every
// rule below works per entry, so a plan needs no other shape.
//
// Life of an entry:
//   scheduled ──due──▶ sending ──SMTP accepted, Sent copy──▶ sent
//       │  ▲              └──refused / unreachable──▶ failed ──due again──▶ sending ...
//       │  └─rescheduled (window closed at send time, out-of-office)
//       ├──reply / bounce / the user wrote again──▶ cancelled      (also `queue cancel`)
//       └──more than 2 business days late──▶ held ──send-due --confirm──▶ scheduled
import { randomBytes } from 'node:crypto';
import type Datastore from 'nedb-promises';
import type { QueueEntry, UnansweredEntry } from '../api.js';
import type { QueueDoc } from '../store/store.js';
import type { Address, FolderRole, MessageRecord } from '../store/types.js';
import { isOwnAddress } from '../mail/addresses.js';
import { classifyAutomated, isHumanAnswer } from '../mail/autoreply.js';
import { refersTo, threadRecords, type Threads } from '../mail/threading.js';
import { ownAddresses, roleMap, type Mailbox } from '../store/mailbox.js';
import { findUnanswered } from '../triage/unanswered.js';
import type { BusinessHours } from '../calendar/calendar.js';
import type { TimeZoneSource } from '../calendar/timezone.js';
import type { BestSendRule } from '../contacts/best-send-time.js';
import { businessDaysBetween, isInsideWindow, nextSendTime, type SendTime } from '../calendar/window.js';

/** What decided `scheduledAt`: a window rule, the contact's best hour, or the user's own time. */
export type ScheduleRule = BestSendRule | 'user';

export type FollowUpStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed' | 'held';

/**
 * How far a send got (see sender.ts): 'smtp' = about to talk SMTP; 'data-end' = the last bytes of
 * the message are about to go, so the server may accept it from now on; 'accepted' = it did.
 */
export type SendPhase = 'smtp' | 'data-end' | 'accepted';

/** One follow-up as stored (`_id` = `id`). */
export type FollowUp = FollowUpFields & { _id: string };

export interface FollowUpFields {
  /** Short id for the CLI (= _id). */
  id: string;
  account: string;
  /** Record `_id` and Message-ID (no angle brackets) of the mail being followed up. */
  originalId: string;
  originalMessageId: string;
  /** The thread's root Message-ID: what the cap counts by. */
  conversationKey: string;
  /** The person whose time zone decided (first To recipient). */
  recipient: string;
  from: Address;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** Chosen before sending (no angle brackets): the key to exactly-once. */
  messageId: string;
  inReplyTo: string;
  references: string[];
  /** ISO-8601 with the recipient's offset. */
  scheduledAt: string;
  scheduledReason: string;
  /** The window rule that decided, 'best-hour' (the contact's usual active period), or 'user'. */
  scheduledRule: ScheduleRule;
  recipientTimeZone: string;
  timeZoneSource: TimeZoneSource;
  country: string | null;
  hours: BusinessHours | null;
  status: FollowUpStatus;
  statusReason?: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** A single follow-up: the conversation's n-th; a plan's step: 1..planSize. */
  step: number;
  planId: string | null;
  /** Steps of the plan (plan entries only). */
  planSize?: number;
  /** Business days after the previous step (step 1: after the original mail); plan entries only. */
  planGapDays?: number;
  // ---- while sending (sender.ts) ----
  phase?: SendPhase | null;
  /** The exact message as sent (the Sent copy is these bytes). */
  raw?: string | null;
  /** Real time (not --now) the last attempt reached 'data-end': the witness grace counts from it. */
  dataEndAt?: string | null;
  /** Whether the last failure may have left the message accepted (connection lost after the data). */
  maybeAccepted?: boolean;
  /** Recipients the server refused while others got it. */
  refused?: string[];
  /** Message-IDs of attempts that certainly reached no recipient, whose witness copies are junk. */
  discardedMessageIds?: string[];
  /** Sent, but the witness copy had not arrived yet (real time of the send): removed later. */
  witnessPending?: string | null;
}

/** Fields to set; null removes one. */
export type FollowUpChanges = { [K in keyof FollowUp]?: FollowUp[K] | null };

/**
 * `triage queue --json`: the contract's fields first, then the rest (no raw message, no _id).
 * `status` adds 'sending' (in flight, or to be settled after a crash) and 'held' (late, waiting
 * for the user's confirmation) to the contract's four values.
 */
export type FollowUpJson = Omit<FollowUpFields, 'raw' | 'status'> & { status: QueueEntry['status']; state: FollowUpStatus };

// The contract's fields are all there, with the contract's types (but for the two statuses above).
type ContractField = 'id' | 'account' | 'originalMessageId' | 'to' | 'scheduledAt' | 'recipientTimeZone';
export const QUEUE_CONTRACT_FIELDS = ['id', 'account', 'originalMessageId', 'to', 'scheduledAt', 'recipientTimeZone', 'status'] as const;
const _contract: Pick<QueueEntry, ContractField> = {} as Pick<FollowUpJson, ContractField>;
void _contract;

export const DEFAULT_CAP = 2;
/** ARCHITECTURE "Late sends": more than this many of the recipient's business days late → held. */
export const MAX_LATE_BUSINESS_DAYS = 2;
/** Statuses that count toward the per-conversation cap: sent and still to be sent. */
const CAP_COUNTED: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'sending', 'sent', 'failed', 'held']);
const ACTIVE: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'sending', 'failed', 'held']);

export function newQueueId(): string {
  return randomBytes(5).toString('hex');
}

/**
 * The contract knows four statuses; 'sending' (in flight, or to be settled after a crash) and
 * 'held' (late, waiting for the user's yes) are both still to be sent: 'scheduled' there, with the
 * exact state in `state`.
 */
export function contractStatus(status: FollowUpStatus): QueueEntry['status'] {
  return status === 'sending' || status === 'held' ? 'scheduled' : status;
}

export function queueJson(f: FollowUp): FollowUpJson {
  const { _id, raw, id, account, originalMessageId, to, scheduledAt, recipientTimeZone, status, ...rest } = f;
  return { id, account, originalMessageId, to, scheduledAt, recipientTimeZone, status: contractStatus(status), state: status, ...rest } as FollowUpJson;
}

/** Waiting and failed ones first by time, then the history, newest first. */
export function sortForDisplay(entries: FollowUp[]): FollowUp[] {
  const active = entries.filter((e) => ACTIVE.has(e.status)).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt) || a.id.localeCompare(b.id));
  const done = entries
    .filter((e) => !ACTIVE.has(e.status))
    .sort((a, b) => Date.parse(b.sentAt ?? b.updatedAt) - Date.parse(a.sentAt ?? a.updatedAt) || a.id.localeCompare(b.id));
  return [...active, ...done];
}

const REQUIRED_STRINGS = ['id', 'account', 'originalId', 'originalMessageId', 'conversationKey', 'messageId', 'scheduledAt', 'recipientTimeZone', 'status'] as const;
const STATUSES: ReadonlySet<string> = new Set(['scheduled', 'sending', 'sent', 'cancelled', 'failed', 'held']);

/** A stored document checked field by field; the problem names the field. */
export function readFollowUp(doc: QueueDoc): { entry: FollowUp } | { problem: string } {
  for (const f of REQUIRED_STRINGS) {
    if (typeof doc[f] !== 'string' || doc[f] === '') return { problem: `queue entry ${String(doc._id)}: field "${f}" is missing or not text` };
  }
  if (!STATUSES.has(doc.status as string)) return { problem: `queue entry ${doc._id}: unknown status "${String(doc.status)}"` };
  if (!Array.isArray(doc.to) || !doc.to.every((a) => typeof a === 'string')) return { problem: `queue entry ${doc._id}: field "to" is not a list of addresses` };
  if (!Number.isFinite(Date.parse(doc.scheduledAt as string))) return { problem: `queue entry ${doc._id}: field "scheduledAt" is not a date` };
  const entry = doc as unknown as FollowUp;
  return { entry: { ...entry, cc: Array.isArray(entry.cc) ? entry.cc : [], references: Array.isArray(entry.references) ? entry.references : [], attempts: Number(entry.attempts) || 0 } };
}

/** The queue datastore, typed. Reads validate; unreadable documents are reported, not used. */
export class FollowUpQueue {
  readonly problems: string[] = [];

  constructor(private readonly ds: Datastore<QueueDoc>) {}

  async all(): Promise<FollowUp[]> {
    const out: FollowUp[] = [];
    for (const doc of await this.ds.find({})) {
      const r = readFollowUp(doc);
      if ('entry' in r) out.push(r.entry);
      else if (!this.problems.includes(r.problem)) this.problems.push(r.problem);
    }
    return out;
  }

  async get(id: string): Promise<FollowUp | null> {
    const doc = await this.ds.findOne({ _id: id });
    if (!doc) return null;
    const r = readFollowUp(doc);
    return 'entry' in r ? r.entry : null;
  }

  async add(entry: FollowUp): Promise<FollowUp> {
    await this.ds.insert(entry as unknown as QueueDoc);
    return entry;
  }

  /** Several entries in one insert (a plan's steps: all of them or none). */
  async addMany(entries: FollowUp[]): Promise<FollowUp[]> {
    if (entries.length) await this.ds.insert(entries as unknown as QueueDoc[]);
    return entries;
  }

  /** Set (and with null: remove) fields; one appended line in nedb. Returns the entry as stored. */
  async update(id: string, changes: FollowUpChanges, now: Date): Promise<FollowUp> {
    const $set: Record<string, unknown> = { updatedAt: now.toISOString() };
    const $unset: Record<string, true> = {};
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined) $unset[k] = true;
      else $set[k] = v;
    }
    await this.ds.update({ _id: id }, Object.keys($unset).length ? { $set, $unset } : { $set }, {});
    const entry = await this.get(id);
    if (!entry) throw new Error(`queue entry ${id} vanished while updating it`);
    return entry;
  }
}

// ---- the conversation ---------------------------------------------------------------------------

/** The thread's root: the first Reference (oldest first), else In-Reply-To, else the mail itself. */
export function conversationKeyOf(r: Pick<MessageRecord, 'references' | 'inReplyTo' | 'messageId'>): string {
  return r.references[0] ?? r.inReplyTo ?? r.messageId;
}

/** Follow-ups that belong to a conversation: by root, or naming one of its messages. */
export function followUpsOf(entries: FollowUp[], conversation: { key: string; messageIds: ReadonlySet<string> }): FollowUp[] {
  return entries.filter(
    (e) => e.conversationKey === conversation.key || conversation.messageIds.has(e.originalMessageId) || conversation.messageIds.has(e.messageId),
  );
}

/** How many follow-ups count toward the cap (sent, and still to be sent). */
export function capCount(entries: FollowUp[]): number {
  return entries.filter((e) => CAP_COUNTED.has(e.status)).length;
}

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
    if (!(recordMs(m) > sinceMs || refersTo(m, base.messageId))) continue;
    if (isHumanAnswer(classifyAutomated(m, bodies.get(m._id)))) answer = { from: sender, at: new Date(recordMs(m)).toISOString() };
  }

  const ids = new Set(members.map((m) => m.messageId));
  const memberIds = new Set(members.map((m) => m._id));
  const unanswered = input.analysis.unanswered.find((e) => memberIds.has(e.id)) ?? null;
  return { record: records[index], latestSent, key: conversationKeyOf(base), messageIds: ids, answer, wroteAgain, unanswered };
}

// ---- what send-due does with an entry ----------------------------------------------------------

export type DueDecision =
  | { action: 'wait' }
  | { action: 'send' }
  | { action: 'cancel'; reason: string }
  | { action: 'hold'; reason: string; lateDays: number }
  | { action: 'reschedule'; at: SendTime; reason: string };

export interface DecideDueInput {
  entry: Pick<FollowUp, 'scheduledAt' | 'recipientTimeZone' | 'country' | 'hours' | 'to' | 'cc' | 'recipient' | 'status'>;
  now: Date;
  /** Null when the original is no longer in the store. */
  conversation: Pick<ConversationState, 'answer' | 'wroteAgain' | 'unanswered'> | null;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Why the conversation makes a follow-up pointless, or null: the original is gone, someone
 * answered, the user wrote again, or it bounced for the follow-up's recipients.
 */
export function cancelReason(
  entry: Pick<FollowUp, 'to' | 'cc' | 'recipient'>,
  conversation: Pick<ConversationState, 'answer' | 'wroteAgain' | 'unanswered'> | null,
): string | null {
  if (!conversation) return 'the original mail is no longer in the mailbox';
  if (conversation.answer) return `reply from ${conversation.answer.from} on ${day(conversation.answer.at)}`;
  if (conversation.wroteAgain) return `you wrote again in the conversation on ${day(conversation.wroteAgain.at)}`;
  const u = conversation.unanswered;
  if (u?.status === 'bounced') {
    const bounced = Array.isArray(u.bouncedRecipients) ? (u.bouncedRecipients as string[]) : [];
    const ours = [...entry.to, ...entry.cc];
    if (bounced.length === 0 || bounced.includes(entry.recipient) || ours.every((a) => bounced.includes(a))) {
      return bounced.length ? `bounced (${bounced.join(', ')})` : 'bounced';
    }
  }
  return null;
}

/**
 * The rules, in order: not due → wait; a reply, a bounce, or the user writing again → cancel;
 * an out-of-office return date after now → reschedule after it; more than 2 of the recipient's
 * business days late → hold; outside the window now (the app was closed) → reschedule to the
 * next window; else send. Window rules are checked here again, at send time (ARCHITECTURE).
 */
export function decideDue({ entry, now, conversation }: DecideDueInput): DueDecision {
  const due = Date.parse(entry.scheduledAt);
  if (due > now.getTime()) return { action: 'wait' };
  const cancel = cancelReason(entry, conversation);
  if (cancel) return { action: 'cancel', reason: cancel };
  const u = conversation?.unanswered;
  const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
  if (u?.outOfOfficeUntil) {
    const t = nextSendTime({ ...window, now, notBefore: u.outOfOfficeUntil });
    if (t.rule === 'out-of-office' && t.at.getTime() > now.getTime()) return { action: 'reschedule', at: t, reason: t.reason };
  }
  const lateDays = businessDaysBetween({ ...window, from: due, to: now });
  if (lateDays > MAX_LATE_BUSINESS_DAYS) {
    return {
      action: 'hold',
      lateDays,
      reason: `${lateDays.toFixed(1)} of the recipient's business days late (was due ${entry.scheduledAt}): confirm with "triage send-due --confirm ID", or cancel`,
    };
  }
  if (!isInsideWindow({ ...window, at: now })) {
    const t = nextSendTime({ ...window, now });
    return { action: 'reschedule', at: t, reason: `the window was closed at send time: ${t.reason}` };
  }
  return { action: 'send' };
}
