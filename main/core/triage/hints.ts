// Why a mail may have been missed (issue 8, item 5): plain words the user can act on, from the
// stored metadata and, where it is known, the text part. Pure.
import type { BusinessHours } from '../calendar/index.js';
import { zoneOffset, weekendDays, calendarOf, clock } from '../calendar/index.js';
import { isNoReplyAddress, isOwnAddress, parseContentType, readBody } from '../mail/index.js';
import type { MessageRecord } from '../model.js';

/**
 * Words of the user's own text (quotes and signature left out) above which a mail counts as
 * long. Boomerang's study of 40 million mails (2016) found 50–125 words answered most often;
 * 200 leaves room for a real question with its context.
 */
export const LONG_MAIL_WORDS = 200;
/** People in To from which nobody in particular owns the answer. */
export const MANY_IN_TO = 3;

export interface HintsInput {
  record: Pick<MessageRecord, 'to' | 'headers'>;
  /** When it was sent. */
  sentAt: Date | string | number;
  /** The user's own addresses (lower case). */
  own: ReadonlySet<string>;
  /** Whether an address is a person (not a mailing list); default: any address but no-reply ones. */
  isPerson?: (address: string) => boolean;
  /** The main recipient's window. */
  timeZone: string;
  country: string | null;
  hours?: BusinessHours | null;
  /** The message source or its text, when fetched; without it nothing is said about length. */
  text?: string | null;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function hintsFor(input: HintsInput): string[] {
  const hints: string[] = [];
  const timing = timingHint(input);
  if (timing) hints.push(timing);
  if (input.text) {
    const words = ownWords(input.text, input.record.headers['content-type']);
    if (words > LONG_MAIL_WORDS) hints.push(`long: ${words} words; short mails (under ${LONG_MAIL_WORDS} words) with one clear question get answered more often`);
  }
  const isPerson = input.isPerson ?? ((a: string) => !isNoReplyAddress(a));
  const people = input.record.to.filter((a) => !isOwnAddress(a.address, input.own) && isPerson(a.address));
  if (people.length >= MANY_IN_TO) {
    hints.push(`sent to ${people.length} people in To with no clear owner: ask one person by name and put the others in Cc`);
  }
  if (parseContentType(input.record.headers['content-type']).type === 'multipart/mixed') {
    hints.push('carried an attachment: such mail lands in Junk more often; a link or a short mail first may get through');
  }
  return hints;
}

/** Weekend, public holiday or outside business hours of the recipient, in that order. */
function timingHint(input: HintsInput): string | null {
  const ms = new Date(input.sentAt).getTime();
  if (!Number.isFinite(ms)) return null;
  const calendar = calendarOf({ timeZone: input.timeZone, country: input.country, hours: input.hours });
  const zone = calendar.zone;
  const info = calendar.day(calendar.dayOf(ms));
  if (info.free.some(([a, b]) => ms >= a && ms < b)) return null;
  const local = ms + zoneOffset(zone, ms) * 60_000;
  const at = `${WEEKDAYS[info.weekday - 1]} ${clock((local % 86_400_000) / 60_000)} their time (${zone})`;
  if (info.weekend) {
    const days = weekendDays(calendar.country).map((d) => WEEKDAYS[d - 1]);
    return `sent on ${at}, their weekend (${days.join('–')}${calendar.country ? ` in ${calendar.country}` : ''}): it waited under the new week's mail`;
  }
  if (info.holidays.length > 0 && (info.free.length === 0 || (ms >= info.windowStart && ms < info.windowEnd))) {
    return `sent on ${info.holidays.join(' and ')}, a public holiday in ${calendar.country} (${at}): it waited under the next day's mail`;
  }
  const window = `${clock(calendar.startMinute)}–${clock(calendar.endMinute)}`;
  return `sent at ${at.replace(/^\w+ /, '')}, outside their business hours ${window}: it arrived while they were away`;
}

/** Words the user wrote: the text part without quoted lines ("> ...") and the signature. */
export function ownWords(text: string, contentType?: string | null): number {
  const body = readBody(text, contentType ?? null).text;
  let words = 0;
  for (const line of body.split(/\r?\n/)) {
    if (line === '-- ' || line === '--') break; // RFC 3676 §4.3 signature separator
    if (/^\s*>/.test(line)) continue;
    const m = line.match(/\S+/g);
    if (m) words += m.length;
  }
  return words;
}
