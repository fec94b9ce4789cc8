// Builds raw RFC 5322 messages for tests: CRLF line ends, the headers a real client writes.
import { randomBytes } from 'node:crypto';

export interface MessageSpec {
  from: string;
  to: string | string[];
  cc?: string | string[];
  subject: string;
  /** A Date is written in UTC ("+0000"). A string is written verbatim, so its offset survives
   *  ("Tue, 02 Jan 2024 09:15:00 +0530"): time-zone inference reads the raw header. */
  date?: Date | string;
  /** With or without angle brackets; default: a random id at rig.test. */
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  /** Extra headers, or replacements of the ones above (matched case-insensitively). */
  headers?: Record<string, string>;
  body?: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 3.3 date-time in UTC, e.g. "Mon, 01 Jan 2024 10:00:00 +0000". */
export function rfc5322Date(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export function newMessageId(domain = 'rig.test'): string {
  return `<${randomBytes(9).toString('hex')}@${domain}>`;
}

const bracket = (id: string) => (id.startsWith('<') ? id : `<${id}>`);
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

/** RFC 2047 encoded-word for a non-ASCII Subject (base64, UTF-8), as mail clients write it. */
export function encodeHeaderWord(text: string): string {
  return isAscii(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

export function buildMessage(spec: MessageSpec): string {
  const body = spec.body ?? 'Hello,\n\nthis is a test message.\n';
  const headers: [string, string][] = [
    ['From', spec.from],
    ['To', list(spec.to).join(', ')],
  ];
  if (spec.cc) headers.push(['Cc', list(spec.cc).join(', ')]);
  headers.push(['Subject', encodeHeaderWord(spec.subject)]);
  const date = spec.date ?? new Date();
  headers.push(['Date', typeof date === 'string' ? date : rfc5322Date(date)]);
  headers.push(['Message-ID', bracket(spec.messageId ?? newMessageId())]);
  if (spec.inReplyTo) headers.push(['In-Reply-To', bracket(spec.inReplyTo)]);
  if (spec.references) headers.push(['References', list(spec.references).map(bracket).join(' ')]);
  headers.push(['MIME-Version', '1.0']);
  headers.push(['Content-Type', 'text/plain; charset=utf-8']);
  headers.push(['Content-Transfer-Encoding', isAscii(body) ? '7bit' : '8bit']);

  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) headers[i] = [name, value];
    else headers.push([name, value]);
  }

  const head = headers.map(([n, v]) => `${n}: ${v}`).join('\r\n');
  const crlfBody = body.replace(/\r?\n/g, '\r\n');
  return `${head}\r\n\r\n${crlfBody}${crlfBody.endsWith('\r\n') ? '' : '\r\n'}`;
}
