// The follow-up mail itself (issue 6 item 3): a reply in the thread, from the same account to the
// original recipients, `Re: …`, the template filled in and the original quoted below.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Address, FolderRole, MessageRecord } from '../model.js';
import { withCrlf } from '../imap/index.js';
import type { FollowUpFields } from './queue.js';
import { firstNameFor, renderFollowUp, replySubject, templateForStep } from './template.js';

/**
 * RFC 5322 §3.6.4 sets no limit on References, but long ones get cut by servers (Exchange keeps
 * ~ 1 kB) and cost every later reply; like most clients we keep the root (the thread's anchor
 * for JWZ threading) and the most recent ids.
 */
export const MAX_REFERENCES = 20;

const usableId = (id: string) => id.includes('@') && id.length < 250 && !/[\s<>]/.test(id);

export interface ThreadHeaders {
  subject: string;
  inReplyTo: string;
  references: string[];
}

/** Subject, In-Reply-To and References of a reply to `original` (ids without angle brackets). */
export function threadHeaders(original: Pick<MessageRecord, 'subject' | 'messageId' | 'references'>): ThreadHeaders {
  const refs: string[] = [];
  for (const id of [...original.references, original.messageId]) if (usableId(id) && !refs.includes(id)) refs.push(id);
  const references = refs.length > MAX_REFERENCES ? [refs[0], ...refs.slice(refs.length - (MAX_REFERENCES - 1))] : refs;
  return { subject: replySubject(original.subject), inReplyTo: original.messageId, references };
}

/** A fresh Message-ID at the sender's domain (RFC 5322 §3.6.4: unique; the right side a domain). */
export function newMessageId(fromAddress: string): string {
  const at = fromAddress.lastIndexOf('@');
  const domain = at >= 0 ? fromAddress.slice(at + 1).toLowerCase() : '';
  const right = /^[a-z0-9.-]+$/.test(domain) ? domain : 'inbox-triage.invalid';
  return `${Date.now().toString(36)}.${randomBytes(9).toString('hex')}.triage@${right}`;
}

export interface FollowUpTextInput {
  /** 1 for the first nudge, 2 for the second... */
  step: number;
  /** The user's own text instead of the template (placeholders still work). */
  template?: string | null;
  recipient: Address;
  original: Pick<MessageRecord, 'subject' | 'from' | 'date' | 'internalDate'>;
  /** The original's text part; null when it could not be fetched. */
  originalText: string | null;
  /** The user's zone, for the "On <date>, <you> wrote:" line. */
  userTimeZone: string;
  /** The name to sign with (Settings, else the user's display name); null/undefined: no sign-off. */
  signOffName?: string | null;
}

/** The text body: the template, then the quote (the subject alone when the text is unknown). */
export function followUpText(input: FollowUpTextInput): string {
  const { recipient, original } = input;
  return renderFollowUp({
    template: input.template ?? templateForStep(input.step),
    firstName: firstNameFor({ name: recipient.name, address: recipient.address }),
    subject: original.subject,
    originalText: input.originalText ?? `[Subject: ${original.subject || '(no subject)'}]`,
    originalFrom: original.from,
    originalDate: original.date ?? original.internalDate,
    timeZone: input.userTimeZone,
    ...(input.signOffName !== undefined ? { signOff: signOffFor(input.signOffName) } : {}),
  });
}

/** "Best regards,\nPat Doe"; without a known name the closing alone. */
export function signOffFor(name: string | null): string {
  const clean = (name ?? '').replace(/[\r\n]+/g, ' ').trim();
  return clean ? `Best regards,\n${clean}` : 'Best regards';
}

/** The queue entry's message fields (one definition: queue.ts), and the Date to write. */
export type RawMessageInput = Pick<FollowUpFields, 'from' | 'to' | 'cc' | 'toNamed' | 'ccNamed' | 'subject' | 'text' | 'messageId' | 'inReplyTo' | 'references'> & {
  date: Date;
};

/**
 * The RFC 5322 message, built once; the SMTP transaction and the Sent copy use these bytes.
 * MailComposer ends header lines with CRLF but leaves a 7bit text body's bare LF as they are:
 * CRLF throughout, so the Sent copy is what the recipient got and any server takes it.
 */
export async function buildRawMessage(m: RawMessageInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: m.from.name ? { name: m.from.name, address: m.from.address } : m.from.address,
    // The names the original carried ("Bob Miller <bob@…>"); entries queued before they were kept
    // have bare addresses only.
    to: named(m.to, m.toNamed),
    ...(m.cc.length ? { cc: named(m.cc, m.ccNamed) } : {}),
    subject: m.subject,
    text: m.text,
    messageId: `<${m.messageId}>`,
    inReplyTo: `<${m.inReplyTo}>`,
    references: m.references.map((r) => `<${r}>`),
    date: m.date,
    // RFC 3834 §3.1.7 would have us say nothing: a follow-up is written for a person, on their behalf.
    xMailer: false,
  });
  return withCrlf(await composer.compile().build());
}

/** Each address with its display name where one is known (nodemailer encodes it, RFC 2047). */
function named(bare: string[], withNames: Address[] | undefined): (string | { name: string; address: string })[] {
  const names = new Map((withNames ?? []).map((a) => [a.address.toLowerCase(), a.name.replace(/[\r\n]+/g, ' ').trim()]));
  return bare.map((address) => {
    const name = names.get(address.toLowerCase());
    return name && name.toLowerCase() !== address.toLowerCase() ? { name, address } : address;
  });
}

/** Where to read a message from: a Sent copy first (the user's own mail), else any location. */
export function bestLocation(record: MessageRecord, roles: Map<string, FolderRole>): { folder: string; uid: number } | null {
  const order: FolderRole[] = ['sent', 'all', 'archive', 'inbox', 'other', 'drafts', 'junk', 'trash'];
  const sorted = [...record.locations].sort((a, b) => order.indexOf(roles.get(a.folder) ?? 'other') - order.indexOf(roles.get(b.folder) ?? 'other'));
  const loc = sorted[0];
  return loc ? { folder: loc.folder, uid: loc.uid } : null;
}
