// Which addresses a bounce is about, when it carries no RFC 3464 report. Many MTAs (Exim, qmail,
// Sendmail's prose, Lotus Domino, GroupWise, Exchange 2003, Yahoo, AOL, Amazon WorkMail) write
// the failed address somewhere in their own words ("The following address(es) failed:
// kijitora@example.jp", "was not delivered to: ... because", ">>> a@b (Undelivered)"), in as
// many layouts as there are MTAs. Rather than one pattern per MTA, this takes every address the
// notice names *before* the returned copy of the mail begins; the caller keeps those the user
// really wrote to shortly before the bounce. Scanning is by hand, character by character: linear
// on any input (a stranger's "a@a@a@..." line costs one pass), no regular expression to backtrack.
import { localPart } from './addresses.js';

/** What is read of a notice's text: the notice itself is short; the copy of the mail follows it. */
const MAX_NOTICE_CHARS = 16_000;
/** Addresses kept from one notice (a bounce for a mail to a whole team names a few dozen). */
const MAX_ADDRESSES = 50;
/** RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

/**
 * Where the returned copy of the mail starts in a notice's text: a separator line ("------ This
 * is a copy of the message, including all the headers. ------", "--- Below this line is a copy
 * of the message.", "----- Original message -----", Exchange's "Original message headers:") or
 * the first line of a header block. Tested per line, so each test sees one short line.
 */
const COPY_SEPARATOR = /^[\s>]*(?:[-=_*]{2,}[^-=_*]{0,30}(?:copy|original|returned|unsent|undelivered|below|headers|message follows)|original message headers|(?:return-path|received|dkim-signature|message-id|x-mailer|mime-version):)/i;

/** Local parts of the servers' own mailboxes: named in every notice, never a failed recipient. */
const SERVER_LOCAL = /^(?:mailer[-_.]?daemon|postmaster|mail[-_.]?delivery[-_.]?(?:system|subsystem)?|double-bounce|abuse|hostmaster|root)$/;

const isLocalChar = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
  c === 0x2e || c === 0x2d || c === 0x5f || c === 0x2b || c === 0x3d || c === 0x27 || c === 0x26 || c === 0x25 || c === 0x21 || c === 0x23 || c === 0x24 || c === 0x2a || c === 0x2f || c === 0x3f || c === 0x5e || c === 0x60 || c === 0x7b || c === 0x7c || c === 0x7d || c === 0x7e;
const isDomainChar = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d;

/** The text of the notice before the returned copy of the mail. */
export function noticePart(text: string): string {
  const head = text.length > MAX_NOTICE_CHARS ? text.slice(0, MAX_NOTICE_CHARS) : text;
  let start = 0;
  while (start < head.length) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    // Only the start of a line can be a separator; 200 characters are plenty to tell.
    if (COPY_SEPARATOR.test(head.slice(start, Math.min(end, start + 200)))) return head.slice(0, start);
    start = end + 1;
  }
  return head;
}

/**
 * Every address `text` names, lower case, in order, without duplicates, without the servers'
 * own mailboxes (postmaster, MAILER-DAEMON) and without those in `exclude`.
 */
export function addressesIn(text: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let at = text.indexOf('@');
  while (at >= 0 && out.length < MAX_ADDRESSES) {
    let s = at;
    while (s > 0 && at - s < MAX_LOCAL && isLocalChar(text.charCodeAt(s - 1))) s--;
    let e = at + 1;
    while (e < text.length && e - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(e))) e++;
    // A sentence's full stop or a dash after the address is not part of it.
    while (e > at + 1 && (text.charCodeAt(e - 1) === 0x2e || text.charCodeAt(e - 1) === 0x2d)) e--;
    while (s < at && text.charCodeAt(s) === 0x2e) s++;
    const local = text.slice(s, at);
    const domain = text.slice(at + 1, e).toLowerCase();
    const dot = domain.lastIndexOf('.');
    // A domain with a dot and a top-level label of letters (not "host@1.2.3.4" or "a@b").
    if (local && dot > 0 && dot < domain.length - 2 && /^[a-z]{2,63}$/.test(domain.slice(dot + 1))) {
      const address = `${local.toLowerCase()}@${domain}`;
      if (!seen.has(address) && !exclude.has(address) && !SERVER_LOCAL.test(localPart(address))) {
        seen.add(address);
        out.push(address);
      }
    }
    at = text.indexOf('@', Math.max(e, at + 1));
  }
  return out;
}

/**
 * The recipient a VERP return address names (Variable Envelope Return Path): Mailman's
 * "list-bounces+user=example.com@lists.example.org", ezmlm's "list-return-42-user=example.com@...",
 * and the same scheme at bulk senders ("bounce+user=example.com@mail.example.net"). A bounce is
 * sent to the return path, so the To of a bounce to such an address names who failed. Null for
 * anything else, SRS addresses (RFC-less Sender Rewriting Scheme, "SRS0=hash=tt=domain=local@")
 * included.
 */
export function verpRecipient(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const local = address.slice(0, at).toLowerCase();
  if (local.startsWith('srs0=') || local.startsWith('srs1=')) return null;
  const eq = local.lastIndexOf('=');
  if (eq < 0) return null;
  let start = local.indexOf('+') + 1; // Mailman and most: after the first '+'
  if (start === 0) {
    const ret = local.indexOf('-return-'); // ezmlm: "-return-<number>-"
    if (ret < 0) return null;
    start = ret + '-return-'.length;
    while (start < local.length && local.charCodeAt(start) >= 0x30 && local.charCodeAt(start) <= 0x39) start++;
    if (local[start] !== '-') return null;
    start++;
  }
  if (start >= eq) return null;
  const user = local.slice(start, eq);
  const domain = local.slice(eq + 1);
  if (!user || !domain.includes('.') || user.includes('=') || domain.startsWith('.') || domain.endsWith('.')) return null;
  return `${user}@${domain}`;
}
