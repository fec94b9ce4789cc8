// A MessageRecord from a few fields, built through recordFromEml (the sync's own path), for unit
// tests that need many small messages rather than .eml fixtures.
import { recordFromEml } from '../../../main/core/mail/record.js';
import type { MessageRecord } from '../../../main/core/model.js';

export interface MailSpec {
  /** Message-ID without angle brackets. */
  id: string;
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  /** RFC 5322 date, offset as written. */
  date: string;
  irt?: string;
  refs?: string[];
  /** Extra header lines, written as given ("Auto-Submitted: auto-replied"). */
  headers?: string[];
  body?: string;
  account?: string;
  folder?: string;
  uid?: number;
  flags?: string[];
}

export function mailRecord(o: MailSpec): MessageRecord {
  const lines = [
    `From: ${o.from}`,
    ...(o.to ? [`To: ${o.to}`] : []),
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject}`,
    `Date: ${o.date}`,
    `Message-ID: <${o.id}>`,
    ...(o.irt ? [`In-Reply-To: <${o.irt}>`] : []),
    ...(o.refs ? [`References: ${o.refs.map((r) => `<${r}>`).join(' ')}`] : []),
    ...(o.headers ?? []),
    '',
    o.body ?? 'text',
  ];
  return recordFromEml(lines.join('\r\n'), {
    account: o.account ?? 'work',
    folder: o.folder ?? 'INBOX',
    ...(o.uid !== undefined ? { uid: o.uid } : {}),
    flags: o.flags ?? ['\\Seen'],
  });
}
