// Reading a delivery status notification's body: what happened (failed / delayed / delivered),
// to whom, and which message it was about.
import type { BodyParts } from './body.js';
import { firstHeader, parseAddresses, parseHeaderBlock, parseMessageIds, decodeWords } from './headers.js';
import { addressesIn, noticePart } from './bounce-addresses.js';
import { MAIL_LIMITS } from './limits.js';

export type DsnAction = 'failed' | 'delayed' | 'delivered';

export interface DsnReport {
  /** The worst action over all recipients: failed > delayed > delivered; null when unknown. */
  action: DsnAction | null;
  /** Recipients the report is about (Final-Recipient / Original-Recipient, or from the text). */
  recipients: string[];
  /** RFC 3463 status code of the first failed (else first) recipient, e.g. "5.1.1". */
  status: string | null;
  /** Message-ID of the returned original (without brackets), when the body carries it. */
  originalMessageId: string | null;
  originalSubject: string | null;
  /**
   * Other addresses the notice's own text names (before the returned copy of the mail), not in
   * `recipients`: prose bounces name the failed address in as many layouts as there are MTAs;
   * the caller keeps those the user wrote to (see bounce-addresses.ts).
   */
  mentioned: string[];
  /** To and Cc of the returned original: who the mail was for (a list server names only the list). */
  originalRecipients: string[];
}

/**
 * Non-RFC 3464 bounces (qmail, old Exim, Exchange 2003, Domino, webmail providers) say it in
 * prose. Permanent failure wording, several MTAs' own sentences among them.
 */
const FAILED_TEXT =
  /(?:permanent(?:ly)? (?:error|fatal|failure)|could not be delivered|couldn't be delivered|was not delivered|wasn't able to deliver|unable to deliver|undeliverable|delivery (?:to the following recipients? )?(?:has )?failed|failed permanently|delivery failure|returned to sender|user unknown|unknown user|no such (?:user|mailbox|address)|does not exist|mailbox (?:unavailable|not found|is full|full)|over quota|quota exceeded|recipient address rejected|address rejected|rejected|blocked|i've given up|giving up|message could not|550[ -]|554[ -]|553[ -]|552[ -]|5\.\d{1,3}\.\d{1,3}|unzustellbar|konnte nicht zugestellt|non remis|n'a pas pu être remis|no se pudo entregar|no ha podido ser entregado)/i;
/** Delay warnings (RFC 3464 Action: delayed, and the prose of MTAs that write no report). */
const DELAYED_TEXT =
  /(?:has not (?:yet )?been delivered|not yet been delivered|delivery (?:is |has been |attempts? (?:are|is) )?delayed|delivery delay|still being retried|will (?:continue to |keep )?(?:re)?try|(?:will be |are being )?retried|this is a warning|warning message only|temporar(?:y|ily) (?:failure|deferred|unavailable)|do not need to resend|zustellung verzögert|wird weiter versucht|retard de (?:distribution|livraison)|entrega retrasada)/i;
const DELIVERED_TEXT = /(?:was (?:successfully )?(?:delivered|relayed)|delivery to the following recipients? (?:was )?(?:succeeded|complete|successful)|successfully delivered)/i;

/**
 * The values of a field of a DSN block (RFC 3464 §2.1: header-style fields, folded lines joined),
 * by a scan over lines: no pattern built from the name, each value capped.
 */
function field(block: string, name: string): string[] {
  const out: string[] = [];
  const lines = block.split('\n');
  const prefix = name.toLowerCase() + ':';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length < prefix.length || line.slice(0, prefix.length).toLowerCase() !== prefix) continue;
    let value = line.slice(prefix.length);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]) && value.length < MAIL_LIMITS.dsnFieldChars) value += ' ' + lines[++i];
    out.push(value.slice(0, MAIL_LIMITS.dsnFieldChars).replace(/\s+/g, ' ').trim());
  }
  return out;
}

/** Characters that end an address token: white space, angle brackets, ';' and '"'. */
const NOT_IN_ADDRESS = /[\s<>;"]/;

/**
 * The address of a recipient field: "rfc822; user@example.com" (RFC 3464 §2.3.2), sometimes in
 * angle brackets. The last token of the value, which must hold an '@' with something on both
 * sides. A backwards scan: the pattern this replaces (<?([^\s<>;"]+@[^\s<>;"]+?)>?\s*$, unanchored)
 * backtracked cubically on "a@a@a@…" (issue 14: a 3.5 KB field took 6.5 s).
 */
function addressOf(value: string): string | null {
  const v = (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value).trim();
  const end = v.endsWith('>') ? v.length - 1 : v.length;
  let start = end;
  while (start > 0 && !NOT_IN_ADDRESS.test(v[start - 1])) start--;
  const token = v.slice(start, end);
  if (token.length > MAIL_LIMITS.mailboxChars) return null;
  const at = token.indexOf('@', 1);
  if (at < 0 || at > token.length - 2) return null;
  return token.toLowerCase();
}

/** Read the parts of a DSN body (see readBody). */
export function readDsn(parts: BodyParts): DsnReport {
  const report: DsnReport = { action: null, recipients: [], status: null, originalMessageId: null, originalSubject: null, mentioned: [], originalRecipients: [] };
  const rank: Record<DsnAction, number> = { delivered: 1, delayed: 2, failed: 3 };
  const recipients = new Set<string>();
  let failedStatus: string | null = null;
  let anyStatus: string | null = null;

  for (const ds of parts.deliveryStatus) {
    // Per-recipient blocks are separated by empty lines; the first block is per-message.
    for (const block of ds.split(/\r?\n\s*\r?\n/)) {
      const actions = field(block, 'action').map((a) => a.toLowerCase());
      const status = field(block, 'status')[0]?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? null;
      for (const a of actions) {
        // RFC 3464 §2.3.3: failed, delayed, delivered, relayed, expanded.
        const act: DsnAction | null = a.startsWith('fail') ? 'failed' : a.startsWith('delay') ? 'delayed' : /^(deliver|relay|expand)/.test(a) ? 'delivered' : null;
        if (act && (!report.action || rank[act] > rank[report.action])) report.action = act;
        if (act === 'failed' && status && !failedStatus) failedStatus = status;
      }
      if (!actions.length && status && /^[45]\./.test(status) && !report.action) {
        // Some MTAs omit Action: a 5.x.x status is a permanent failure (RFC 3463 §3.1), 4.x.x
        // a transient one.
        report.action = status.startsWith('5') ? 'failed' : 'delayed';
      }
      if (status && !anyStatus) anyStatus = status;
      for (const f of [...field(block, 'final-recipient'), ...field(block, 'original-recipient')]) {
        const a = addressOf(f);
        if (a) recipients.add(a);
      }
    }
  }

  const text = parts.text;
  if (!report.action && text) {
    const head = text.slice(0, MAIL_LIMITS.dsnTextChars);
    const failed = FAILED_TEXT.test(head);
    const delayed = DELAYED_TEXT.test(head);
    // "This is a permanent error; I've given up" beats "will retry"; a pure warning says only the
    // latter, and a permanent failure statement in a warning is rare.
    if (delayed && !/permanent|given up|giving up|failed permanently|will not be retried|not going to try again|no longer (?:be )?retried|in the queue too long|too long in (?:the )?queue/i.test(head)) report.action = 'delayed';
    else if (failed) report.action = 'failed';
    else if (DELIVERED_TEXT.test(head)) report.action = 'delivered';
  }
  if (!recipients.size && text) {
    // Postfix / qmail / Exim prose: "<user@example.com>: host ... said: 550 ..." or "  user@x.com".
    const re = /<([^<>\s@]+@[^<>\s]+)>:/g;
    const head = text.slice(0, MAIL_LIMITS.dsnTextChars);
    let m: RegExpExecArray | null;
    while ((m = re.exec(head)) && recipients.size < 20) recipients.add(m[1].toLowerCase());
  }
  report.recipients = [...recipients];
  report.status = failedStatus ?? anyStatus;

  // The original's headers: a message/rfc822 or text/rfc822-headers part, else headers quoted in
  // the text after a separator ("--- Below this line is a copy of the message.").
  const headerBlocks = [...parts.originalHeaders];
  const notice = text ? noticePart(text) : '';
  if (text) {
    const i = text.search(/^(?:Message-ID|Message-Id):/im);
    if (i >= 0) headerBlocks.push(text.slice(Math.max(0, text.lastIndexOf('\n\n', i) + 1), i + 2000));
    // The copy right after the separator ("----- Unsent message follows -----"), which old
    // Sendmail and qmail return without a Message-ID: its To, Cc and Subject still count.
    if (notice.length < text.length) {
      const copy = text.slice(notice.length, notice.length + 8000);
      const firstLine = copy.indexOf('\n');
      headerBlocks.push(/^[\w-]+:/.test(copy) || firstLine < 0 ? copy : copy.slice(firstLine + 1).replace(/^\s+/, ''));
    }
  }
  report.mentioned = text ? addressesIn(notice, recipients) : [];
  const original = new Set<string>();
  for (const block of headerBlocks) {
    const map = parseHeaderBlock(block.replace(/^\s+/, ''));
    for (const name of ['to', 'cc']) for (const a of parseAddresses(firstHeader(map, name))) if (original.size < 50) original.add(a.address);
    if (!report.originalMessageId) report.originalMessageId = parseMessageIds(firstHeader(map, 'message-id'))[0] ?? null;
    if (report.originalSubject === null) {
      const subj = firstHeader(map, 'subject');
      if (subj !== null) report.originalSubject = decodeWords(subj);
    }
    if (report.originalMessageId && report.originalSubject !== null) break;
  }
  report.originalRecipients = [...original];
  return report;
}
