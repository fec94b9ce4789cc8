// The follow-up part of the service (issue 6): `resend` queues a follow-up of a sent mail,
// `queue` lists, `cancel` cancels, `sendDue` sends what is due. TriageService delegates here.
import type { ImapFlow } from 'imapflow';
import { DateTime } from 'luxon';
import type { ResendOptions } from '../api.js';
import type { TriageService } from '../service.js';
import type { Address, MessageRecord } from '../store/types.js';
import type { Store } from '../store/store.js';
import type { BusinessHours } from './calendar.js';
import type { Mailbox } from '../triage/mailbox.js';
import { TriageError } from '../errors.js';
import { connectImap } from '../imap/connect.js';
import { isOwnAddress } from '../mail/addresses.js';
import { ownAddresses, roleMap } from '../triage/mailbox.js';
import { getContactPrefs, parseHoursRange } from './contact-prefs.js';
import { bestLocation, buildRawMessage, fetchText, followUpText, newMessageId, threadHeaders } from './compose.js';
import { localTimeZone } from './local-zone.js';
import {
  DEFAULT_CAP,
  FollowUpQueue,
  capCount,
  decideDue,
  followUpsOf,
  analyseMailbox,
  inspectConversation,
  newQueueId,
  queueJson,
  sortForDisplay,
  type ConversationState,
  type FollowUp,
  type FollowUpJson,
  type MailboxAnalysis,
} from './queue.js';
import { WITNESS_GRACE_MS, removeLateWitness, sendOnce, settle, type SendContext } from './sender.js';
import { inferTimeZone, type TimeZoneSource } from './timezone.js';
import { nextSendTime } from './window.js';

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

  /** Queue a follow-up of a sent mail: ID is an unanswered entry's id, a record id or a Message-ID. */
  async resend(id: string, options: ResendOptions = {}): Promise<FollowUpJson[]> {
    const now = parseNow(options.now, this.service.now());
    if (options.plan !== undefined && options.plan !== 1) {
      throw new TriageError('bad-input', 'Plans of several follow-ups (--plan N) are not built yet; queue one follow-up at a time for now.');
    }
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
    const waiting = existing.find((e) => e.status === 'scheduled' || e.status === 'held' || e.status === 'failed' || e.status === 'sending');
    if (waiting && !options.force) {
      throw new TriageError('needs-force', `A follow-up of "${target.subject}" is already queued (${waiting.id}, ${waiting.status}, ${waiting.scheduledAt}); cancel it with "triage queue cancel ${waiting.id}", or use --force.`);
    }
    const count = capCount(existing);
    if (count >= this.cap && !options.force) {
      throw new TriageError('needs-force', `"${target.subject}" was already followed up ${count} times (the limit is ${this.cap}); use --force to queue another.`);
    }
    const entry = await this.newEntry({ mailbox, target, state, step: count + 1, now, text: options.text ?? null });
    await this.queue.add(entry);
    return [queueJson(entry)];
  }

  private async newEntry(input: { mailbox: Mailbox; target: MessageRecord; state: ConversationState; step: number; now: Date; text: string | null }): Promise<FollowUp> {
    const { mailbox, target, state, now } = input;
    const account = mailbox.account;
    const own = ownAddresses(account);
    const others = (list: Address[]) => list.filter((a) => !isOwnAddress(a.address, own));
    const toAddrs = others(target.to);
    const ccAddrs = others(target.cc).filter((c) => !toAddrs.some((t) => t.address === c.address));
    const recipient = toAddrs[0] ?? ccAddrs[0] ?? others(target.bcc)[0];
    if (!recipient) throw new TriageError('bad-input', `"${target.subject}" has no recipient other than you.`);
    const to = toAddrs.length ? toAddrs.map((a) => a.address) : [recipient.address];

    const prefs = await getContactPrefs(this.service.store, recipient.address);
    const userZone = account.timeZone ?? localTimeZone();
    const zone = inferTimeZone({
      address: recipient.address,
      overrides: prefs,
      dateHeaders: mailbox.messages.filter((r) => r.from[0]?.address === recipient.address).map((r) => r.dateHeader),
      accountTimeZone: userZone,
      accountCountry: account.country ?? null,
    });
    const settings = await followUpSettings(this.service.store);
    const hours = prefs?.hours ? parseHoursRange(prefs.hours) : settings.hours;
    const at = nextSendTime({ timeZone: zone.timeZone, country: zone.country, hours, now, notBefore: state.unanswered?.outOfOfficeUntil ?? null });

    const fromAddress = target.from[0]?.address && isOwnAddress(target.from[0].address, own) ? target.from[0].address : account.addresses[0];
    const from: Address = { address: fromAddress, name: this.displayName(mailbox, fromAddress) };
    const text =
      input.text ??
      followUpText({ step: input.step, template: settings.template, recipient, original: target, originalText: await this.originalText(mailbox, target), userTimeZone: userZone });
    const headers = threadHeaders(target);
    const id = newQueueId();
    const stamp = now.toISOString();
    return {
      _id: id,
      id,
      account: account.name,
      originalId: target._id,
      originalMessageId: target.messageId,
      conversationKey: state.key,
      recipient: recipient.address,
      from,
      to,
      cc: ccAddrs.map((a) => a.address),
      subject: headers.subject,
      text,
      messageId: newMessageId(from.address),
      inReplyTo: headers.inReplyTo,
      references: headers.references,
      scheduledAt: at.local,
      scheduledReason: at.reason,
      scheduledRule: at.rule,
      recipientTimeZone: at.timeZone,
      timeZoneSource: zone.source,
      country: zone.country,
      hours,
      status: 'scheduled',
      attempts: 0,
      createdAt: stamp,
      updatedAt: stamp,
      step: input.step,
      planId: null,
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

  // ---- queue / cancel -------------------------------------------------------------------------

  async list(): Promise<FollowUpJson[]> {
    const entries = await this.queue.all();
    for (const p of this.queue.problems) this.warn(p);
    return sortForDisplay(entries).map(queueJson);
  }

  async cancel(id: string): Promise<FollowUpJson> {
    const entry = await this.queue.get(bare(id));
    if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue: see "triage queue".`);
    if (entry.status === 'sent') throw new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}: it cannot be cancelled.`);
    if (entry.status === 'sending') {
      throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now; run "triage send-due" to settle it, then cancel if it did not go.`);
    }
    if (entry.status === 'cancelled') return queueJson(entry);
    return queueJson(await this.queue.update(entry.id, { status: 'cancelled', statusReason: 'cancelled by you' }, this.service.now()));
  }

  // ---- send-due -------------------------------------------------------------------------------

  /**
   * Send what is due, per account: sync first (a reply may have arrived, in any folder), then for
   * each due entry settle earlier attempts, apply the rules (queue.ts decideDue) and send.
   * `confirm`: ids of held entries the user confirmed; they go to the next valid window.
   */
  async sendDue(options: { now?: string; confirm?: string[] } = {}): Promise<SendDueResult[]> {
    const now = parseNow(options.now, this.service.now());
    const results: SendDueResult[] = [];
    const report = (entry: FollowUp, action: SendDueAction, actionText: string) => results.push({ ...queueJson(entry), action, actionText });
    for (const id of options.confirm ?? []) {
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
    const due = entries.filter((e) => e.status === 'sending' || ((e.status === 'scheduled' || e.status === 'failed') && Date.parse(e.scheduledAt) <= now.getTime()));
    const late = entries.filter((e) => e.status === 'sent' && e.witnessPending);
    const accounts = [...new Set([...due, ...late].map((e) => e.account))];
    for (const name of accounts) {
      const mine = due.filter((e) => e.account === name).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
      await this.sendDueForAccount(name, mine, late.filter((e) => e.account === name), now, ours, report);
    }
    return results;
  }

  private async sendDueForAccount(
    name: string,
    entries: FollowUp[],
    witnesses: FollowUp[],
    now: Date,
    ours: ReadonlySet<string>,
    report: (entry: FollowUp, action: SendDueAction, text: string) => void,
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
      for (const entry of entries) {
        try {
          await this.processDue(ctx, analysis, entry, now, ours, report);
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
    report: (entry: FollowUp, action: SendDueAction, text: string) => void,
  ): Promise<void> {
    const who = `to ${[...entry.to, ...entry.cc].join(', ')}`;
    const settled = await settle(ctx, entry);
    if (settled?.result === 'sent') return report(settled.entry, 'sent', `${who} (${settled.note})`);
    if (settled?.result === 'waiting') return report(settled.entry, 'waiting', settled.note);
    entry = (await this.queue.get(entry.id)) ?? entry;

    const state = inspectConversation({ analysis: analysis(), recordId: entry.originalId, ours, anchor: 'record' });
    const decision = decideDue({ entry, now, conversation: state });
    const clearSending = { phase: null, dataEndAt: null, maybeAccepted: null } as const;
    switch (decision.action) {
      case 'wait':
        return;
      case 'cancel': {
        const e = await this.queue.update(entry.id, { status: 'cancelled', statusReason: decision.reason, ...clearSending }, now);
        return report(e, 'cancelled', decision.reason);
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
      `Follow-up ${entry.id} to ${entry.to.join(', ')} goes ${when(entry.scheduledAt, entry.recipientTimeZone)} their time ` +
      `(${entry.recipientTimeZone}, ${source}), ${when(entry.scheduledAt, userZone)} yours (${userZone}): ${entry.scheduledReason}.`
    );
  }
}
