// Where the witness copy of a follow-up goes (sender.ts, invariant 3): an extra envelope
// recipient whose copy lands in the user's own mailbox, where IMAP can see it after a crash.
//
// It must reach this mailbox and nothing else. The From address does not qualify: it may be a
// shared alias (sales@), and then the whole group silently gets every follow-up, while an alias
// delivered elsewhere leaves no copy here, so a crash after DATA sends a second time.
//
// - The login, when it is an address: it names the mailbox one signs in to, the user's own.
// - Else a sub-address (RFC 5233) of the user's address whose local part is the login's
//   (login "pat", address pat@acme.com → pat+triage-witness@acme.com), checked once by a
//   delivery probe: a small message to it, looked for by IMAP in this account, then deleted.
//   The result is remembered on the account; a failed check is tried again after a week.
// - Else none: the follow-up goes without a witness, and a send that ended ambiguously (the
//   connection lost after the whole message) is not sent again by itself: the user is asked.
import type { AccountConfig, FolderState, WitnessCheck } from '../model.js';
import type { Logger } from '../deps/index.js';
import type { Store } from '../store/index.js';
import { deleteCopies, findCopies, type ImapClient } from '../imap/index.js';
import { domainOf, localPart } from '../mail/index.js';
import { smtpTransaction } from '../smtp/index.js';
import { newMessageId } from './compose.js';

export const WITNESS_TAG = 'triage-witness';
/** Real time a probe is looked for (the rig and most servers deliver before their 250). */
export const PROBE_WAIT_MS = 30_000;
/** A probe that found no address is tried again after this long (real time). */
export const PROBE_AGAIN_MS = 7 * 86_400_000;

/** The login when it is an address (local@domain, nothing else), lower case; else null. */
export function loginAddress(account: Pick<AccountConfig, 'imap'>): string | null {
  const user = account.imap.user.trim();
  return /^[^@\s\\/]+@[^@\s\\/]+$/.test(user) ? user.toLowerCase() : null;
}

/** The sub-address a probe checks: of the user's address named like the login; null if none is. */
export function probeCandidate(account: Pick<AccountConfig, 'imap' | 'addresses'>): { base: string; candidate: string } | null {
  // "DOMAIN\pat" (Exchange) signs in as pat.
  const login = account.imap.user.trim().toLowerCase().split('\\').pop() ?? '';
  const base = account.addresses.find((a) => localPart(a) === login && domainOf(a) !== '');
  return base ? { base, candidate: `${login}+${WITNESS_TAG}@${domainOf(base)}` } : null;
}

export interface WitnessContext {
  account: AccountConfig;
  folders: FolderState[];
  password: string | null;
  imap: () => Promise<ImapClient>;
  store: Store;
  log: Logger;
  probeWaitMs?: number;
}

/** The witness address for this account's sends, or null (none that reaches only this mailbox). */
export async function witnessAddress(ctx: WitnessContext): Promise<string | null> {
  const login = loginAddress(ctx.account);
  if (login) return login;
  const known = ctx.account.witness;
  if (known && (known.address || Date.now() - Date.parse(known.checkedAt) < PROBE_AGAIN_MS)) return known.address;
  const check = await probeWitness(ctx);
  if (!check) return null; // a temporary failure: the next send-due asks again
  // Saved on the account as stored now (the user may have changed it meanwhile).
  const current = await ctx.store.getAccount(ctx.account.name);
  if (current) await ctx.store.saveAccount({ ...current, witness: check });
  if (check.address) ctx.log.info(`${ctx.account.name}: witness copies go to ${check.address} (a delivery check reached this mailbox)`);
  else ctx.log.warn(`${ctx.account.name}: follow-ups go without a witness copy: ${check.note}`);
  return check.address;
}

/** Send the probe and look for it. Null when it could not be sent for a temporary reason. */
async function probeWitness(ctx: WitnessContext): Promise<WitnessCheck | null> {
  const checkedAt = new Date().toISOString();
  const names = probeCandidate(ctx.account);
  if (!names) {
    return { address: null, checkedAt, note: `the login "${ctx.account.imap.user}" is not an address, and none of the account's addresses is named like it` };
  }
  if (!ctx.account.smtp) return null;
  const messageId = newMessageId(names.base);
  const outcome = await smtpTransaction({
    server: ctx.account.smtp,
    password: ctx.password,
    envelopeFrom: names.base,
    recipients: [names.candidate],
    witness: null,
    raw: probeMessage(names.base, names.candidate, messageId),
    onDataEnd: async () => undefined,
  });
  if (!outcome.ok) return outcome.permanent ? { address: null, checkedAt, note: `the server refused ${names.candidate}: ${outcome.reason}` } : null;
  const waitMs = ctx.probeWaitMs ?? PROBE_WAIT_MS;
  const client = await ctx.imap();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const copies = await findCopies(client, ctx.folders, messageId);
    if (copies.length) {
      for (const c of copies) await deleteCopies(client, c.path, c.uids);
      return { address: names.candidate, checkedAt };
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { address: null, checkedAt, note: `a delivery check sent to ${names.candidate} did not arrive in this mailbox within ${Math.round(waitMs / 1000)} s` };
}

/** The probe: plain text, CRLF, marked automatic (RFC 3834 §5: no auto-reply to it). */
function probeMessage(from: string, to: string, messageId: string): Buffer {
  const date = new Date().toUTCString().replace(/GMT$/, '+0000');
  return Buffer.from(
    [
      `From: <${from}>`,
      `To: <${to}>`,
      'Subject: inbox-triage delivery check (you can delete this)',
      `Date: ${date}`,
      `Message-ID: <${messageId}>`,
      'Auto-Submitted: auto-generated',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'inbox-triage checks once that this address reaches your mailbox, so that it can tell after',
      'a crash whether a follow-up went out. It deletes this message when it finds it.',
      '',
    ].join('\r\n'),
    'latin1',
  );
}
