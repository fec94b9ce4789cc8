// send-due and "send now": per account, sync first (a reply may have arrived, in any folder),
// then for each due entry settle earlier attempts (sender.ts), apply the rules (decide.ts) and
// send. Plans with steps still waiting are looked at too (plan.ts): a reply or a bounce cancels
// the rest, an out-of-office return date moves them; without a due entry this uses the store as
// last synced, and only when a sync changed it since the last look.
import type { SendDueAction, SendDueResult } from '../api.js';
import type { FolderState } from '../model.js';
import type { Mailbox } from '../store/index.js';
import { PREF_IDS, readPref, writePref } from '../store/index.js';
import { TriageError } from '../errors.js';
import { imapReason, lazyImap } from '../imap/index.js';
import { smtpTokenLogin } from '../auth/index.js';
import { nextSendTime } from '../calendar/index.js';
import { parseNow } from '../triage/index.js';
import type { FollowUpDeps } from './deps.js';
import { buildRawMessage } from './compose.js';
import { contactContext } from './contact-context.js';
import { analyse, inspectConversation, type MailboxAnalysis } from './conversation-state.js';
import { cancelReason, decideDue, type DueDecision } from './decide.js';
import { when } from './format.js';
import { shiftPlan } from './plan.js';
import { bareId, isWaiting, queueJson, type FollowUp, type FollowUpStatus } from './queue.js';

const HELD: ReadonlySet<FollowUpStatus> = new Set(['held']);
/** Plan steps a reply or a bounce calls off: those that have not started to go. */
const NOT_GONE: ReadonlySet<FollowUpStatus> = new Set(['scheduled', 'held']);
import { MAY_HAVE_GONE, removeLateWitness, sendOnce, settle, type SendContext } from './sender.js';
import { witnessAddress } from './witness.js';
import { NO_FAILURES, backingOff, failedOnce } from './retry.js';

type Report = (entry: FollowUp, action: SendDueAction, text: string) => void;
/** 'due': send-due's rules; 'now': the user's "send now" (no window, lateness or order rules). */
type SendMode = 'due' | 'now';

/** Whether send-due handles the entry now: in flight (to be settled), or scheduled/failed and due;
 *  not while it waits after a failure, nor once the server refused it for good (retry.ts). */
function isDue(e: FollowUp, now: Date): boolean {
  if (backingOff(e, now)) return false;
  return e.status === 'sending' || ((e.status === 'scheduled' || e.status === 'failed') && Date.parse(e.scheduledAt) <= now.getTime());
}

/** What send-due says of a failed send: the server's words, and what happens next. */
function failureText(e: FollowUp, yours: string): string {
  const reason = e.statusReason ?? 'failed';
  if (!e.permanentFailure) return `${reason} (attempt ${e.attempts}; tried again from ${e.nextAttemptAt ? when(e.nextAttemptAt, yours) : 'the next send-due'})`;
  const advice = /^authentication failed/.test(reason)
    ? `check the SMTP password, then send it again with "triage queue send ${e.id}"`
    : reason === MAY_HAVE_GONE
      ? `if it did not reach them, send it again with "triage queue send ${e.id}", or cancel it`
      : `the server refused it for good; fix what it says, then send it again with "triage queue send ${e.id}", or cancel it`;
  return `${reason} (attempt ${e.attempts}; not retried: ${advice})`;
}

/** A due entry that could not be handled (no check for replies, an IMAP error): it waits before the next try. */
async function backOff(deps: FollowUpDeps, entry: FollowUp, reason: string, now: Date): Promise<FollowUp> {
  const current = (await deps.queue.get(entry.id)) ?? entry;
  return deps.queue.update(entry.id, { statusReason: reason, ...failedOnce(current, now, false) }, now);
}

/** Changes whenever a sync of the account ran: the plan check looks again only then. */
function syncFingerprint(folders: FolderState[]): string {
  return folders
    .map((f) => `${f.path}@${f.lastSyncAt ?? ''}`)
    .sort()
    .join('|');
}

async function notePlanCheck(deps: FollowUpDeps, account: string, folders: FolderState[]): Promise<void> {
  const id = PREF_IDS.planCheck(account);
  await writePref(deps.store, { _id: id, kind: 'setting', fingerprint: syncFingerprint(folders) });
}

/** `confirm`: ids of held entries the user confirmed; they go to the next valid window. */
export async function sendDue(deps: FollowUpDeps, options: { now?: string; confirm?: string[] } = {}): Promise<SendDueResult[]> {
  const now = parseNow(options.now, deps.now());
  return deps.sending(() => sendDueNow(deps, now, options.confirm ?? []));
}

async function sendDueNow(deps: FollowUpDeps, now: Date, confirm: string[]): Promise<SendDueResult[]> {
  const { queue } = deps;
  const results: SendDueResult[] = [];
  const report: Report = (entry, action, actionText) => results.push({ ...queueJson(entry), action, actionText });
  for (const id of confirm) {
    const entry = await queue.get(bareId(id));
    if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
    if (entry.status !== 'held') throw new TriageError('bad-input', `Follow-up ${entry.id} is ${entry.status}, not held: nothing to confirm.`);
    const at = nextSendTime({ timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours, now });
    const updated = await queue.transition(
      entry.id,
      { from: HELD, rev: entry.rev ?? 0 },
      { status: 'scheduled', scheduledAt: at.local, scheduledReason: `confirmed by you; ${at.reason}`, scheduledRule: at.rule, statusReason: null, ...NO_FAILURES },
      now,
    );
    if (!updated) throw new TriageError('bad-input', `Follow-up ${entry.id} changed while it was being confirmed: look at the queue again.`, { cli: 'See "triage queue".' });
    report(updated, 'confirmed', `confirmed: goes ${when(at.local, entry.recipientTimeZone)} their time`);
  }

  const entries = await queue.all();
  for (const p of queue.problems) deps.log.warn(p);
  const ours = ourMessageIds(entries);
  const due = entries.filter((e) => isDue(e, now));
  const late = entries.filter((e) => e.status === 'sent' && e.witnessPending);
  const planned = entries.filter((e) => e.planId && (e.status === 'scheduled' || e.status === 'held'));
  const accounts = [...new Set([...due, ...late, ...planned].map((e) => e.account))];
  for (const name of accounts) {
    const mine = due.filter((e) => e.account === name).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
    const witnesses = late.filter((e) => e.account === name);
    if (!mine.length && !witnesses.length) await planCheck(deps, name, now, ours, report);
    else await sendDueForAccount(deps, { name, entries: mine, witnesses, now, ours, report, mode: 'due' });
  }
  return results;
}

/**
 * Send one follow-up now, whatever its window: through send-due's own path (sync first, the
 * conversation checked, settle, sendOnce), so it still goes exactly once, and a reply or a
 * bounce that arrived cancels it instead. A plan step waits for the earlier steps of its plan.
 */
export async function sendNow(deps: FollowUpDeps, id: string, options: { now?: string } = {}): Promise<SendDueResult> {
  const now = parseNow(options.now, deps.now());
  const { queue } = deps;
  return deps.sending(async () => {
    const entry = await queue.get(bareId(id));
    if (!entry) throw new TriageError('not-found', `No follow-up "${id}" in the queue.`, { cli: 'See "triage queue".' });
    if (entry.status === 'sent') throw new TriageError('bad-input', `Follow-up ${entry.id} was already sent on ${entry.sentAt ?? entry.updatedAt}.`);
    if (entry.status === 'cancelled') {
      throw new TriageError('bad-input', `Follow-up ${entry.id} was cancelled (${entry.statusReason ?? 'cancelled'}): queue a new one instead.`, { cli: 'Queue a new one with "triage resend".' });
    }
    if (entry.status === 'sending') {
      throw new TriageError('bad-input', `Follow-up ${entry.id} may be on its way right now: wait a minute, then look again.`, { cli: 'Run "triage send-due" to settle it.' });
    }
    if (entry.planId) {
      const earlier = (await queue.planSteps(entry.planId)).find((s) => s.step < entry.step && isWaiting(s));
      if (earlier) throw new TriageError('bad-input', `Step ${earlier.step} of this plan (${earlier.id}) has not gone yet: send or cancel it first.`);
    }
    const ours = ourMessageIds(await queue.all());
    const results: SendDueResult[] = [];
    const report: Report = (e, action, actionText) => results.push({ ...queueJson(e), action, actionText });
    await sendDueForAccount(deps, { name: entry.account, entries: [entry], witnesses: [], now, ours, report, mode: 'now' });
    const mine = results.find((r) => r.id === entry.id);
    if (!mine) throw new TriageError('internal', `Follow-up ${entry.id} was not handled: look at it in the queue.`, { cli: 'See "triage queue".' });
    if (mine.action === 'deferred') throw new TriageError('unreachable', `Not sent: ${mine.actionText}.`);
    if (mine.action === 'failed') {
      throw new TriageError(mine.state === 'failed' ? 'server-refused' : 'internal', `Not sent: ${mine.actionText}.`);
    }
    return mine;
  });
}

/** Message-IDs of our own follow-ups (and of discarded attempts): not "the user wrote again". */
function ourMessageIds(entries: FollowUp[]): Set<string> {
  return new Set(entries.flatMap((e) => [e.messageId, ...(e.discardedMessageIds ?? [])]));
}

/** The plans of an account without a due entry: only when a sync changed the store since the last look. */
async function planCheck(deps: FollowUpDeps, name: string, now: Date, ours: ReadonlySet<string>, report: Report): Promise<void> {
  const folders = await deps.store.foldersOf(name);
  const seen = await readPref(deps.store, PREF_IDS.planCheck(name));
  if (seen?.fingerprint === syncFingerprint(folders)) return;
  const [mailbox] = await deps.mailboxes(name);
  let analysed: MailboxAnalysis | null = null;
  await planPass(deps, mailbox, () => (analysed ??= analyse(mailbox, now)), now, ours, report);
  await notePlanCheck(deps, name, folders);
}

/**
 * Every plan of the mailbox's account with steps still waiting (scheduled or held): a reply, a
 * bounce or the user's own mail cancels them all; an out-of-office return date later than the
 * next step moves it and the later ones (plan.ts shiftPlan).
 */
async function planPass(deps: FollowUpDeps, mailbox: Mailbox, analysis: () => MailboxAnalysis, now: Date, ours: ReadonlySet<string>, report: Report): Promise<boolean> {
  const plans = new Map<string, FollowUp[]>();
  let looked = false;
  for (const e of await deps.queue.all()) {
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
      await cancelSteps(deps, waiting, reason, now, report);
      continue;
    }
    const away = state?.unanswered?.outOfOfficeUntil;
    const next = waiting.find((s) => s.status === 'scheduled');
    if (!away || !next) continue;
    const window = { timeZone: next.recipientTimeZone, country: next.country, hours: next.hours };
    if (nextSendTime({ ...window, now: next.scheduledAt, notBefore: away }).at.getTime() <= Date.parse(next.scheduledAt)) continue;
    const contact = await contactContext({ store: deps.store, mailbox, address: next.recipient, now, defaultTimeZone: deps.defaultTimeZone });
    const moves = shiftPlan({ ...window, steps, outOfOfficeUntil: away, rhythm: contact.rhythm });
    for (const m of moves) {
      const e = await deps.queue.update(m.id, { scheduledAt: m.at.local, scheduledReason: m.reason, scheduledRule: m.at.rule }, now);
      report(e, 'rescheduled', `to ${when(m.at.local, m.at.timeZone)} their time (${m.at.timeZone}): ${m.reason}`);
    }
  }
  return looked;
}

/** Cancel plan steps that have not gone (scheduled or held) for what the conversation says. */
async function cancelSteps(deps: FollowUpDeps, steps: FollowUp[], reason: string, now: Date, report: Report): Promise<void> {
  for (const s of steps) {
    if (s.status !== 'scheduled' && s.status !== 'held') continue;
    const e = await deps.queue.transition(s.id, { from: NOT_GONE }, { status: 'cancelled', statusReason: reason }, now);
    if (e) report(e, 'cancelled', `${reason} (plan step ${s.step} of ${s.planSize ?? '?'})`);
  }
}

interface AccountPass {
  name: string;
  entries: FollowUp[];
  witnesses: FollowUp[];
  now: Date;
  ours: ReadonlySet<string>;
  report: Report;
  mode: SendMode;
}

async function sendDueForAccount(deps: FollowUpDeps, pass: AccountPass): Promise<void> {
  const { name, entries, witnesses, now, ours, report, mode } = pass;
  // A reply may have arrived since the last sync: look before sending (ARCHITECTURE: cancelled
  // if any reply arrives first). Without a look, nothing is sent.
  if (entries.length) {
    try {
      const summary = await deps.sync(name);
      const broken = summary.folders.find((f) => f.error);
      if (broken) throw new Error(`${broken.folder}: ${broken.error}`);
    } catch (e) {
      const why = `could not check ${name} for replies first (${imapReason(e)}); nothing sent`;
      // An account waiting for its sign-in costs nothing to ask again (refused without the
      // provider), and must go on the moment the user signs in: no back-off for it.
      const signIn = e instanceof TriageError && e.code === 'sign-in-required';
      for (const entry of entries) report(signIn ? await deps.queue.update(entry.id, { statusReason: why }, now) : await backOff(deps, entry, why, now), 'deferred', why);
      return;
    }
  }
  const [mailbox] = await deps.mailboxes(name);
  let analysed: MailboxAnalysis | null = null;
  const analysis = () => (analysed ??= analyse(mailbox, now));
  const imap = lazyImap({ account: mailbox.account, secrets: deps.secrets });
  const password = mailbox.account.auth?.method === 'oauth2' ? null : await deps.secrets.get(name);
  let witness: Promise<string | null> | null = null;
  const ctx: SendContext = {
    account: mailbox.account,
    folders: mailbox.folders,
    password,
    oauth2: smtpTokenLogin(mailbox.account, deps.secrets),
    queue: deps.queue,
    now,
    graceMs: deps.graceMs,
    onPhase: deps.onSendPhase,
    imap: imap.get,
    witness: () => (witness ??= witnessAddress({ account: mailbox.account, folders: mailbox.folders, password, imap: imap.get, store: deps.store, log: deps.log, probeWaitMs: deps.witnessProbeMs })),
    userAsked: mode === 'now',
  };
  try {
    // Fresh from the sync: plans first, so a step a reply made pointless is not sent below.
    if (mode === 'due' && entries.length && (await planPass(deps, mailbox, analysis, now, ours, report))) {
      await notePlanCheck(deps, name, mailbox.folders);
    }
    for (const listed of entries) {
      // The plan pass, a cancel or an edit may have changed it since the list was read.
      const entry = (await deps.queue.get(listed.id)) ?? listed;
      if (mode === 'due' && !isDue(entry, now)) continue;
      try {
        await processDue(deps, { ctx, analysis, entry, now, ours, report, mode });
      } catch (e) {
        const why = `could not be handled: ${imapReason(e)}`;
        const current = await backOff(deps, entry, why, now);
        report(current, 'failed', `${why} (tried again from ${when(current.nextAttemptAt!, ctx.account.timeZone ?? deps.defaultTimeZone)})`);
      }
    }
    for (const entry of witnesses) await removeLateWitness(ctx, entry).catch((e) => deps.log.warn(`witness copy of ${entry.id} not removed yet: ${(e as Error).message}`));
  } finally {
    await imap.close();
  }
}

async function processDue(
  deps: FollowUpDeps,
  input: { ctx: SendContext; analysis: () => MailboxAnalysis; entry: FollowUp; now: Date; ours: ReadonlySet<string>; report: Report; mode: SendMode },
): Promise<void> {
  const { ctx, analysis, now, ours, report, mode } = input;
  let entry = input.entry;
  const who = `to ${[...entry.to, ...entry.cc].join(', ')}`;
  const settled = await settle(ctx, entry);
  if (settled?.result === 'sent') return report(settled.entry, 'sent', `${who} (${settled.note})`);
  if (settled?.result === 'waiting') return report(settled.entry, 'waiting', settled.note);
  if (settled?.result === 'failed') return report(settled.entry, 'failed', failureText(settled.entry, ctx.account.timeZone ?? deps.defaultTimeZone));
  entry = (await deps.queue.get(entry.id)) ?? entry;
  // Cancelled (or sent) meanwhile: nothing to do. Send-due leaves held ones to the user.
  if (entry.status === 'cancelled' || entry.status === 'sent' || (mode === 'due' && entry.status === 'held')) return;
  if (mode === 'due' && entry.planId) {
    // A plan's steps go in order: this one waits while an earlier one has not gone.
    const current = entry;
    const earlier = (await deps.queue.planSteps(current.planId!)).some((s) => s.step < current.step && isWaiting(s));
    if (earlier) return;
  }

  const state = inspectConversation({ analysis: analysis(), recordId: entry.originalId, ours, anchor: 'record' });
  const cancel = mode === 'now' ? cancelReason(entry, state) : null;
  const decision: DueDecision = mode === 'now' ? (cancel ? { action: 'cancel', reason: cancel } : { action: 'send' }) : decideDue({ entry, now, conversation: state });
  const clearSending = { phase: null, dataEndAt: null, maybeAccepted: null } as const;
  // Compare-and-set against the entry the decision was made on (queue.ts).
  const expected = { from: new Set([entry.status]), rev: entry.rev ?? 0 };
  switch (decision.action) {
    case 'wait':
      return;
    case 'cancel': {
      const e = await deps.queue.transition(entry.id, expected, { status: 'cancelled', statusReason: decision.reason, ...clearSending }, now);
      if (!e) return;
      report(e, 'cancelled', decision.reason);
      // What ended this step ends the rest of its plan.
      if (entry.planId) await cancelSteps(deps, (await deps.queue.planSteps(entry.planId)).filter((s) => s.step > entry.step), decision.reason, now, report);
      return;
    }
    case 'hold': {
      const e = await deps.queue.transition(entry.id, expected, { status: 'held', statusReason: decision.reason, ...clearSending }, now);
      return e ? report(e, 'held', decision.reason) : undefined;
    }
    case 'reschedule': {
      const t = decision.at;
      const e = await deps.queue.transition(
        entry.id,
        expected,
        { status: 'scheduled', scheduledAt: t.local, scheduledReason: decision.reason, scheduledRule: t.rule, ...clearSending },
        now,
      );
      if (!e) return;
      const yours = ctx.account.timeZone ?? deps.defaultTimeZone;
      return report(e, 'rescheduled', `to ${when(t.local, t.timeZone)} their time (${t.timeZone}), ${when(t.local, yours)} yours: ${decision.reason}`);
    }
    case 'send': {
      const raw = await buildRawMessage({ ...entry, date: now });
      const result = await sendOnce(ctx, entry, raw);
      if (result.result === 'sent') return report(result.entry, 'sent', `${who}: "${entry.subject}"${result.note ? ` (${result.note})` : ''}`);
      if (result.result === 'deferred') return report(result.entry, 'deferred', result.note);
      if (result.result === 'failed') return report(result.entry, 'failed', failureText(result.entry, ctx.account.timeZone ?? deps.defaultTimeZone));
      // A Cancel or an Edit got there first: theirs stands (an edited one goes next time).
      if (result.result === 'changed') return deps.log.info(`follow-up ${entry.id} ${result.note}`);
      return report(result.entry, 'waiting', result.note);
    }
  }
}
