// Sending one follow-up exactly once: the SMTP transaction, the Sent copy, and the recovery that
// decides, after a crash or a failure, whether a follow-up already went out.
//
// Why this is hard: SMTP has no idempotency. Between the server's "250 accepted" and our record of
// it there is always a moment in which a kill -9 leaves us not knowing, and neither the store nor a
// copy we APPEND ourselves can tell "accepted" from "never got there" (a pending-keyword copy in
// Sent only moves the question). So the server itself must leave evidence *as part of accepting*:
//
// 1. The Message-ID is chosen when the follow-up is queued and stored with it.
// 2. Nothing carrying that Message-ID is ever put into the user's mailbox before the server has
//    accepted the message. Hence: a copy found anywhere in the account ⇒ it was accepted.
// 3. The SMTP envelope adds an address of the user's own mailbox as a last, invisible recipient
//    (RCPT TO only, no header): the *witness*; witness.ts says which (never a shared From alias). RFC 5321 §4.2.5/§3.3: one DATA reply covers every accepted
//    recipient of the transaction, so the server accepts the witness copy exactly when it accepts
//    the recipients' copies, and delivers it to the user's own mailbox, where IMAP can see it.
//    Gmail-style servers (host gmail/googlemail, or an \All folder) save the sent message in Sent /
//    All Mail themselves on acceptance: that copy is the evidence there, so no witness and no APPEND.
// 4. Progress is persisted in `phase` before each step that matters: 'smtp' (about to talk SMTP),
//    'data-end' (written while the last bytes of the message are held back, so the server cannot
//    have the end-of-data mark before it is stored), 'accepted' (after 250).
// 5. After acceptance: APPEND the same bytes to Sent (unless the server saves sent mail), delete
//    the witness from wherever it landed, mark 'sent'. Each step is idempotent.
//
// Recovery (send-due start, and before every retry of a 'sending' or 'failed' entry): search
// Sent, All Mail, Inbox, Junk and Archive for the Message-ID (IMAP SEARCH HEADER Message-ID).
// Found ⇒ it went out: finish step 5. Not found and phase 'accepted' ⇒ it went out (the witness is
// still on its way): finish. Not found and phase 'smtp' ⇒ the end-of-data mark was never sent, so
// no server can have accepted it: send again. Not found and phase 'data-end' (or a failure that
// may have come after the data, such as a lost connection) ⇒ wait until the witness would have
// arrived (WITNESS_GRACE_MS of real time after 'data-end'), then conclude it was not accepted and
// send again. A kill at any point therefore gives neither a duplicate nor a lost follow-up, as long
// as the server delivers the witness within the grace period.
//
// The witness must not turn a refused send into evidence: when every real recipient is refused
// at RCPT TO, the server would still take the data for the witness alone. The message stream
// looks at the RCPT replies before giving its first byte and aborts the transaction then (the
// connection is dropped before the end-of-data mark, so nothing is delivered). Should that check
// ever be unavailable (it reads nodemailer's envelope state), a witness-only delivery is noticed
// from the send result, the follow-up gets a fresh Message-ID for its next attempt and the old
// one's witness copies are deleted.
//
// Without a witness address (witness.ts found none), an ambiguous end is not resolved by waiting:
// the entry fails with MAY_HAVE_GONE and the user decides ("send now" sends it again).
//
// Known limits: a server that loses or filters away the witness, or delivers it later than the
// grace period, can make a crash right after acceptance send twice; an \All folder on a server
// that does not save sent mail gets no Sent copy and no evidence.
import type { AccountConfig, FolderState } from '../model.js';
import { TriageError } from '../errors.js';
import { appendCopy, deleteCopies, findCopies, type CopyLocation, type ImapClient } from '../imap/index.js';
import { smtpTransaction } from '../smtp/index.js';
import type { TokenLogin } from '../auth/index.js';
import { SENDABLE, type FollowUp, type FollowUpPatch, type FollowUpQueue } from './queue.js';
import { newMessageId } from './compose.js';
import { NO_FAILURES, failedOnce } from './retry.js';

const STILL_SENDING: ReadonlySet<FollowUp['status']> = new Set(['sending']);

/** Real time to wait for the witness after an ambiguous end before sending again. */
export const WITNESS_GRACE_MS = 10 * 60_000;

// ---- test hooks: inert unless the variables are set (documented in tests/integration/followup.test.ts)
// TRIAGE_TEST_TRACE=1                 each send phase is written to stderr as "triage-test: <phase>"
// TRIAGE_TEST_PAUSE_AFTER_SMTP_MS=N   sleep N ms right after the server accepted, before anything is
//                                     recorded: the crash test kills the process in that window
// TRIAGE_TEST_PAUSE_AT=PHASE:N         sleep N ms when PHASE is reached (e.g. ready:3000: the send
//                                     is decided, nothing changed yet: the window of a cancel race)
export async function testHook(phase: string): Promise<void> {
  if (process.env.TRIAGE_TEST_TRACE) process.stderr.write(`triage-test: ${phase}\n`);
  const pause = Number(process.env.TRIAGE_TEST_PAUSE_AFTER_SMTP_MS);
  if (phase === 'smtp-accepted' && pause > 0) await new Promise((r) => setTimeout(r, pause));
  const [at, ms] = (process.env.TRIAGE_TEST_PAUSE_AT ?? '').split(':');
  if (at === phase && Number(ms) > 0) await new Promise((r) => setTimeout(r, Number(ms)));
}

/** A phase of a send reached: the test hooks, then the in-process observer (deps.onSendPhase). */
async function reached(ctx: SendContext, phase: string, entry: Pick<FollowUp, 'id'>): Promise<void> {
  await testHook(phase);
  await ctx.onPhase?.(phase, entry.id);
}

/** Gmail saves what its SMTP server accepts into Sent Mail itself; so do servers with an \All folder. */
export function serverSavesSent(account: AccountConfig, folders: FolderState[]): boolean {
  const host = `${account.smtp?.host ?? ''} ${account.imap.host}`;
  return /(^|[.\s])(gmail|googlemail)\.com\b/i.test(host) || folders.some((f) => f.role === 'all');
}

// ---- one follow-up, exactly once -------------------------------------------------------------

export interface SendContext {
  account: AccountConfig;
  folders: FolderState[];
  password: string | null;
  /** An OAuth2 account's SMTP login (XOAUTH2), instead of the password. */
  oauth2?: TokenLogin | null;
  queue: FollowUpQueue;
  /** The command's clock (--now): Date header, sentAt. */
  now: Date;
  /** An IMAP connection to the account, opened on first use. */
  imap: () => Promise<ImapClient>;
  graceMs: number;
  /** deps.onSendPhase: told each phase as it is reached. */
  onPhase?: (phase: string, entryId: string) => Promise<void> | void;
  /** The witness address of the account (witness.ts), found on first use; null: none. */
  witness: () => Promise<string | null>;
  /** The user's "send now": a send that may have gone out is sent again if they say so. */
  userAsked?: boolean;
}

/** Why a follow-up sent without a witness is not sent again by itself after an ambiguous end. */
export const MAY_HAVE_GONE = 'may have gone out: the connection ended after the whole message was sent, and without a witness copy there is no way to tell';

export type SendResult =
  | { result: 'sent'; entry: FollowUp; note: string }
  | { result: 'changed'; entry: FollowUp; note: string }
  | { result: 'failed'; entry: FollowUp }
  | { result: 'waiting'; entry: FollowUp; note: string }
  /** Not sent, nothing went out, and it is still scheduled (the account must sign in again). */
  | { result: 'deferred'; entry: FollowUp; note: string };

const sentFolderOf = (folders: FolderState[]) => folders.find((f) => f.role === 'sent') ?? null;

/**
 * Before sending an entry that may have been sent (status 'sending' or 'failed', or attempts > 0):
 * what the server says. Null: it certainly did not go out; send it.
 */
export async function settle(ctx: SendContext, entry: FollowUp): Promise<SendResult | null> {
  if (entry.attempts === 0 && entry.status !== 'sending') return null;
  const client = await ctx.imap();
  await cleanupDiscarded(ctx, entry, client);
  const copies = await findCopies(client, ctx.folders, entry.messageId);
  if (copies.length > 0) return finish(ctx, entry, copies, 'found on the server: it had gone out before');
  if (entry.status === 'sending' && entry.phase === 'accepted') return finish(ctx, entry, [], 'the server had accepted it');
  const ambiguous = (entry.status === 'sending' && entry.phase === 'data-end') || (entry.status === 'failed' && entry.maybeAccepted === true);
  if (ambiguous) {
    // Real time on purpose (not --now): this waits for the server's delivery of the witness.
    const since = Date.parse(entry.dataEndAt ?? '') || 0;
    const left = since + ctx.graceMs - Date.now();
    if (left > 0) {
      return { result: 'waiting', entry, note: `may have gone out; waiting ${Math.ceil(left / 1000)} s more for the server's copy before sending again` };
    }
    // No witness was sent with it: no copy proves nothing. Rather ask than send twice.
    if (entry.unwitnessed && !ctx.userAsked) {
      const stopped = await ctx.queue.update(
        entry.id,
        { status: 'failed', phase: null, statusReason: MAY_HAVE_GONE, maybeAccepted: true, ...failedOnce(entry, ctx.now, true) },
        ctx.now,
      );
      return { result: 'failed', entry: stopped };
    }
  }
  return null;
}

/** Send a due entry: the SMTP transaction and everything around it (see the top of this file). */
export async function sendOnce(ctx: SendContext, entry: FollowUp, raw: Buffer): Promise<SendResult> {
  const { account, queue } = ctx;
  if (!account.smtp) throw new TriageError('bad-input', `Account ${account.name} has no SMTP server to send with: add one to the account.`, { cli: 'Add the account again with --smtp-host and --smtp-port.' });
  const saves = serverSavesSent(account, ctx.folders);
  const witness = saves ? null : await ctx.witness();
  await reached(ctx, 'ready', entry);
  // Compare-and-set (queue.ts): only if it is still what `raw` was built from. A Cancel or an
  // Edit that got there first wins; this send is called off and nothing was said to the server.
  // An entry left 'sending' by a crash goes again only after settle() found it did not go out,
  // in this same pass: then its rev still matches.
  const started = await queue.transition(
    entry.id,
    { from: entry.status === 'sending' ? STILL_SENDING : SENDABLE, rev: entry.rev ?? 0 },
    // A try (the user's "send now" of one refused for good, too) lifts the wait; the count stays.
    {
      status: 'sending',
      phase: 'smtp',
      raw: raw.toString('latin1'),
      attempts: entry.attempts + 1,
      statusReason: null,
      maybeAccepted: null,
      dataEndAt: null,
      nextAttemptAt: null,
      permanentFailure: null,
      unwitnessed: !saves && !witness ? true : null,
    },
    ctx.now,
  );
  if (!started) {
    const now = (await queue.get(entry.id)) ?? entry;
    return { result: 'changed', entry: now, note: `changed while it was about to go (now ${now.status}): not sent this time` };
  }
  let current = started;
  await reached(ctx, 'sending', entry);
  const outcome = await smtpTransaction({
    server: account.smtp,
    password: ctx.password,
    oauth2: ctx.oauth2,
    envelopeFrom: current.from.address,
    recipients: [...current.to, ...current.cc],
    witness,
    raw,
    onDataEnd: async () => {
      current = await queue.update(entry.id, { phase: 'data-end', dataEndAt: new Date().toISOString() }, ctx.now);
      await reached(ctx, 'data-end', entry);
    },
  });
  if (!outcome.ok && outcome.signInRequired) {
    // No token, no AUTH, no MAIL FROM: certainly not sent. It stays queued as it was.
    current = await queue.update(entry.id, { status: 'scheduled', phase: null, attempts: entry.attempts, statusReason: outcome.reason }, ctx.now);
    return { result: 'deferred', entry: current, note: `not sent: ${outcome.reason}` };
  }
  if (!outcome.ok) {
    const changes: FollowUpPatch = { status: 'failed', phase: null, statusReason: outcome.reason, maybeAccepted: outcome.maybeAccepted, ...failedOnce(current, ctx.now, outcome.permanent) };
    if (outcome.witnessOnly) {
      // Only the witness got it: the next attempt needs an id without a copy in the mailbox.
      changes.discardedMessageIds = [...(current.discardedMessageIds ?? []), current.messageId];
      changes.messageId = newMessageId(current.from.address);
    }
    current = await queue.update(entry.id, changes, ctx.now);
    if (outcome.witnessOnly) await cleanupDiscarded(ctx, current, await ctx.imap()).catch(() => undefined);
    await reached(ctx, 'failed', entry);
    return { result: 'failed', entry: current };
  }
  await reached(ctx, 'smtp-accepted', entry);
  current = await queue.update(entry.id, { phase: 'accepted', refused: outcome.refused.length ? outcome.refused : null }, ctx.now);
  await reached(ctx, 'accepted-stored', entry);
  const note = outcome.refused.length ? `refused by ${outcome.refused.join(', ')}: ${outcome.refusedReasons.join('; ')}` : '';
  return finish(ctx, current, null, note);
}

/** After acceptance: the Sent copy, the witness removed, 'sent'. Idempotent. */
async function finish(ctx: SendContext, entry: FollowUp, known: CopyLocation[] | null, note: string): Promise<SendResult> {
  let witnessPending: string | null = null;
  if (!serverSavesSent(ctx.account, ctx.folders)) {
    const client = await ctx.imap();
    const copies = known ?? (await findCopies(client, ctx.folders, entry.messageId));
    const sent = sentFolderOf(ctx.folders);
    if (sent && !copies.some((c) => c.path === sent.path) && entry.raw) {
      await appendCopy(client, sent.path, Buffer.from(entry.raw, 'latin1'), ['\\Seen'], new Date(entry.sentAt ?? ctx.now));
      await reached(ctx, 'appended', entry);
    }
    const witnesses = copies.filter((c) => c.path !== sent?.path);
    for (const c of witnesses) await deleteCopies(client, c.path, c.uids);
    // A queueing MTA delivers the witness after its 250: removed by a later send-due.
    if (!witnesses.length && !entry.unwitnessed) witnessPending = new Date().toISOString();
    await reached(ctx, 'witness-removed', entry);
  }
  const current = await ctx.queue.update(
    entry.id,
    { status: 'sent', phase: null, sentAt: ctx.now.toISOString(), statusReason: note || null, maybeAccepted: null, witnessPending, ...NO_FAILURES },
    ctx.now,
  );
  await reached(ctx, 'sent', entry);
  return { result: 'sent', entry: current, note };
}

/** How long (real time) a later send-due looks for a witness that arrived after the send. */
export const WITNESS_CLEANUP_MS = 3 * 86_400_000;

/** Housekeeping for a sent entry whose witness had not arrived yet: delete it once it is there. */
export async function removeLateWitness(ctx: SendContext, entry: FollowUp): Promise<void> {
  if (!entry.witnessPending) return;
  const sent = sentFolderOf(ctx.folders);
  const witnesses = (await findCopies(await ctx.imap(), ctx.folders, entry.messageId)).filter((c) => c.path !== sent?.path);
  for (const c of witnesses) await deleteCopies(await ctx.imap(), c.path, c.uids);
  if (witnesses.length || Date.now() - Date.parse(entry.witnessPending) > WITNESS_CLEANUP_MS) {
    await ctx.queue.update(entry.id, { witnessPending: null }, ctx.now);
  }
}

/** Witness copies of attempts that reached nobody: deleted, then forgotten. */
async function cleanupDiscarded(ctx: SendContext, entry: FollowUp, client: ImapClient): Promise<void> {
  const ids = entry.discardedMessageIds ?? [];
  if (!ids.length) return;
  for (const id of ids) {
    for (const c of await findCopies(client, ctx.folders, id)) await deleteCopies(client, c.path, c.uids);
  }
  await ctx.queue.update(entry.id, { discardedMessageIds: null }, ctx.now);
}
