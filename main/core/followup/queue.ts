// The follow-up queue (issue 6): one document per follow-up in the store's `queue` datastore, and
// the pure decisions about it: the per-conversation cap, what the conversation says now (answered,
// bounced, away), and what send-due does with an entry whose time has come.
//
// A plan of N follow-ups (issue 8) is N entries sharing a `planId`, each with its `step`; every
// rule below works per entry, so a plan needs no other shape.
//
// Life of an entry:
//   scheduled ──due──▶ sending ──SMTP accepted, Sent copy──▶ sent
//       │  ▲              └──refused / unreachable──▶ failed ──after 1, 2, 4 … min──▶ sending ...
//       │  │                 (refused for good: stays failed until the user sends it again)
//       │  └─rescheduled (window closed at send time, out-of-office)
//       ├──reply / bounce / the user wrote again──▶ cancelled      (also `queue cancel`)
//       └──more than 2 business days late──▶ held ──send-due --confirm──▶ scheduled
//
// Every change of status is a compare-and-set (`transition`): 'sending' only from scheduled, held
// or failed and only if nothing changed the entry since it was read (its `rev`), 'cancelled' only
// from a state not yet sending. So a Cancel or an Edit either lands before the switch to
// 'sending' (and the send is called off) or finds it sending and says so; never both.
import { randomBytes } from 'node:crypto';
import type Datastore from 'nedb-promises';
import type { FollowUpState, QueueEntry, ScheduleRule, TimeZoneSource } from '../api.js';
import type { QueueDoc } from '../store/index.js';
import type { Address, BusinessHours, MessageRecord } from '../model.js';

export type { ScheduleRule };

/** The exact state of an entry (api.ts FollowUpState). */
export type FollowUpStatus = FollowUpState;

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
  /** Moves with every change of the stored entry: what a compare-and-set compares. */
  rev?: number;
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
  /** To and Cc with their display names, for the headers (`to`/`cc` stay bare: the contract's). */
  toNamed?: Address[];
  ccNamed?: Address[];
  /** The end of the undo window (hold.ts): `scheduledAt` is never before it. */
  holdUntil?: string | null;
  /** The last attempt went without a witness copy (witness.ts found no address): an ambiguous
   *  end of it is not sent again without the user. */
  unwitnessed?: boolean;
  // ---- after failures (retry.ts) ----
  /** Failed tries in a row (a send, or handling it); what the wait before the next grows with. */
  failures?: number;
  /** Not tried again before this instant (ISO, the command's clock). */
  nextAttemptAt?: string | null;
  /** The server refused for good (5xx, a failed login): send-due does not try it again. */
  permanentFailure?: boolean;
}

/** A change to a stored entry: fields to set; null removes one. */
export type FollowUpPatch = { [K in keyof FollowUp]?: FollowUp[K] | null };

export const QUEUE_CONTRACT_FIELDS = ['id', 'account', 'originalMessageId', 'to', 'scheduledAt', 'recipientTimeZone', 'status'] as const;

// `triage queue --json` is the stored entry without its raw message and _id: a field added to one
// and not the other is a compile error here.
type Shown = Omit<FollowUpFields, 'raw' | 'status'>;
const _sameShape: [Exclude<keyof Shown, keyof QueueEntry>, Exclude<keyof QueueEntry, keyof Shown | 'status' | 'state'>] extends [never, never] ? true : never = true;
void _sameShape;

export const DEFAULT_CAP = 2;
/** Statuses that count toward the per-conversation cap: sent and still to be sent. */
const CAP_COUNTED: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'sending', 'sent', 'failed', 'held']);
const ACTIVE: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'sending', 'failed', 'held']);
/** Not gone yet, and not in flight: what a user may cancel or change (an earlier plan step in one
 *  of these states makes a later one wait). */
export const CANCELLABLE: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'held', 'failed']);
/** What a send may start from: the same states (a held one after the user's yes, a failed one again). */
export const SENDABLE: ReadonlySet<FollowUpStatus> = CANCELLABLE;

/** What a compare-and-set expects of the stored entry: one of these statuses, and with `rev`,
 *  no change since it was read. */
export interface Expected {
  from: ReadonlySet<FollowUpStatus>;
  rev?: number;
}

/** Still to go: not gone yet, or in flight. */
export function isWaiting(e: Pick<FollowUp, 'status'>): boolean {
  return CANCELLABLE.has(e.status) || e.status === 'sending';
}

/** A queue id as typed: angle brackets and spaces around it removed. */
export function bareId(id: string): string {
  return String(id ?? '').trim().replace(/^<|>$/g, '');
}

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

/** `triage queue --json`: the contract's fields first, then the rest (no raw message, no _id). */
export function queueJson(f: FollowUp): QueueEntry {
  const { _id, raw, id, account, originalMessageId, to, scheduledAt, recipientTimeZone, status, ...rest } = f;
  return { id, account, originalMessageId, to, scheduledAt, recipientTimeZone, status: contractStatus(status), state: status, ...rest };
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
  return {
    entry: {
      ...entry,
      cc: Array.isArray(entry.cc) ? entry.cc : [],
      references: Array.isArray(entry.references) ? entry.references : [],
      attempts: Number(entry.attempts) || 0,
      rev: Number(entry.rev) || 0,
    },
  };
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

  /** The steps of a plan, in order. */
  async planSteps(planId: string): Promise<FollowUp[]> {
    return (await this.all()).filter((e) => e.planId === planId).sort((a, b) => a.step - b.step);
  }

  /** Set (and with null: remove) fields; one appended line in nedb. Returns the entry as stored. */
  async update(id: string, changes: FollowUpPatch, now: Date): Promise<FollowUp> {
    await this.ds.update({ _id: id }, modifier(changes, now), {});
    const entry = await this.get(id);
    if (!entry) throw new Error(`queue entry ${id} vanished while updating it`);
    return entry;
  }

  /**
   * Compare-and-set: apply `changes` only when the stored entry is in one of `expected.from` (and,
   * with `expected.rev`, unchanged since it was read). Null when it was not: someone else changed
   * it first. nedb runs one operation at a time per datastore (its executor), so no other write
   * of this process comes between the check and the write; the data-dir lock keeps every other
   * process out of the store (store/lock.ts).
   */
  async transition(id: string, expected: Expected, changes: FollowUpPatch, now: Date): Promise<FollowUp | null> {
    const query: Record<string, unknown> = { _id: id, status: { $in: [...expected.from] } };
    // Entries stored before `rev` existed read as rev 0.
    if (expected.rev !== undefined) Object.assign(query, expected.rev ? { rev: expected.rev } : { $or: [{ rev: 0 }, { rev: { $exists: false } }] });
    const n = await this.ds.update(query, modifier(changes, now), {});
    return n ? this.get(id) : null;
  }
}

/** nedb's modifier for a patch: $set, $unset for nulls, and the revision moved on. */
function modifier(changes: FollowUpPatch, now: Date): Record<string, unknown> {
  const $set: Record<string, unknown> = { updatedAt: now.toISOString() };
  const $unset: Record<string, true> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'rev') continue;
    if (v === null || v === undefined) $unset[k] = true;
    else $set[k] = v;
  }
  return { $set, $inc: { rev: 1 }, ...(Object.keys($unset).length ? { $unset } : {}) };
}

// ---- follow-ups of a conversation ---------------------------------------------------------------

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
