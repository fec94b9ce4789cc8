// The follow-up text (issue 6 item 3, issue 8 item 6): short, polite, names the original subject,
// ends with one yes/no or one concrete question, and quotes the original below.
import { DateTime } from 'luxon';
import type { Address } from '../model.js';
import type { FollowUpLanguage } from '../api.js';
import { normalizeZone } from '../calendar/index.js';
import { trimEndChars } from '../mail/index.js';
import { PHRASES, stepName, type FollowUpStep } from './phrases.js';

export type { FollowUpStep };

/** Editable defaults. `{firstName}` vanishes with the space before it when no name is known. */
export const FOLLOW_UP_TEMPLATES: Readonly<Record<FollowUpStep, string>> = Object.freeze({
  first: PHRASES.en.nudges.first.replace('{greeting}', 'Hi {firstName},'),
  second: PHRASES.en.nudges.second.replace('{greeting}', 'Hi {firstName},'),
  last: PHRASES.en.nudges.last.replace('{greeting}', 'Hi {firstName},'),
});

/** 1 → first nudge, 2 → second, 3 and later → last. */
export function templateForStep(step: number): string {
  return FOLLOW_UP_TEMPLATES[stepName(step)];
}

// Reply prefixes of common clients and languages: Re, RE, AW/Antw (de, nl), SV/VS (nordic),
// Réf (fr), RIF/R (it), Odp (pl), ΑΠ/ΣΧΕΤ (el), 回复/回覆/答复 (zh), 返信 (ja), also "Re[2]:" and
// "Re(2):" counters. The full-width colon is what CJK clients write.
const REPLY_PREFIX = /^\s*(?:re|aw|antw|antwort|sv|vs|réf|ref|rif|r|odp|ynt|atb|απ|σχετ|回复|回覆|答复|返信)\s*(?:(?:\[\d+\]|\(\d+\))\s*)?[:：]\s*/i;
const FORWARD_PREFIX = /^\s*(?:fwd?|wg|tr|rv|vb|fs|enc|転送|转发)\s*[:：]\s*/i;

/** The subject without leading reply prefixes ("Re: AW: RE: Budget" → "Budget"). */
export function stripReplyPrefixes(subject: string): string {
  let s = typeof subject === 'string' ? subject : '';
  for (let i = 0; i < 20; i++) {
    const next = s.replace(REPLY_PREFIX, '');
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

/** `Re: <original>`, never "Re: Re: ...". */
export function replySubject(subject: string): string {
  const base = stripReplyPrefixes(subject);
  return base === '' ? 'Re:' : `Re: ${base}`;
}

/** The subject as named in the text: reply and forward prefixes removed. */
function subjectForText(subject: string): string {
  let s = typeof subject === 'string' ? subject.replace(/\s+/g, ' ') : '';
  for (let i = 0; i < 20; i++) {
    const next = stripReplyPrefixes(s).replace(FORWARD_PREFIX, '');
    if (next === s) break;
    s = next;
  }
  return s.trim();
}

export interface RenderFollowUpInput {
  /** The template text with `{firstName}` and `{subject}` placeholders. */
  template: string;
  firstName: string | null;
  /** The original subject (prefixes are removed for the text). */
  subject: string;
  /** The original's text part; quoted below when given. */
  originalText?: string | null;
  originalFrom: Address | Address[] | string;
  originalDate: Date | string;
  /** Zone the attribution line's date is written in (the user's); default UTC. */
  timeZone?: string | null;
  /**
   * The closing ("Best regards,\nPat"), put after the text and before the quote. A template that
   * places `{signOff}` itself gets it there instead; undefined: no closing.
   */
  signOff?: string | null;
  /** The language of the attribution line and of the stand-in for an empty subject; default en. */
  language?: FollowUpLanguage;
}

/** Most mail clients show the first screen of a quote; the rest is noise in a nudge. */
export const MAX_QUOTED_LINES = 40;

/** The follow-up's text body: the filled template, then "On <date>, <from> wrote:" and "> " lines. */
export function renderFollowUp(input: RenderFollowUpInput): string {
  const { template, firstName, subject, originalText, originalFrom, originalDate, timeZone, signOff } = input;
  const phrases = PHRASES[input.language ?? 'en'] ?? PHRASES.en;
  const name = typeof firstName === 'string' ? firstName.trim() : '';
  const named = subjectForText(subject);
  let body = String(template ?? '');
  // Without a name the placeholder goes with the blanks before it ("Hi {firstName}," → "Hi,").
  body = name ? body.replace(/\{firstName\}/g, () => name) : body.split('{firstName}').map((piece, i, all) => (i < all.length - 1 ? trimEndChars(piece, ' \t') : piece)).join('');
  const previous = phrases.previousMessage;
  // Quotes of every template language: "…", “…”, „…“, «…», « … ».
  body = named
    ? body.replace(/\{subject\}/g, () => named)
    : body.replace(/["“„«][ \u00a0]?\{subject\}[ \u00a0]?["”“»]/g, () => previous).replace(/\{subject\}/g, () => previous);
  body = body.replace(/\r\n?/g, '\n').trimEnd();
  if (typeof signOff === 'string') {
    body = body.includes('{signOff}') ? body.replace(/\{signOff\}/g, () => signOff) : `${body}\n\n${signOff}`;
  }
  const text = typeof originalText === 'string' ? originalText.replace(/\r\n?/g, '\n').trimEnd() : '';
  if (!text) return `${body}\n`;
  const lines = text.split('\n');
  const shown = lines.slice(0, MAX_QUOTED_LINES).map((l) => (l.trimEnd() === '' ? '>' : `> ${l.trimEnd()}`));
  if (lines.length > MAX_QUOTED_LINES) shown.push('> [...]');
  return `${body}\n\n${attribution(originalFrom, originalDate, timeZone, input.language ?? 'en')}\n${shown.join('\n')}\n`;
}

function attribution(from: Address | Address[] | string, date: Date | string, timeZone: string | null | undefined, language: FollowUpLanguage): string {
  const phrases = PHRASES[language] ?? PHRASES.en;
  const zone = normalizeZone(timeZone) ?? 'UTC';
  const ms = date instanceof Date ? date.getTime() : Date.parse(String(date));
  const who = formatFrom(from);
  if (!Number.isFinite(ms)) return phrases.undated.replace('{who}', () => who);
  const when = DateTime.fromMillis(ms, { zone, locale: phrases.dateLocale }).toFormat(phrases.dateFormat) + (zone === 'UTC' ? ' UTC' : '');
  return phrases.attribution.replace('{date}', () => when).replace('{who}', () => who);
}

function formatFrom(from: Address | Address[] | string): string {
  const first = Array.isArray(from) ? from[0] : from;
  if (!first) return 'you';
  if (typeof first === 'string') return first;
  const name = (first.name ?? '').replace(/["\r\n]/g, '').trim();
  return name && name.toLowerCase() !== first.address ? `${name} <${first.address}>` : first.address;
}

export { firstNameFor, type FirstNameInput } from './first-name.js';
