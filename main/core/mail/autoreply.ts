// Is a message an answer from a person, or something a machine sent? Auto-replies,
// out-of-office notes, delivery status notifications and read receipts are never answers.
//
// Decision, documented here because the issue asks for it: calendar replies ("Accepted:",
// "Declined:", "Tentative:") ARE human answers. A person opened the invitation and clicked; the
// conversation moved on. Only when a machine says it sent them (Auto-Submitted, e.g. a room
// mailbox declining) do they count as automatic.
import type { MessageRecord } from '../model.js';
import { isNoReplyAddress, localPart } from './addresses.js';
import { readBody, parseContentType, type BodyParts } from './body.js';
import { readDsn, type DsnReport } from './dsn.js';
import { MAIL_LIMITS } from './limits.js';
import { isListMessage } from './lists.js';
import { outOfOfficeReturnDate } from './return-date.js';

export { outOfOfficeReturnDate } from './return-date.js';

export type AutomatedKind =
  | 'auto-reply'
  | 'out-of-office'
  | 'dsn-failed'
  | 'dsn-delayed'
  /** A DSN that reports success (delivered, relayed, expanded): neither answer nor bounce. */
  | 'dsn-other'
  | 'read-receipt'
  | 'calendar'
  | 'list';

export interface AutomatedClass {
  /** null: written by a person. 'calendar' and 'list' are people too (see isHumanAnswer). */
  kind: AutomatedKind | null;
  /** Why, in a few words, for explanations in the UI and debugging. */
  reason: string;
  /** Out-of-office only: the stated return date, YYYY-MM-DD. */
  returnDate?: string;
  /** DSNs read with their body: recipients, status and the original's Message-ID. */
  dsn?: DsnReport;
}

/** Whether a message of this class can answer the user's mail. */
export function isHumanAnswer(c: AutomatedClass): boolean {
  return c.kind === null || c.kind === 'calendar' || c.kind === 'list';
}

// --- senders -------------------------------------------------------------------------------

/** MTA senders of bounces (RFC 3464 / RFC 5321 §4.5.5: null reverse path, MAILER-DAEMON). */
const DAEMON_LOCAL = /^(?:mailer[-_]?daemon|mail[-_]?daemon|mdaemon|post[-_]?master|mail[-_]?delivery[-_.]?(?:system|subsystem)?|microsoftexchange[0-9a-f]{20,})$/;
const DAEMON_NAME = /^(?:mail delivery (?:system|subsystem|service)|mail ?administrator|mailer[- ]daemon|postmaster|mail system|internet mail delivery|microsoft outlook|delivery subsystem|[\w ]{0,40} ndr administrator)$/i;
/**
 * Mailing-list robots: Mailman's list-owner / list-request / list-bounces, Majordomo's owner-list,
 * fml's list-admin / list-ctl. They answer with "you are not a member" and loop alerts, carrying
 * the References of the mail they refuse. (A person answering from a role address ending in
 * -admin would be missed; that is rarer than fml's robot in old archives.)
 */
const LIST_ROBOT_LOCAL = /^(?:owner-.+|.+-(?:owner|request|bounces?|admin|ctl|confirm))$/;
/**
 * A list server telling the poster it did not distribute the post: fml's "You x@y are not member
 * (neko ML)", Mailman's "Auto-discard notification" and "Your message ... was rejected", Sympa's
 * "Message rejected". It is that list's bounce: the mail did not reach the list.
 */
const LIST_REFUSAL_SUBJECT =
  /\b(?:are not (?:a )?member|not a (?:list )?member|non-?member|auto-discard|(?:post(?:ing)?|message|mail) (?:was |has been )?(?:rejected|refused|denied|discarded|not (?:delivered|accepted|distributed))|rejected (?:post|message|mail))/i;
/** Abuse complaints in Hotmail's pre-ARF format (JMRP) and similar. */
const COMPLAINT_SUBJECT = /^\s*(?:complaint about message from|abuse report|spam report|fbl report)\b/i;

function isDaemonSender(record: MessageRecord): boolean {
  const from = record.from[0];
  if (!from) return true; // "From: <>" and friends: no person writes without a From (RFC 5322 §3.6)
  // Every DAEMON_LOCAL name starts with m or p: skip the rest for the other senders.
  const c = from.address.charCodeAt(0) | 0x20;
  if ((c === 0x6d || c === 0x70) && DAEMON_LOCAL.test(localPart(from.address))) return true;
  return from.name.length > 0 && DAEMON_NAME.test(from.name.trim());
}

// --- subjects ------------------------------------------------------------------------------

/**
 * Subjects only MTAs write: they mark a DSN whoever the sender is. Anchored at the start, so a
 * person's "Re: Undeliverable: ..." (forwarding a bounce to IT) is not one.
 */
const DSN_SUBJECT = new RegExp(
  '^\\s*(?:' +
    [
      '(?:undeliverable|undelivered|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar|olevererbart|nicht zustellbar|delivery failure|failed delivery)\\s*[:：]',
      'undelivered mail returned to sender',
      'delivery status notification\\s*\\(',
      'mail delivery (?:status notification|failed|failure|problem)',
      'returned mail\\s*:',
      'failure notice\\s*$',
      '(?:message )?delivery has failed',
      'delivery notification: delivery has failed',
      'nondeliverable mail',
      'non-?delivery (?:report|notification)',
      'mail system error',
      'warning: could not send message',
      'warning: message .{0,80} delayed',
      'delayed mail',
      'delivery delayed\\s*:',
      'undeliverable mail',
      'notification d[\'’]état de remise',
      'benachrichtigung zum übermittlungsstatus',
      'notificación de estado de entrega',
      'メールエラー',
      '配信(?:エラー|不能|失敗)',
      '送信エラー',
      '未配達',
      '退信',
      '投递失败',
      '系统退信',
    ].join('|') +
    ')',
  'i',
);
/** With a daemon sender, looser words are enough. */
const DSN_SUBJECT_LOOSE = /deliver|undeliver|failure|failed|returned|rejected|bounce|error|warning|delay|notification|message status|zustell|remise|entrega/i;
const DSN_DELAYED_SUBJECT =
  /\(delay\)|delayed|still being retried|warning: could not send|has not (?:yet )?been delivered|zustellung verzögert|verzögert|retard|retrasad|temporar/i;
const DSN_DELIVERED_SUBJECT = /\((?:success|relayed|delivered)\)|^\s*delivered\s*:|relayed|successful(?:ly)? delivered|zugestellt\s*:/i;

/** Prefixes auto-responders put in front of the original subject. Strong on their own. */
const AUTO_SUBJECT_PREFIX =
  /^\s*(?:\[\s*)?(?:automatic reply|auto[- ]?reply|auto[- ]?response|autorespons\w*|autosvar|automatisk svar|automatische antwort|abwesenheitsnotiz|abwesend|r[ée]ponse automatique|r[ée]ponse en votre absence|respuesta autom[áa]tica|risposta automatica|automatisch antwoord|automaattinen vastaus|automatyczna odpowied[źz]|otomatik yan[ıi]t|自动回复|自動回覆|自動応答|out of (?:the )?office(?: auto ?reply)?|ooo|auto|vacation(?: reply)?|fuera de la oficina|absence)\s*(?:\]\s*)?[:：]|\[\s*automatyczna odpowied[źz]\s*\]|\((?:automatic|auto) (?:response|reply)\)\s*$/i;
/** Words that say "away" in a subject; only with another sign (header, body) of automation. */
const OOO_WORDS =
  /automatic reply|automatische antwort|abwesenheitsnotiz|autosvar|r[ée]ponse automatique|respuesta autom[áa]tica|自动回复|^\s*auto:|out of (?:the )?office|\booo\b|away from (?:the |my )?(?:office|desk)|\baway until\b|on (?:annual )?leave|on vacation|on holiday|vacation|abwesen|nicht im büro|urlaub|absent|absence|en cong[ée]|fuera de la oficina|de vacaciones|ausente|is out of the office|returning|parental leave|maternity leave|sabbatical|elternzeit/i;

/** RFC 8098 MDNs and the subjects clients give them. */
const READ_RECEIPT_SUBJECT =
  /^\s*(?:read|not read|gelesen|nicht gelesen|lu|non lu|le[íi]do|no le[íi]do|gelezen|niet gelezen|l[äa]st|luettu|letto|lida|přečteno|odczytano|已读|已讀|開封済み)\s*[:：]|^\s*(?:read receipt|return receipt|lesebest[äa]tigung|accus[ée] de lecture|confirmaci[óo]n de lectura|message disposition notification)\b/i;

/** Calendar replies (RFC 5546 REPLY) as Outlook, Google and Apple title them. */
const CALENDAR_SUBJECT =
  /^\s*(?:accepted|declined|tentative|tentatively accepted|updated invitation with note|new time proposed|zugesagt|abgelehnt|mit vorbehalt|vorl[äa]ufig zugesagt|neuer zeitvorschlag|accept[ée]|refus[ée]|provisoire|nouvelle heure propos[ée]e|aceptado|rechazado|provisional|accettato|rifiutato|geaccepteerd|geweigerd|voorlopig)\s*[:：]|^\s*invitation: .* (?:accepted|declined)\b/i;

const CHALLENGE_TEXT =
  /(?:protected by \w+|verify (?:that )?you are (?:a )?(?:human|real person)|(?:added|add your address) to (?:my|the|recipient'?s?) (?:allowed|approved|white) ?list|whitelist|challenge[- ]response|approved senders? list|click (?:on )?the (?:following )?link .{0,60}(?:deliver|verif|confirm))/i;
/** "Away" in a note's text, long leaves too (parental, maternity, sabbatical; issue 15). */
const OOO_TEXT =
  /out of (?:the )?office|travel(?:l)?ing|intermittent access|away from (?:the |my )?(?:office|desk|email)|on (?:annual |parental |maternity |sick )?leave|on vacation|on holiday|limited access to (?:my )?e-?mail|nicht im büro|abwesend|im urlaub|au bureau|absent|en cong[ée]s?|fuera de la oficina|de vacaciones|ausente|returning on|back on|will be back|wieder (?:im büro|erreichbar)|de retour|regresar[ée]|(?:parental|maternity|paternity|family) leave|sabbatical|elternzeit|mutterschutz|karenz|cong[ée] (?:parental|maternit[ée]|de maternit[ée]|paternit[ée]|de paternit[ée]|sabbatique)|baja (?:por |de )?(?:maternidad|paternidad)|permiso (?:parental|de (?:maternidad|paternidad))|licencia (?:de|por) (?:maternidad|paternidad)|a[ñn]o sab[áa]tico|excedencia/i;

const PLAIN: ReturnType<typeof parseContentType> = { type: 'text/plain', params: {} };

function headerValue(record: MessageRecord, name: keyof MessageRecord['headers']): string {
  return (record.headers[name] ?? '').trim().toLowerCase();
}

/**
 * RFC 3834 §5: Auto-Submitted other than "no" marks automatic mail. X-Autoreply / X-Autorespond
 * (Courier, Zimbra, cPanel), Precedence auto_reply (RFC 3834 §5.1 mentions it as in use) and
 * Precedence bulk/junk (vacation(1) and most auto-responders). A list (vger, Mailman) stamps
 * "Precedence: bulk" on every human post too, so bulk/junk only counts without list headers.
 */
function autoHeaderReason(record: MessageRecord): string | null {
  const as = headerValue(record, 'auto-submitted');
  if (as && !as.startsWith('no')) return `Auto-Submitted: ${as}`;
  const xa = headerValue(record, 'x-autoreply');
  if (xa && xa !== 'no') return 'X-Autoreply header';
  const xr = headerValue(record, 'x-autorespond');
  if (xr && xr !== 'no') return 'X-Autorespond header';
  const prec = headerValue(record, 'precedence');
  if (/^auto[_-]?reply/.test(prec)) return `Precedence: ${prec}`;
  if ((prec === 'bulk' || prec === 'junk') && !isListMessage(record)) return `Precedence: ${prec}`;
  return null;
}

function dsnKindFromSubject(subject: string): AutomatedKind {
  if (DSN_DELAYED_SUBJECT.test(subject)) return 'dsn-delayed';
  if (DSN_DELIVERED_SUBJECT.test(subject)) return 'dsn-other';
  return 'dsn-failed';
}

function dsnKindFromReport(report: DsnReport, subject: string): AutomatedKind {
  if (report.action === 'failed') return 'dsn-failed';
  if (report.action === 'delayed') return 'dsn-delayed';
  if (report.action === 'delivered') return 'dsn-other';
  return dsnKindFromSubject(subject);
}

function readParts(record: MessageRecord, body: string | undefined): BodyParts | null {
  if (!body) return null;
  return readBody(body, record.headers['content-type'] ?? null);
}

/** `kind`: what it is whatever its body says (a list server's refusal has no delivery report). */
function classifyDsn(record: MessageRecord, parts: BodyParts | null, why: string, kind?: AutomatedKind): AutomatedClass {
  if (!parts) return { kind: kind ?? dsnKindFromSubject(record.subject), reason: why };
  const dsn = readDsn(parts);
  return { kind: kind ?? dsnKindFromReport(dsn, record.subject), reason: why, dsn };
}

function outOfOffice(record: MessageRecord, parts: BodyParts | null, why: string, ooo: boolean): AutomatedClass {
  const received = record.date ?? record.internalDate;
  const fromSubject = outOfOfficeReturnDate(record.subject, { receivedAt: received });
  const fromBody = parts ? outOfOfficeReturnDate(parts.text, { receivedAt: received }) : null;
  const returnDate = fromBody ?? fromSubject;
  // Exchange sets X-Auto-Response-Suppress on its automatic replies, which are its OOF feature.
  const isOoo = ooo || Boolean(record.headers['x-auto-response-suppress']) || OOO_WORDS.test(record.subject) || Boolean(returnDate) || (parts ? OOO_TEXT.test(parts.text.slice(0, MAIL_LIMITS.autoReplyTextChars)) : false);
  const result: AutomatedClass = { kind: isOoo ? 'out-of-office' : 'auto-reply', reason: why };
  if (returnDate) result.returnDate = returnDate;
  return result;
}

/**
 * Classify one message. `body` (the message source, or BODY[TEXT]) refines DSNs (failed vs
 * delayed, the original's Message-ID) and out-of-office return dates; without it the decision
 * rests on the headers sync keeps.
 */
export function classifyAutomated(record: MessageRecord, body?: string): AutomatedClass {
  // Most mail is text/plain or multipart/alternative: only parse what could matter.
  const ctRaw = record.headers['content-type'];
  const ct = ctRaw !== undefined && /report|calendar/i.test(ctRaw) ? parseContentType(ctRaw) : PLAIN;
  const reportType = (ct.params['report-type'] ?? '').toLowerCase();
  const subject = record.subject ?? '';
  const parts = readParts(record, body);

  // RFC 6522 multipart/report: the report type says what it is.
  if (ct.type === 'multipart/report') {
    if (reportType === 'delivery-status' || reportType === 'global-delivery-status') return classifyDsn(record, parts, 'multipart/report; report-type=delivery-status (RFC 3464)');
    if (reportType === 'disposition-notification') return { kind: 'read-receipt', reason: 'multipart/report; report-type=disposition-notification (RFC 8098)' };
    if (reportType === 'feedback-report') return { kind: 'auto-reply', reason: 'abuse feedback report (RFC 5965)' };
  }
  const autoSubmitted = headerValue(record, 'auto-submitted');
  if (isDaemonSender(record)) return classifyDsn(record, parts, record.from[0] ? `sent by ${record.from[0].address}` : 'no From address');
  if (DSN_SUBJECT.test(subject)) return classifyDsn(record, parts, `delivery report subject "${subject.slice(0, 60)}"`);
  if (/\((?:failure|warning-timeout|warning)\)/.test(autoSubmitted)) return classifyDsn(record, parts, `Auto-Submitted: ${autoSubmitted}`);
  if (ct.type === 'multipart/report' && DSN_SUBJECT_LOOSE.test(subject)) return classifyDsn(record, parts, 'multipart/report with a delivery subject');

  if (READ_RECEIPT_SUBJECT.test(subject)) return { kind: 'read-receipt', reason: `read receipt subject "${subject.slice(0, 40)}"` };
  if (parts && parts.dispositions.length) return { kind: 'read-receipt', reason: 'message/disposition-notification part' };

  const autoReason = autoHeaderReason(record);
  const isCalendar = CALENDAR_SUBJECT.test(subject) || ct.type === 'text/calendar' || Boolean(parts?.calendar.some((c) => /METHOD:\s*REPLY/i.test(c)));
  if (autoReason) {
    // A room or resource mailbox answering an invitation is a machine too.
    return outOfOffice(record, parts, autoReason, false);
  }
  if (AUTO_SUBJECT_PREFIX.test(subject)) return outOfOffice(record, parts, `auto-reply subject "${subject.slice(0, 40)}"`, false);
  // Exchange marks its own automatic mail with X-Auto-Response-Suppress; Outlook also sets it on
  // some mail people write, so it needs an "away" subject as well.
  if (record.headers['x-auto-response-suppress'] && OOO_WORDS.test(subject)) {
    return outOfOffice(record, parts, 'X-Auto-Response-Suppress with an out-of-office subject', true);
  }
  if (isCalendar) return { kind: 'calendar', reason: 'calendar reply: a person answered the invitation' };

  const from = record.from[0]?.address ?? '';
  if (from && LIST_ROBOT_LOCAL.test(localPart(from))) {
    if (LIST_REFUSAL_SUBJECT.test(subject)) return classifyDsn(record, parts, `a mailing-list server (${from}) refused the post`, 'dsn-failed');
    return { kind: 'auto-reply', reason: `sent by a mailing-list robot (${from})` };
  }
  if (COMPLAINT_SUBJECT.test(subject)) return { kind: 'auto-reply', reason: 'abuse complaint report' };
  if (from && isNoReplyAddress(from)) return { kind: 'auto-reply', reason: `sent from a no-reply address (${from})` };
  if (parts && CHALLENGE_TEXT.test(parts.text.slice(0, MAIL_LIMITS.challengeTextChars))) return { kind: 'auto-reply', reason: 'challenge-response (asks to verify the sender)' };
  if (isListMessage(record)) return { kind: 'list', reason: 'came through a mailing list (List-Id / List-Post)' };
  return { kind: null, reason: 'written by a person' };
}

/**
 * Which records the service should fetch a body for before calling findUnanswered: DSNs (their
 * report says failed or delayed and which mail they return) and auto-replies (the return date).
 * Read receipts, calendar replies, list mail and people's mail are decided by headers alone.
 */
export function needsBody(record: MessageRecord): boolean {
  // The service asks this of every record without a body: most are people's mail, so a cheap
  // look at the few signals that can lead to a DSN or an auto-reply comes first.
  const h = record.headers;
  const autoHeaders =
    h['auto-submitted'] !== undefined || h['x-autoreply'] !== undefined || h['x-autorespond'] !== undefined || h['precedence'] !== undefined || h['x-auto-response-suppress'] !== undefined;
  if (!autoHeaders && !mayBeDsn(record) && !AUTO_SUBJECT_PREFIX.test(record.subject)) return false;
  const c = classifyAutomated(record);
  if (c.kind === 'dsn-failed' || c.kind === 'dsn-delayed' || c.kind === 'dsn-other') return true;
  // An out-of-office whose subject already states the date needs nothing more.
  if (c.kind === 'out-of-office') return !c.returnDate;
  // Auto-replies by header or subject may be out-of-office notes whose date is in the text;
  // notifications from no-reply senders, list robots and abuse reports never state one.
  if (c.kind === 'auto-reply') return TEXT_MAY_HELP.test(c.reason);
  return false;
}

/** Reasons (see classifyAutomated) of auto-replies whose text may state a return date. */
const TEXT_MAY_HELP = /^(?:Auto-Submitted|X-Autoreply|X-Autorespond|Precedence|auto-reply subject|X-Auto-Response-Suppress)/;

/**
 * A cheap test run over every record to find possible DSNs that did not thread: false means
 * classifyAutomated would not call it a DSN.
 */
export function mayBeDsn(record: MessageRecord): boolean {
  const ct = record.headers['content-type'];
  if (ct !== undefined && /^\s*multipart\/report/i.test(ct)) return true;
  const as = record.headers['auto-submitted'];
  if (as !== undefined && /\((?:failure|warning)/i.test(as)) return true;
  if (isDaemonSender(record)) return true;
  if (!record.subject.length) return false;
  if (DSN_SUBJECT.test(record.subject)) return true;
  return LIST_REFUSAL_SUBJECT.test(record.subject) && LIST_ROBOT_LOCAL.test(localPart(record.from[0]?.address ?? ''));
}
