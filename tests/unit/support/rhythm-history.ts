// Constructed mail histories for the rhythm tests: the user (pat@acme.example, account "work",
// Europe/Berlin) writes, contacts answer at chosen local times with their own Date offsets.
import { mailRecord } from './mail-record.js';
import type { MessageRecord } from '../../../main/core/model.js';

export const USER = 'pat@acme.example';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2025-03-03 10:00 +0100' → 'Mon, 3 Mar 2025 10:00:00 +0100' (the local wall clock, as written). */
export function dateHeader(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) ([+-]\d{4})$/.exec(local);
  if (!m) throw new Error(`bad local date ${local}`);
  const wall = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  return `${DAYS[wall.getUTCDay()]}, ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]} ${m[1]} ${m[4]}:${m[5]}:00 ${m[6]}`;
}

let uid = 0;

export interface MailInput {
  from: string;
  to?: string;
  cc?: string;
  subject?: string;
  /** Local time with offset: '2025-03-03 10:00 +0100'. */
  at: string;
  id?: string;
  irt?: string;
  refs?: string[];
  headers?: string[];
  folder?: string;
  body?: string;
}

export function mail(o: MailInput): MessageRecord {
  return mailRecord({
    ...o,
    id: o.id ?? `m${++uid}@test.example`,
    subject: o.subject ?? 'Proposal',
    date: dateHeader(o.at),
    folder: o.folder ?? (o.from.includes(USER) ? 'Sent' : 'INBOX'),
    uid: ++uid,
  });
}

/**
 * The user writes to `contact` at `sent` (user's local time, +0100/+0200 Berlin) and, when
 * `reply` is given, the contact answers it at that local time of theirs.
 */
export function exchange(contact: string, sent: string, reply: string | null, opts: { subject?: string; threaded?: boolean } = {}): MessageRecord[] {
  const subject = opts.subject ?? `Topic ${uid}`;
  const mine = mail({ from: `Pat <${USER}>`, to: contact, subject, at: sent });
  if (!reply) return [mine];
  const threaded = opts.threaded ?? true;
  const answer = mail({
    from: contact,
    to: USER,
    subject: `Re: ${subject}`,
    at: reply,
    ...(threaded ? { irt: mine.messageId, refs: [mine.messageId] } : {}),
  });
  return [mine, answer];
}
