// The follow-up part of the service (issue 6): `resend` queues a follow-up of a sent mail,
// `queue` lists, `cancel` cancels, `sendDue` sends what is due. TriageService delegates here.
import type { ImapFlow } from 'imapflow';
import { DateTime } from 'luxon';
import type { ResendOptions } from '../api.js';
import type { TriageService } from '../service.js';
import type { Address, FolderState, MessageRecord } from '../store/types.js';
import type { Store } from '../store/store.js';
import type { BusinessHours } from '../calendar/calendar.js';
import type { Mailbox } from '../store/mailbox.js';
import { TriageError } from '../errors.js';
import { connectImap } from '../imap/connect.js';
import { isOwnAddress } from '../mail/addresses.js';
import { ownAddresses, roleMap } from '../store/mailbox.js';
import { computeRhythms, type Rhythm } from '../contacts/rhythm.js';
import { calendarOf, windowHours } from '../calendar/business-clock.js';
import { bestSendTime, type BestSendTime } from '../contacts/best-send-time.js';
import { waitFor, type Wait } from '../triage/due.js';
import { getContactPrefs, parseHoursRange } from '../contacts/prefs.js';
import { bestLocation, buildRawMessage, fetchText, followUpText, newMessageId, threadHeaders, type ThreadHeaders } from './compose.js';
import { localTimeZone } from '../calendar/local-zone.js';
import { PLAN_GAP_FACTORS, PLAN_MAX_STEPS, placePlan, placed, planBaseDays, planGaps, planTemplateStep, shiftPlan } from './plan.js';
import {
  DEFAULT_CAP,
  FollowUpQueue,
  cancelReason,
  capCount,
  decideDue,
  followUpsOf,
  analyseMailbox,
  inspectConversation,
  newQueueId,
  queueJson,
  sortForDisplay,
  type ConversationState,
  type DueDecision,
  type FollowUp,
  type FollowUpChanges,
  type FollowUpJson,
  type FollowUpStatus,
  type MailboxAnalysis,
  type ScheduleRule,
} from './queue.js';
import { WITNESS_GRACE_MS, removeLateWitness, sendOnce, settle, type SendContext } from './sender.js';
import { inferTimeZone, type TimeZoneSource } from '../calendar/timezone.js';
import { nextSendTime } from '../calendar/window.js';

export interface FollowUpsOptions {
  /** Follow-ups per conversation (sent and waiting) before `resend` needs --force. */
  cap?: number;
  /** Real time to wait for a witness copy after an ambiguous send; env TRIAGE_WITNESS_GRACE_MS. */
  witnessGraceMs?: number;
  /** Warnings (offline quote, unreadable queue entries): stderr in the CLI. */
  warn?: (message: string) => void;
}

export type SendDueAction = 'sent' | 'cancelled' | 'rescheduled' | 'held' | 'failed' | 'waiting' | 'deferred' | 'confirmed';

/** One line of `send-due`: the entry after the action, what happened, and in words. */
export type SendDueResult = FollowUpJson & { action: SendDueAction; actionText: string };

/** `queue cancel`: the entry, and for a plan step what else was cancelled or still waits. */
export type CancelResult = FollowUpJson & { cancelledSteps?: string[]; planWaiting?: string[]; inFlight?: string[] };

/** What `updateFollowUp` may change. */
export interface FollowUpChange {
  text?: string;
  /** ISO-8601; moved to the recipient's next business window when outside it. */
  scheduledAt?: string;
}

/** The highest per-conversation limit `resend --cap` takes. */
export const MAX_CAP = 10;
/** A follow-up is short; this keeps a pasted novel (or a runaway script) out. */
export const MAX_TEXT_CHARS = 10_000;

type Report = (entry: FollowUp, action: SendDueAction, text: string) => void;
/** 'due': send-due's rules; 'now': the user's "send now" (no window, lateness or order rules). */
type SendMode = 'due' | 'now';

/** Not gone yet, and not in flight: what a user may cancel or change. */
const CANCELLABLE: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'held', 'failed']);
/** Plan steps that have not gone (an earlier one of these makes a later step wait). */
const WAITING = CANCELLABLE;

/** Whether send-due handles the entry now: in flight (to be settled), or scheduled/failed and due. */
function isDue(e: FollowUp, now: Date): boolean {
  return e.status === 'sending' || ((e.status === 'scheduled' || e.status === 'failed') && Date.parse(e.scheduledAt) <= now.getTime());
}

/** Changes whenever a sync of the account ran: the plan check looks again only then. */
function syncFingerprint(folders: FolderState[]): string {
  return folders
    .map((f) => `${f.path}@${f.lastSyncAt ?? ''}`)
    .sort()
    .join('|');
}

/** A follow-up's text, checked: not empty, at most MAX_TEXT_CHARS. */
function checkText(text: unknown): string {
  if (typeof text !== 'string' || !text.trim()) throw new TriageError('bad-input', 'The follow-up text must not be empty.');
  if (text.length > MAX_TEXT_CHARS) throw new TriageError('bad-input', `The follow-up text is ${text.length} characters long; keep it under ${MAX_TEXT_CHARS}.`);
  return text;
}

/** The contact a follow-up goes to, as scheduling sees them (see FollowUps.contactContext). */
interface ContactContext {
  timeZone: string;
  country: string | null;
  source: TimeZoneSource;
  /** Contact's hours, else Settings', else null (the default window). */
  hours: BusinessHours | null;
  rhythm: Rhythm | null;
  wait: Wait;
  settings: FollowUpSettings;
  userZone: string;
}

/** What every follow-up of one mail shares. */
interface Draft {
  account: string;
  target: MessageRecord;
  conversationKey: string;
  recipient: string;
  from: Address;
  to: string[];
  cc: string[];
  headers: ThreadHeaders;
  contact: ContactContext;
  outOfOfficeUntil: string | null;
  /** The text for a template step (1 first, 2 second, 3 last); `custom`: the Settings template wins. */
  text: (step: number, custom: boolean) => Promise<string>;
}

const SOURCE_WORDS: Record<TimeZoneSource, string> = {
  user: 'set by you',
  'date-offsets': 'from their Date headers',
  'date-offsets+cctld': 'from their Date headers and domain',
  cctld: 'from their domain',
  account: "your account's zone",
};

/** The Settings view's document (main/serve/settings.ts writes it): business hours and template. */
const SETTINGS_ID = 'setting:app';

interface FollowUpSettings {
  hours: BusinessHours | null;
  template: string | null;
}

async function followUpSettings(store: Store): Promise<FollowUpSettings> {
  const doc = (await store.prefs.findOne({ _id: SETTINGS_ID })) as Record<string, unknown> | null;
  const out: FollowUpSettings = { hours: null, template: null };
  const h = doc?.businessHours as { start?: unknown; end?: unknown } | undefined;
  if (h && typeof h.start === 'string' && typeof h.end === 'string') {
    try {
      out.hours = parseHoursRange(`${h.start}-${h.end}`);
    } catch {
      /* a hand-edited store: the default window */
    }
  }
  if (typeof doc?.template === 'string' && doc.template.trim()) out.template = doc.template;
  return out;
}

function when(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).setLocale('en').toFormat('ccc d LLL HH:mm');
}

function parseNow(value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(d.getTime())) throw new TriageError('bad-input', `now must be an ISO-8601 instant, not "${value}".`);
  return d;
}

const bare = (id: string) => id.trim().replace(/^<|>$/g, '');

export class FollowUps {
  readonly queue: FollowUpQueue;
  private readonly cap: number;
  private readonly graceMs: number;
  private readonly warn: (message: string) => void;
  /** The tail of the send chain (see exclusive()). */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly service: TriageService,
    options: FollowUpsOptions = {},
  ) {
    this.queue = new FollowUpQueue(service.store.queue);
    this.cap = options.cap ?? DEFAULT_CAP;
    const envGrace = Number(process.env.TRIAGE_WITNESS_GRACE_MS);
    this.graceMs = options.witnessGraceMs ?? (process.env.TRIAGE_WITNESS_GRACE_MS && envGrace >= 0 ? envGrace : WITNESS_GRACE_MS);
    this.warn = options.warn ?? ((m) => process.stderr.write(`triage: ${m}\n`));
  }

  // ---- resend ---------------------------------------------------------------------------------

  /**
   * Queue a follow-up of a sent mail (ID: an unanswered entry's id, a record id or a Message-ID),
   * or with `plan` N a plan of N follow-ups (plan.ts). Every follow-up, each step of a plan too,
   * counts toward the per-conversation cap (default 2): `cap` raises it for this call, `force`
   * ignores it (and a waiting follow-up, and a bounce).
   */
  async resend(id: string, options: ResendOptions = {}): Promise<FollowUpJson[]> {
    const now = parseNow(options.now, this.service.now());
    const plan = options.plan;
    if (plan !== undefined && (!Number.isInteger(plan) || plan < 1 || plan > PLAN_MAX_STEPS)) {
      throw new TriageError('bad-input', `A plan has 1 to ${PLAN_MAX_STEPS} follow-ups (--plan N), not ${String(plan)}.`);
    }
    const cap = options.cap ?? this.cap;
    if (!Number.isInteger(cap) || cap < 1 || cap > MAX_CAP) {
      throw new TriageError('bad-input', `The limit per conversation (--cap) is a whole number from 1 to ${MAX_CAP}, not ${String(options.cap)}.`);
    }
    if (options.text !== undefined) checkText(options.text);
    const { mailbox, record } = await this.findRecord(id);
    const account = mailbox.account;
    if (account.demo) throw new TriageError('unavailable', 'This is the sample mailbox: sending a follow-up needs a real account on a server.');
    if (!account.smtp) {
      throw new TriageError('bad-input', `Account ${account.name} has no SMTP server to send with; add the account again with --smtp-host and --smtp-port.`);
    }
    const own = ownAddresses(account);
    const sender = record.from[0]?.address;
    if (!sender || !isOwnAddress(sender, own)) {
      throw new TriageError('bad-input', `"${record.subject}" was sent by ${sender ?? 'nobody'}, not by you: only your own sent mail can be followed up.`);
    }
    const entries = await this.queue.all();
    const ours = new Set(entries.flatMap((e) => [e.messageId, ...(e.discardedMessageIds ?? [])]));
    const state = inspectConversation({ analysis: this.analysis(mailbox, now), recordId: record._id, ours, anchor: 'latest-sent' });
    if (!state) throw new TriageError('not-found', `No message ${id} in the store.`);
    const target = state.latestSent ?? record;
    if (state.answer) {
      throw new TriageError('bad-input', `"${target.subject}" already got an answer from ${state.answer.from} on ${state.answer.at.slice(0, 10)}: no follow-up needed.`);
    }
    if (!state.unanswered) {
      throw new TriageError('bad-input', `"${target.subject}" is not awaiting a reply: it went only to your own addresses, no-reply addresses or mailing lists.`);
    }
    if (state.unanswered.status === 'bounced' && !options.force) {
      throw new TriageError('needs-force', `"${target.subject}" bounced: the recipient's server refused it. Check the address; use --force to queue a follow-up anyway.`);
    }
    const existing = followUpsOf(entries, { key: state.key, messageIds: state.messageIds });
    const [waiting] = existing
      .filter((e) => WAITING.has(e.status) || e.status === 'sending')
      .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
    if (waiting && !options.force) {
      const step = waiting.planId ? `, step ${waiting.step} of a plan of ${waiting.planSize ?? '?'}` : '';
      const how = waiting.planId ? `cancel the plan with "triage queue cancel ${waiting.id} --plan"` : `cancel it with "triage queue cancel ${waiting.id}"`;
      throw new TriageError('needs-force', `A follow-up of "${target.subject}" is already queued (${waiting.id}, ${waiting.status}, ${waiting.scheduledAt}${step}); ${how}, or use --force.`);
    }
    const count = capCount(existing);
    if (plan === undefined && count >= cap && !options.force) {
      throw new TriageError('needs-force', `"${target.subject}" was already followed up ${count} times (the limit is ${cap}); use --force to queue another.`);
    }
    if (plan !== undefined && count + plan > cap && !options.force) {
      const room = cap - count;
      const earlier = count ? `, and ${count} ${count === 1 ? 'is' : 'are'} sent or queued already` : '';
      throw new TriageError(
        'needs-force',
        room > 0
          ? `A plan of ${plan} follow-ups is more than "${target.subject}" may get: the limit is ${cap} per conversation${earlier}. Use --plan ${room}, raise the limit with --cap ${count + plan}, or use --force.`
          : `"${target.subject}" was already followed up ${count} times (the limit is ${cap}): a plan of ${plan} needs --cap ${count + plan} (or --force).`,
      );
    }

    const draft = await this.draft({ mailbox, target, state, now });
    const c = draft.contact;
    if (plan === undefined) {
      const at = placed(bestSendTime({ rhythm: c.rhythm, now, timeZone: c.timeZone, country: c.country, hours: c.hours, notBefore: draft.outOfOfficeUntil }));
      const text = options.text ?? (await draft.text(count + 1, true));
      const entry = this.entryFrom(draft, { step: count + 1, at, reason: at.reason, text, now });
      await this.queue.add(entry);
      return [queueJson(entry)];
    }
    const gaps = planGaps(plan, c.wait.days);
    const steps = placePlan({
      rhythm: c.rhythm,
      now,
      sentAt: target.date ?? target.internalDate,
      gaps,
      timeZone: c.timeZone,
      country: c.country,
      hours: c.hours,
      notBefore: draft.outOfOfficeUntil,
    });
    const planId = `p${newQueueId()}`;
    const base = planBaseDays(c.wait.days);
    const created: FollowUp[] = [];
    for (const s of steps) {
      const text = s.step === 1 && options.text !== undefined ? options.text : await draft.text(planTemplateStep(s.step, plan, count), s.step === 1);
      const spacing = s.step === 1 ? `; gaps ${gaps.join(', ')} business days (${PLAN_GAP_FACTORS.slice(0, plan).join(', ')} × ${Number(base.toFixed(2))}: ${c.wait.reason})` : '';
      created.push(this.entryFrom(draft, { step: s.step, at: s.at, reason: s.reason + spacing, text, now, plan: { id: planId, size: plan, gapDays: s.gapDays } }));
    }
    await this.queue.addMany(created);
    return created.map(queueJson);
  }

  /**
   * Who a follow-up of `target` goes to, and everything about them its time depends on: their
   * rhythm (rhythm.ts, the same computation `triage contact` shows), zone and country (the
   * rhythm's, so the queue and `triage contact` agree; the user's contact settings win inside
   * it), business hours (contact, else Settings) and wait (due.ts).
   */
  private async contactContext(mailbox: Mailbox, address: string, now: Date): Promise<ContactContext> {
    const store = this.service.store;
    const key = address.toLowerCase();
    const prefs = await getContactPrefs(store, key);
    const settings = await followUpSettings(store);
    const userZone = mailbox.account.timeZone ?? localTimeZone();
    const hours = prefs?.hours ? parseHoursRange(prefs.hours) : settings.hours;
    const rhythm =
      computeRhythms({
        mailboxes: [mailbox],
        now,
        only: [key],
        overrides: prefs ? new Map([[key, prefs]]) : undefined,
        defaultHours: settings.hours,
        defaultTimeZone: userZone,
      }).get(key) ?? null;
    let zone: { timeZone: string; country: string | null; source: TimeZoneSource };
    if (rhythm) zone = { timeZone: rhythm.timeZone, country: rhythm.country, source: rhythm.timeZoneSource };
    else {
      const z = inferTimeZone({
        address: key,
        overrides: prefs,
        dateHeaders: mailbox.messages.filter((r) => r.from[0]?.address === key).map((r) => r.dateHeader),
        accountTimeZone: userZone,
        accountCountry: mailbox.account.country ?? null,
      });
      zone = { timeZone: z.timeZone, country: z.country, source: z.source };
    }
    const calendar = calendarOf({ timeZone: zone.timeZone, country: zone.country, hours });
    const wait = waitFor({ rhythm, waitDays: prefs?.waitDays ?? null, hoursPerDay: windowHours(calendar) });
    return { ...zone, hours, rhythm, wait, settings, userZone };
  }

  /** What every follow-up of `target` shares: recipients, sender, thread headers, the contact, the quote. */
  private async draft(input: { mailbox: Mailbox; target: MessageRecord; state: ConversationState; now: Date }): Promise<Draft> {
    const { mailbox, target, state, now } = input;
    const account = mailbox.account;
    const own = ownAddresses(account);
    const others = (list: Address[]) => list.filter((a) => !isOwnAddress(a.address, own));
    const toAddrs = others(target.to);
    const ccAddrs = others(target.cc).filter((c) => !toAddrs.some((t) => t.address === c.address));
    const recipient = toAddrs[0] ?? ccAddrs[0] ?? others(target.bcc)[0];
    if (!recipient) throw new TriageError('bad-input', `"${target.subject}" has no recipient other than you.`);
    const to = toAddrs.length ? toAddrs.map((a) => a.address) : [recipient.address];
    const contact = await this.contactContext(mailbox, recipient.address, now);
    const fromAddress = target.from[0]?.address && isOwnAddress(target.from[0].address, own) ? target.from[0].address : account.addresses[0];
    const from: Address = { address: fromAddress, name: this.displayName(mailbox, fromAddress) };
    let quote: Promise<string | null> | null = null;
    const text = async (step: number, custom: boolean) =>
      followUpText({
        step,
        template: custom ? contact.settings.template : null,
        recipient,
        original: target,
        originalText: await (quote ??= this.originalText(mailbox, target)),
        userTimeZone: contact.userZone,
      });
    return {
      account: account.name,
      target,
      conversationKey: state.key,
      recipient: recipient.address,
      from,
      to,
      cc: ccAddrs.map((a) => a.address),
      headers: threadHeaders(target),
      contact,
      outOfOfficeUntil: state.unanswered?.outOfOfficeUntil ?? null,
      text,
    };
  }

  private entryFrom(
    draft: Draft,
    input: { step: number; at: BestSendTime; reason: string; text: string; now: Date; plan?: { id: string; size: number; gapDays: number } },
  ): FollowUp {
    const id = newQueueId();
    const stamp = input.now.toISOString();
    const c = draft.contact;
    return {
      _id: id,
      id,
      account: draft.account,
      originalId: draft.target._id,
      originalMessageId: draft.target.messageId,
      conversationKey: draft.conversationKey,
      recipient: draft.recipient,
      from: draft.from,
      to: draft.to,
      cc: draft.cc,
      subject: draft.headers.subject,
      text: input.text,
      messageId: newMessageId(draft.from.address),
      inReplyTo: draft.headers.inReplyTo,
      references: draft.headers.references,
      scheduledAt: input.at.local,
      scheduledReason: input.reason,
      scheduledRule: input.at.rule,
      recipientTimeZone: input.at.timeZone,
      timeZoneSource: c.source,
      country: c.country,
      hours: c.hours,
      status: 'scheduled',
      attempts: 0,
      createdAt: stamp,
      updatedAt: stamp,
      step: input.step,
      planId: input.plan?.id ?? null,
      ...(input.plan ? { planSize: input.plan.size, planGapDays: input.plan.gapDays } : {}),
    };
  }

  /** The user's display name as their own Sent mail shows it (latest first); '' when unknown. */
  private displayName(mailbox: Mailbox, address: string): string {
    let best: MessageRecord | null = null;
    for (const r of mailbox.messages) {
      const f = r.from[0];
      if (!f || f.address !== address || !f.name.trim() || f.name.trim().toLowerCase() === address) continue;
      if (!best || (r.date ?? r.internalDate) > (best.date ?? best.internalDate)) best = r;
    }
    return best?.from[0].name.trim() ?? '';
  }

  /** The original's text for the quote, over IMAP; null (the subject stands in) when offline. */
  private async originalText(mailbox: Mailbox, record: MessageRecord): Promise<string | null> {
    const where = bestLocation(record, roleMap(mailbox));
    if (!where) return null;
    try {
      return await this.withImap(mailbox, (client) => fetchText(client, where, record.size));
    } catch (e) {
      this.warn(`could not fetch the text of "${record.subject}" to quote it (${(e as Error).message}); quoting its subject only.`);
      return null;
    }
  }

  private async withImap<T>(mailbox: Mailbox, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const password = await this.service.deps.secrets.get(mailbox.account.name);
    if (!password) throw new TriageError('auth-failed', `no password for account ${mailbox.account.name}`);
    const client = await connectImap({ server: mailbox.account.imap, password });
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** A record by local id (an unanswered entry's id is one) or by Message-ID, in any account. */
  private async findRecord(id: string): Promise<{ mailbox: Mailbox; record: MessageRecord }> {
    const wanted = bare(id);
    if (!wanted) throw new TriageError('bad-input', 'Which message? Give an id from "triage unanswered", or a Message-ID.');
    for (const mailbox of await this.service.mailboxes()) {
      const record = mailbox.messages.find((r) => r._id === wanted) ?? mailbox.messages.find((r) => r.messageId === wanted);
      if (record) return { mailbox, record };
    }
    throw new TriageError('not-found', `No message "${id}" in the store: use an id from "triage unanswered" or a Message-ID, and sync first.`);
  }

  /**
   * A mailbox analysed for conversation questions. The bodies of bounces and auto-replies (DSN
   * details, out-of-office return dates) are those sync keeps on the records (imap/bodies.ts).
   */
  private analysis(mailbox: Mailbox, now: Date): MailboxAnalysis {
    const bodies = new Map<string, string>();
    for (const r of mailbox.messages) if (r.bodyText) bodies.set(r._id, r.bodyText);
    return analyseMailbox(mailbox, now, bodies);
  }

  // ---- queue / cancel / edit / send now -------------------------------------------------------

  async list(): Promise<FollowUpJson[]> {
    const entries = await this.queue.all();
    for (const p of this.queue.problems) this.warn(p);
    return sortForDisplay(entries).map(queueJson);
  }

  /**
   * Cancel one follow-up. With `plan`: every step of its plan that has not gone yet (scheduled,
   * held or failed; the named one too), listed in `cancelledSteps`. A plan step cancelled alone
   * lists the plan's other steps still waiting in `planWaiting`.
   */
  async cancel(id: string, options: { plan?: boolean } = {}): Promise<CancelResult> {
    const entry = await this.queue.get(bare(id));
    if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue: see "triage queue".`);
    const now = this.service.now();
    if (options.plan) {
      if (!entry.planId) throw new TriageError('bad-input', `Follow-up ${entry.id} is not part of a plan: cancel it without --plan.`);
      const steps = (await this.planSteps(entry.planId)).filter((s) => CANCELLABLE.has(s.status));
      const cancelledSteps: string[] = [];
      for (const s of steps) {
        await this.queue.update(s.id, { status: 'cancelled', statusReason: 'plan cancelled by you' }, now);
        cancelledSteps.push(s.id);
      }
      const current = (await this.queue.get(entry.id)) ?? entry;
      const inFlight = (await this.planSteps(entry.planId)).filter((s) => s.status === 'sending').map((s) => s.id);
      return { ...queueJson(current), cancelledSteps, ...(inFlight.length ? { inFlight } : {}) };
    }
    if (entry.status === 'sent') throw new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}: it cannot be cancelled.`);
    if (entry.status === 'sending') {
      throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now; run "triage send-due" to settle it, then cancel if it did not go.`);
    }
    const current = entry.status === 'cancelled' ? entry : await this.queue.update(entry.id, { status: 'cancelled', statusReason: 'cancelled by you' }, now);
    if (!entry.planId) return queueJson(current);
    const planWaiting = (await this.planSteps(entry.planId)).filter((s) => WAITING.has(s.status)).map((s) => s.id);
    return { ...queueJson(current), planWaiting };
  }

  /**
   * Change a follow-up that has not gone yet (scheduled, held or failed): its text (not empty, at
   * most MAX_TEXT_CHARS), and/or the time it goes. A time outside the recipient's business window
   * (or already past) moves to the next window, and `scheduledReason` says so. A held one with a
   * new time is scheduled again (the user chose the time). The Message-ID stays: a failed attempt
   * that may have been accepted is still recognised (sender.ts).
   */
  async updateFollowUp(id: string, change: FollowUpChange = {}, options: { now?: string } = {}): Promise<FollowUpJson> {
    const entry = await this.queue.get(bare(id));
    if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue: see "triage queue".`);
    if (entry.status === 'sending') {
      throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now; run "triage send-due" to settle it first.`);
    }
    if (!CANCELLABLE.has(entry.status)) throw new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}: only a scheduled, held or failed follow-up can be changed.`);
    const text = change?.text;
    const at = change?.scheduledAt;
    if (text === undefined && at === undefined) throw new TriageError('bad-input', 'Nothing to change: give a new text or a new time.');
    const now = parseNow(options.now, this.service.now());
    const changes: FollowUpChanges = {};
    if (text !== undefined) changes.text = checkText(text);
    if (at !== undefined) {
      const wanted = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : NaN;
      if (!Number.isFinite(wanted)) throw new TriageError('bad-input', `The new time must be an ISO-8601 instant like 2026-11-23T09:00:00Z, not "${String(at)}".`);
      const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
      const t = nextSendTime({ ...window, now: Math.max(wanted, now.getTime()) });
      const asked = `${when(new Date(wanted).toISOString(), t.timeZone)} their time`;
      let reason: string;
      let rule: ScheduleRule = t.rule;
      if (wanted < now.getTime()) reason = `set by you for ${asked}, which had passed: ${t.rule === 'open-now' ? 'now, inside the window' : `moved to the next window, ${t.reason}`}`;
      else if (t.at.getTime() === wanted) {
        reason = 'set by you';
        rule = 'user';
      } else reason = `set by you for ${asked}, outside their business window: moved to ${t.reason}`;
      Object.assign(changes, { scheduledAt: t.local, scheduledReason: reason, scheduledRule: rule });
      if (entry.status === 'held') Object.assign(changes, { status: 'scheduled', statusReason: null });
    }
    return queueJson(await this.queue.update(entry.id, changes, now));
  }

  /**
   * Send one follow-up now, whatever its window: through send-due's own path (sync first, the
   * conversation checked, settle, sendOnce), so it still goes exactly once, and a reply or a
   * bounce that arrived cancels it instead. A plan step waits for the earlier steps of its plan.
   */
  async sendNow(id: string, options: { now?: string } = {}): Promise<SendDueResult> {
    const now = parseNow(options.now, this.service.now());
    return this.exclusive(async () => {
      const entry = await this.queue.get(bare(id));
      if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue: see "triage queue".`);
      if (entry.status === 'sent') throw new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}.`);
      if (entry.status === 'cancelled') {
        throw new TriageError('bad-input', `Follow-up ${entry.id} was cancelled (${entry.statusReason ?? 'cancelled'}); queue a new one with "triage resend".`);
      }
      if (entry.status === 'sending') {
        throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now; run "triage send-due" to settle it.`);
      }
      if (entry.planId) {
        const earlier = (await this.planSteps(entry.planId)).find((s) => s.step < entry.step && (WAITING.has(s.status) || s.status === 'sending'));
        if (earlier) throw new TriageError('bad-input', `Step ${earlier.step} of this plan (${earlier.id}) has not gone yet: send or cancel it first.`);
      }
      const all = await this.queue.all();
      const ours = new Set(all.flatMap((e) => [e.messageId, ...(e.discardedMessageIds ?? [])]));
      const results: SendDueResult[] = [];
      const report = (e: FollowUp, action: SendDueAction, actionText: string) => results.push({ ...queueJson(e), action, actionText });
      await this.sendDueForAccount(entry.account, [entry], [], now, ours, report, 'now');
      const mine = results.find((r) => r.id === entry.id);
      if (!mine) throw new TriageError('internal', `Follow-up ${entry.id} was not handled; see "triage queue".`);
      if (mine.action === 'deferred') throw new TriageError('unreachable', `Not sent: ${mine.actionText}.`);
      if (mine.action === 'failed') {
        throw new TriageError(mine.state === 'failed' ? 'server-refused' : 'internal', `Not sent: ${mine.actionText}.`);
      }
      return mine;
    });
  }

  /** The steps of a plan, in order. */
  private async planSteps(planId: string): Promise<FollowUp[]> {
    return (await this.queue.all()).filter((e) => e.planId === planId).sort((a, b) => a.step - b.step);
  }

  /** One send at a time in this process: send-due (timer, tray, CLI) and send-now never overlap. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.sending.then(fn, fn);
    this.sending = run.catch(() => undefined);
    return run;
  }

  // ---- send-due -------------------------------------------------------------------------------

  /**
   * Send what is due, per account: sync first (a reply may have arrived, in any folder), then for
   * each due entry settle earlier attempts, apply the rules (queue.ts decideDue) and send. Plans
   * with steps still waiting are looked at too (plan.ts): a reply or a bounce cancels the rest,
   * an out-of-office return date moves them; without a due entry this uses the store as last
   * synced, and only when a sync changed it since the last look.
   * `confirm`: ids of held entries the user confirmed; they go to the next valid window.
   */
  async sendDue(options: { now?: string; confirm?: string[] } = {}): Promise<SendDueResult[]> {
    const now = parseNow(options.now, this.service.now());
    return this.exclusive(() => this.sendDueNow(now, options.confirm ?? []));
  }

  private async sendDueNow(now: Date, confirm: string[]): Promise<SendDueResult[]> {
    const results: SendDueResult[] = [];
    const report = (entry: FollowUp, action: SendDueAction, actionText: string) => results.push({ ...queueJson(entry), action, actionText });
    for (const id of confirm) {
      const entry = await this.queue.get(bare(id));
      if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue: see "triage queue".`);
      if (entry.status !== 'held') throw new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}, not held: nothing to confirm.`);
      const at = nextSendTime({ timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours, now });
      const updated = await this.queue.update(entry.id, { status: 'scheduled', scheduledAt: at.local, scheduledReason: `confirmed by you; ${at.reason}`, scheduledRule: at.rule, statusReason: null }, now);
      report(updated, 'confirmed', `confirmed: goes ${when(at.local, entry.recipientTimeZone)} their time`);
    }

    const entries = await this.queue.all();
    for (const p of this.queue.problems) this.warn(p);
    const ours = new Set(entries.flatMap((e) => [e.messageId, ...(e.discardedMessageIds ?? [])]));
    const due = entries.filter((e) => isDue(e, now));
    const late = entries.filter((e) => e.status === 'sent' && e.witnessPending);
    const planned = entries.filter((e) => e.planId && (e.status === 'scheduled' || e.status === 'held'));
    const accounts = [...new Set([...due, ...late, ...planned].map((e) => e.account))];
    for (const name of accounts) {
      const mine = due.filter((e) => e.account === name).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
      const witnesses = late.filter((e) => e.account === name);
      if (!mine.length && !witnesses.length) await this.planCheck(name, now, ours, report);
      else await this.sendDueForAccount(name, mine, witnesses, now, ours, report, 'due');
    }
    return results;
  }

  /** The plans of an account without a due entry: only when a sync changed the store since the last look. */
  private async planCheck(name: string, now: Date, ours: ReadonlySet<string>, report: Report): Promise<void> {
    const store = this.service.store;
    const fingerprint = syncFingerprint(await store.foldersOf(name));
    const id = `setting:plan-check:${name}`;
    const seen = await store.prefs.findOne({ _id: id });
    if (seen?.fingerprint === fingerprint) return;
    const [mailbox] = await this.service.mailboxes(name);
    let analysed: MailboxAnalysis | null = null;
    await this.planPass(mailbox, () => (analysed ??= this.analysis(mailbox, now)), now, ours, report);
    await store.prefs.update({ _id: id }, { _id: id, kind: 'setting', fingerprint }, { upsert: true });
  }

  /**
   * Every plan of the mailbox's account with steps still waiting (scheduled or held): a reply, a
   * bounce or the user's own mail cancels them all; an out-of-office return date later than the
   * next step moves it and the later ones (plan.ts shiftPlan).
   */
  private async planPass(mailbox: Mailbox, analysis: () => MailboxAnalysis, now: Date, ours: ReadonlySet<string>, report: Report): Promise<boolean> {
    const plans = new Map<string, FollowUp[]>();
    let looked = false;
    for (const e of await this.queue.all()) {
      if (e.account !== mailbox.account.name || !e.planId) continue;
      plans.set(e.planId, [...(plans.get(e.planId) ?? []), e]);
    }
    for (const steps of plans.values()) {
      steps.sort((a, b) => a.step - b.step);
      const waiting = steps.filter((s) => s.status === 'scheduled' || s.status === 'held');
      if (!waiting.length) continue;
      looked = true;
      const anchor = waiting[0];
      const state = inspectConversation({ analysis: analysis(), recordId: anchor.originalId, ours, anchor: 'record' });
      const reason = cancelReason(anchor, state);
      if (reason) {
        await this.cancelSteps(waiting, reason, now, report);
        continue;
      }
      const away = state?.unanswered?.outOfOfficeUntil;
      const next = waiting.find((s) => s.status === 'scheduled');
      if (!away || !next) continue;
      const window = { timeZone: next.recipientTimeZone, country: next.country, hours: next.hours };
      if (nextSendTime({ ...window, now: next.scheduledAt, notBefore: away }).at.getTime() <= Date.parse(next.scheduledAt)) continue;
      const contact = await this.contactContext(mailbox, next.recipient, now);
      const moves = shiftPlan({ ...window, steps, outOfOfficeUntil: away, rhythm: contact.rhythm });
      for (const m of moves) {
        const e = await this.queue.update(m.id, { scheduledAt: m.at.local, scheduledReason: m.reason, scheduledRule: m.at.rule }, now);
        report(e, 'rescheduled', `to ${when(m.at.local, m.at.timeZone)} their time (${m.at.timeZone}): ${m.reason}`);
      }
    }
    return looked;
  }

  /** Cancel plan steps that have not gone (scheduled or held) for what the conversation says. */
  private async cancelSteps(steps: FollowUp[], reason: string, now: Date, report: Report): Promise<void> {
    for (const s of steps) {
      if (s.status !== 'scheduled' && s.status !== 'held') continue;
      const e = await this.queue.update(s.id, { status: 'cancelled', statusReason: reason }, now);
      report(e, 'cancelled', `${reason} (plan step ${s.step} of ${s.planSize ?? '?'})`);
    }
  }

  private async sendDueForAccount(
    name: string,
    entries: FollowUp[],
    witnesses: FollowUp[],
    now: Date,
    ours: ReadonlySet<string>,
    report: Report,
    mode: SendMode,
  ): Promise<void> {
    // A reply may have arrived since the last sync: look before sending (ARCHITECTURE: cancelled
    // if any reply arrives first). Without a look, nothing is sent.
    if (entries.length) {
      try {
        const [summary] = await this.service.sync({ account: name });
        const broken = summary?.folders.find((f) => f.error);
        if (broken) throw new Error(`${broken.folder}: ${broken.error}`);
      } catch (e) {
        for (const entry of entries) report(entry, 'deferred', `could not check ${name} for replies first (${(e as Error).message}); nothing sent`);
        return;
      }
    }
    const [mailbox] = await this.service.mailboxes(name);
    let analysed: MailboxAnalysis | null = null;
    const analysis = () => (analysed ??= this.analysis(mailbox, now));
    const password = await this.service.deps.secrets.get(name);
    let client: ImapFlow | null = null;
    const ctx: SendContext = {
      account: mailbox.account,
      folders: mailbox.folders,
      password,
      queue: this.queue,
      now,
      graceMs: this.graceMs,
      imap: async () => {
        if (client && client.usable) return client;
        if (!password) throw new TriageError('auth-failed', `no password for account ${name}`);
        client = await connectImap({ server: mailbox.account.imap, password });
        return client;
      },
    };
    try {
      if (mode === 'due' && entries.length) {
        // Fresh from the sync: plans first, so a step a reply made pointless is not sent below.
        if (await this.planPass(mailbox, analysis, now, ours, report)) {
          const id = `setting:plan-check:${name}`;
          await this.service.store.prefs.update({ _id: id }, { _id: id, kind: 'setting', fingerprint: syncFingerprint(mailbox.folders) }, { upsert: true });
        }
      }
      for (const listed of entries) {
        // The plan pass, a cancel or an edit may have changed it since the list was read.
        const entry = (await this.queue.get(listed.id)) ?? listed;
        if (mode === 'due' && !isDue(entry, now)) continue;
        try {
          await this.processDue(ctx, analysis, entry, now, ours, report, mode);
        } catch (e) {
          const message = (e as Error).message.split('\n')[0];
          const current = (await this.queue.get(entry.id)) ?? entry;
          report(current, 'failed', `could not be handled: ${message}`);
        }
      }
      for (const entry of witnesses) await removeLateWitness(ctx, entry).catch((e) => this.warn(`witness copy of ${entry.id} not removed yet: ${(e as Error).message}`));
    } finally {
      const c = client as ImapFlow | null;
      if (c) await c.logout().catch(() => c.close());
    }
  }

  private async processDue(
    ctx: SendContext,
    analysis: () => MailboxAnalysis,
    entry: FollowUp,
    now: Date,
    ours: ReadonlySet<string>,
    report: Report,
    mode: SendMode,
  ): Promise<void> {
    const who = `to ${[...entry.to, ...entry.cc].join(', ')}`;
    const settled = await settle(ctx, entry);
    if (settled?.result === 'sent') return report(settled.entry, 'sent', `${who} (${settled.note})`);
    if (settled?.result === 'waiting') return report(settled.entry, 'waiting', settled.note);
    entry = (await this.queue.get(entry.id)) ?? entry;
    // Cancelled (or sent) meanwhile: nothing to do. Send-due leaves held ones to the user.
    if (entry.status === 'cancelled' || entry.status === 'sent' || (mode === 'due' && entry.status === 'held')) return;
    if (mode === 'due' && entry.planId) {
      // A plan's steps go in order: this one waits while an earlier one has not gone.
      const earlier = (await this.planSteps(entry.planId)).some((s) => s.step < entry.step && (WAITING.has(s.status) || s.status === 'sending'));
      if (earlier) return;
    }

    const state = inspectConversation({ analysis: analysis(), recordId: entry.originalId, ours, anchor: 'record' });
    const cancel = mode === 'now' ? cancelReason(entry, state) : null;
    const decision: DueDecision = mode === 'now' ? (cancel ? { action: 'cancel', reason: cancel } : { action: 'send' }) : decideDue({ entry, now, conversation: state });
    const clearSending = { phase: null, dataEndAt: null, maybeAccepted: null } as const;
    switch (decision.action) {
      case 'wait':
        return;
      case 'cancel': {
        const e = await this.queue.update(entry.id, { status: 'cancelled', statusReason: decision.reason, ...clearSending }, now);
        report(e, 'cancelled', decision.reason);
        // What ended this step ends the rest of its plan.
        if (entry.planId) await this.cancelSteps((await this.planSteps(entry.planId)).filter((s) => s.step > entry.step), decision.reason, now, report);
        return;
      }
      case 'hold': {
        const e = await this.queue.update(entry.id, { status: 'held', statusReason: decision.reason, ...clearSending }, now);
        return report(e, 'held', decision.reason);
      }
      case 'reschedule': {
        const t = decision.at;
        const e = await this.queue.update(
          entry.id,
          { status: 'scheduled', scheduledAt: t.local, scheduledReason: decision.reason, scheduledRule: t.rule, ...clearSending },
          now,
        );
        const yours = ctx.account.timeZone ?? localTimeZone();
        return report(e, 'rescheduled', `to ${when(t.local, t.timeZone)} their time (${t.timeZone}), ${when(t.local, yours)} yours: ${decision.reason}`);
      }
      case 'send': {
        const raw = await buildRawMessage({ ...entry, date: now });
        const result = await sendOnce(ctx, entry, raw);
        if (result.result === 'sent') return report(result.entry, 'sent', `${who}: "${entry.subject}"${result.note ? ` (${result.note})` : ''}`);
        if (result.result === 'failed') return report(result.entry, 'failed', `${result.entry.statusReason ?? 'failed'} (attempt ${result.entry.attempts}; retried by the next send-due)`);
        return report(result.entry, 'waiting', result.note);
      }
    }
  }

  /** One sentence for `resend`: when it goes, in their time and in the user's. */
  describeScheduled(entry: FollowUpJson, userZone: string): string {
    const source = SOURCE_WORDS[entry.timeZoneSource as TimeZoneSource] ?? String(entry.timeZoneSource);
    return (
      `Follow-up ${entry.id}${entry.planId ? ` (step ${entry.step} of ${entry.planSize ?? '?'})` : ''} to ${entry.to.join(', ')} goes ${when(entry.scheduledAt, entry.recipientTimeZone)} their time ` +
      `(${entry.recipientTimeZone}, ${source}), ${when(entry.scheduledAt, userZone)} yours (${userZone}): ${entry.scheduledReason}.`
    );
  }
}
