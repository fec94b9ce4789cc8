// `resend`: queue a follow-up of a sent mail (ID: an unanswered entry's id, a record id or a
// Message-ID), or with `plan` N a plan of N follow-ups (plan.ts). Every follow-up, each step of a
// plan too, counts toward the per-conversation cap (default 2): `cap` raises it for this call,
// `force` ignores it (and a waiting follow-up, and a bounce). `hold` keeps it back for the undo
// window (hold.ts); `previewFollowUp` shows what would be queued and stores nothing.
import { FOLLOW_UP_LANGUAGES, checkNudge, type FollowUpPreview, type QueueEntry, type ResendOptions } from '../api.js';
import type { MessageRecord } from '../model.js';
import { ownAddresses, type Mailbox } from '../store/index.js';
import { TriageError } from '../errors.js';
import { isOwnAddress } from '../mail/index.js';
import { bestSendTime, type BestSendTime } from '../contacts/index.js';
import { parseNow } from '../triage/index.js';
import type { FollowUpDeps } from './deps.js';
import { draftFollowUp, entryFrom, type Draft } from './draft.js';
import { holdEnd, holdMinutes, holdNote } from './hold.js';
import { followUpMark, sortMarks } from './marks.js';
import { when } from './format.js';
import { analyse, inspectConversation } from './conversation-state.js';
import { isFollowUpLanguage } from './language.js';
import { PLAN_GAP_FACTORS, PLAN_MAX_STEPS, placePlan, placed, planBaseDays, planGaps, planTemplateStep } from './plan.js';
import { bareId, capCount, followUpsOf, isWaiting, newQueueId, queueJson, type FollowUp } from './queue.js';

/** The highest per-conversation limit `resend --cap` takes. */
export const MAX_CAP = 10;
/** A follow-up is short; this keeps a pasted novel (or a runaway script) out. */
export const MAX_TEXT_CHARS = 10_000;

/** A follow-up's text, checked: not empty, at most MAX_TEXT_CHARS. */
export function checkText(text: unknown): string {
  if (typeof text !== 'string' || !text.trim()) throw new TriageError('bad-input', 'The follow-up text must not be empty.');
  if (text.length > MAX_TEXT_CHARS) throw new TriageError('bad-input', `The follow-up text is ${text.length} characters long; keep it under ${MAX_TEXT_CHARS}.`);
  return text;
}

/** Everything `resend` and its preview agree on before anything is queued. */
interface Prepared {
  draft: Draft;
  target: MessageRecord;
  /** Follow-ups of the conversation that count toward the cap (sent and still to go). */
  count: number;
  existing: FollowUp[];
  now: Date;
  holdUntil: Date | null;
}

async function prepare(deps: FollowUpDeps, id: string, options: ResendOptions): Promise<Prepared> {
  const now = parseNow(options.now, deps.now());
  const plan = options.plan;
  if (plan !== undefined && (!Number.isInteger(plan) || plan < 1 || plan > PLAN_MAX_STEPS)) {
    throw new TriageError('bad-input', `A plan has 1 to ${PLAN_MAX_STEPS} follow-ups, not ${String(plan)}.`, { cli: 'See --plan N.' });
  }
  const cap = options.cap ?? deps.cap;
  if (!Number.isInteger(cap) || cap < 1 || cap > MAX_CAP) {
    throw new TriageError('bad-input', `The limit per conversation is a whole number from 1 to ${MAX_CAP}, not ${String(options.cap)}.`, { cli: 'See --cap N.' });
  }
  if (options.text !== undefined) checkText(options.text);
  if (options.lang !== undefined && !isFollowUpLanguage(options.lang)) {
    throw new TriageError('bad-input', `There are no follow-up texts in "${String(options.lang)}": pick one of ${FOLLOW_UP_LANGUAGES.map((l) => l.code).join(', ')}.`, { cli: 'See --lang.' });
  }
  const holdUntil = holdEnd(now, await holdMinutes(deps.store, options.hold));
  const { mailbox, record } = await findSent(deps, id);
  const account = mailbox.account;
  // The sample mailbox queues follow-ups like any account (to try the third job); they never
  // leave the machine: send-due passes them by, and "send now" only shows the mail (send-due.ts).
  if (!account.smtp && !account.demo) {
    throw new TriageError('bad-input', `Account ${account.name} has no SMTP server to send with: add one to the account first.`, {
      cli: 'Add the account again with --smtp-host and --smtp-port.',
    });
  }
  const sender = record.from[0]?.address;
  if (!sender || !isOwnAddress(sender, ownAddresses(account))) {
    throw new TriageError('bad-input', `"${record.subject}" was sent by ${sender ?? 'nobody'}, not by you: only your own sent mail can be followed up.`);
  }
  const entries = await deps.queue.all();
  const ours = new Set(entries.flatMap((e) => [e.messageId, ...(e.discardedMessageIds ?? [])]));
  const state = inspectConversation({ analysis: analyse(mailbox, now), recordId: record._id, ours, anchor: 'latest-sent' });
  if (!state) throw new TriageError('not-found', `No message ${id} in the store.`);
  const target = state.latestSent ?? record;
  if (state.answer) {
    throw new TriageError('bad-input', `"${target.subject}" already got an answer from ${state.answer.from} on ${state.answer.at.slice(0, 10)}: no follow-up needed.`);
  }
  if (!state.unanswered) {
    throw new TriageError('bad-input', `"${target.subject}" is not awaiting a reply: it went only to your own addresses, no-reply addresses or mailing lists.`);
  }
  if (state.unanswered.status === 'bounced' && !options.force) {
    throw new TriageError('needs-force', `"${target.subject}" bounced: the recipient's server refused it. Check the address before following up.`, {
      cli: 'Use --force to queue a follow-up anyway.',
    });
  }
  const existing = followUpsOf(entries, { key: state.key, messageIds: state.messageIds });
  const [waiting] = existing.filter(isWaiting).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
  if (waiting && !options.force) {
    const step = waiting.planId ? `, step ${waiting.step} of a plan of ${waiting.planSize ?? '?'}` : '';
    const how = waiting.planId ? `Cancel the plan with "triage queue cancel ${waiting.id} --plan"` : `Cancel it with "triage queue cancel ${waiting.id}"`;
    throw new TriageError(
      'needs-force',
      `A follow-up of "${target.subject}" is already queued (${waiting.id}, ${waiting.status}, ${waiting.scheduledAt}${step}): it goes ${when(waiting.scheduledAt, waiting.recipientTimeZone)} their time.`,
      { cli: `${how}, or use --force.` },
    );
  }
  const count = capCount(existing);
  if (plan === undefined && count >= cap && !options.force) {
    throw new TriageError('needs-force', `"${target.subject}" was already followed up ${count} times (the limit is ${cap}).`, { cli: 'Use --force to queue another.' });
  }
  if (plan !== undefined && count + plan > cap && !options.force) {
    const room = cap - count;
    const earlier = count ? `, and ${count} ${count === 1 ? 'is' : 'are'} sent or queued already` : '';
    throw room > 0
      ? new TriageError('needs-force', `A plan of ${plan} follow-ups is more than "${target.subject}" may get: the limit is ${cap} per conversation${earlier}.`, {
          cli: `Use --plan ${room}, raise the limit with --cap ${count + plan}, or use --force.`,
        })
      : new TriageError('needs-force', `"${target.subject}" was already followed up ${count} times (the limit is ${cap}).`, {
          cli: `A plan of ${plan} needs --cap ${count + plan} (or --force).`,
        });
  }
  const draft = await draftFollowUp(deps, { mailbox, target, state, now, lang: options.lang ?? null });
  return { draft, target, count, existing, now, holdUntil };
}

/** The single follow-up's time: the contact's best hour inside their window, after the hold. */
function singleTime(p: Prepared): { at: BestSendTime; reason: string } {
  const c = p.draft.contact;
  const earliest = p.holdUntil ?? p.now;
  const at = placed(bestSendTime({ rhythm: c.rhythm, now: earliest, timeZone: c.timeZone, country: c.country, hours: c.hours, notBefore: p.draft.outOfOfficeUntil }));
  return { at, reason: p.holdUntil ? `${holdNote(p.holdUntil, at.timeZone)}; ${at.reason}` : at.reason };
}

export async function resend(deps: FollowUpDeps, id: string, options: ResendOptions = {}): Promise<QueueEntry[]> {
  const p = await prepare(deps, id, options);
  const { draft, target, count, now, holdUntil } = p;
  const plan = options.plan;
  const c = draft.contact;
  if (plan === undefined) {
    const { at, reason } = singleTime(p);
    const text = options.text ?? (await draft.text(count + 1, true));
    const entry = entryFrom(draft, { step: count + 1, at, reason, text, now, holdUntil, language: (await draft.language()).code });
    await deps.queue.add(entry);
    return [queueJson(entry)];
  }
  const gaps = planGaps(plan, c.wait.days);
  const steps = placePlan({
    rhythm: c.rhythm,
    now: holdUntil ?? now,
    sentAt: target.date ?? target.internalDate,
    gaps,
    timeZone: c.timeZone,
    country: c.country,
    hours: c.hours,
    notBefore: draft.outOfOfficeUntil,
  });
  const planId = `p${newQueueId()}`;
  const language = (await draft.language()).code;
  const base = planBaseDays(c.wait.days);
  const created: FollowUp[] = [];
  for (const s of steps) {
    const text = s.step === 1 && options.text !== undefined ? options.text : await draft.text(planTemplateStep(s.step, plan, count), s.step === 1);
    const spacing = s.step === 1 ? `; gaps ${gaps.join(', ')} business days (${PLAN_GAP_FACTORS.slice(0, plan).join(', ')} × ${Number(base.toFixed(2))}: ${c.wait.reason})` : '';
    created.push(
      entryFrom(draft, { step: s.step, at: s.at, reason: s.reason + spacing, text, now, plan: { id: planId, size: plan, gapDays: s.gapDays }, holdUntil: s.step === 1 ? holdUntil : null, language }),
    );
  }
  await deps.queue.addMany(created);
  return created.map(queueJson);
}

/**
 * What `resend` (one follow-up, no plan) would queue: the recipients with their names, the
 * subject, the exact text and the time, with the same checks; nothing is stored.
 */
export async function previewFollowUp(deps: FollowUpDeps, id: string, options: ResendOptions = {}): Promise<FollowUpPreview> {
  const p = await prepare(deps, id, { ...options, plan: undefined });
  const { draft } = p;
  const { at, reason } = singleTime(p);
  const text = options.text ?? (await draft.text(p.count + 1, true));
  return {
    account: draft.account,
    from: draft.from,
    to: draft.toNamed,
    cc: draft.ccNamed,
    subject: draft.headers.subject,
    text,
    scheduledAt: at.local,
    recipientTimeZone: at.timeZone,
    scheduledReason: reason,
    userTimeZone: draft.contact.userZone,
    holdUntil: p.holdUntil?.toISOString() ?? null,
    earlier: sortMarks(p.existing.filter((e) => e.status !== 'cancelled').map(followUpMark)),
    language: await draft.language(),
    check: checkNudge(text),
  };
}

/** A record by local id (an unanswered entry's id is one) or by Message-ID, in any account. */
async function findSent(deps: FollowUpDeps, id: string): Promise<{ mailbox: Mailbox; record: MessageRecord }> {
  const wanted = bareId(id);
  if (!wanted) throw new TriageError('bad-input', 'Which message? Pick a sent mail first.', { cli: 'Give an id from "triage unanswered", or a Message-ID.' });
  for (const mailbox of await deps.mailboxes()) {
    // A Message-ID may be carried by several records (copies that differ: model.ts); the
    // user's own mail is the one a follow-up is about.
    const own = (r: MessageRecord) => mailbox.account.addresses.includes(r.from[0]?.address ?? '');
    const record =
      mailbox.messages.find((r) => r._id === wanted) ??
      mailbox.messages.find((r) => r.messageId === wanted && own(r)) ??
      mailbox.messages.find((r) => r.messageId === wanted);
    if (record) return { mailbox, record };
  }
  throw new TriageError('not-found', `No message "${id}" in the store: sync, then try again.`, { cli: 'Use an id from "triage unanswered" or a Message-ID.' });
}
