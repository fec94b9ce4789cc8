// The return date an out-of-office reply states, in English, German, French and Spanish.
// Pure: the only clock is the mail's own date (`receivedAt`), used to place year-less dates.
import { MAIL_LIMITS } from './limits.js';

const MONTHS: Record<string, number> = {};
const addMonths = (names: string, month: number) => {
  for (const n of names.split(' ')) MONTHS[n] = month;
};
addMonths('january jan januar jänner jaenner janvier janv enero ene', 1);
addMonths('february feb februar feber février fevrier févr fevr febrero', 2);
addMonths('march mar märz maerz mär mars marzo', 3);
addMonths('april apr avril avr abril abr', 4);
addMonths('may mai mayo', 5);
addMonths('june jun juni juin junio', 6);
addMonths('july jul juli juillet juil julio', 7);
addMonths('august aug août aout agosto ago', 8);
addMonths('september sep sept septembre septiembre setiembre', 9);
addMonths('october oct oktober okt octobre octubre', 10);
addMonths('november nov noviembre novembre', 11);
addMonths('december dec dezember dez décembre decembre déc diciembre dic', 12);

const WEEKDAYS: Record<string, number> = {};
const addWeekday = (names: string, day: number) => {
  for (const n of names.split(' ')) WEEKDAYS[n] = day;
};
addWeekday('sunday sun sonntag so dimanche domingo', 0);
addWeekday('monday mon montag mo lundi lunes', 1);
addWeekday('tuesday tue tues dienstag di mardi martes', 2);
addWeekday('wednesday wed mittwoch mi mercredi miércoles miercoles', 3);
addWeekday('thursday thu thur thurs donnerstag do jeudi jueves', 4);
addWeekday('friday fri freitag fr vendredi viernes', 5);
addWeekday('saturday sat samstag sonnabend sa samedi sábado sabado', 6);

const alt = (words: string[]) =>
  words
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
const MONTH_ALT = alt(Object.keys(MONTHS));
// Two-letter German weekday abbreviations ("Mo", "Di") only with a dot or comma after them.
const WEEKDAY_ALT = alt(Object.keys(WEEKDAYS).filter((w) => w.length > 2));
const WD = `(?:(?:${WEEKDAY_ALT})\\.?,?\\s+|(?:mo|di|mi|do|fr|sa|so)[.,]\\s*)`;
const FILLER = `(?:\\s|,|:|the|le|el|la|den|dem|am|on|du|del|zum)*`;
const ORD = '(?:st|nd|rd|th|er|ème|eme|º|°|\\.)?';

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
const NUMERIC_RE = /^(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2})(?!\d))?(?![\d/-])/;
const DAY_MONTH_RE = new RegExp(`^(\\d{1,2})${ORD}\\s*(?:de\\s+)?(${MONTH_ALT})\\b\\.?(?:,?\\s*(?:de\\s+)?(\\d{4}))?`, 'i');
const MONTH_DAY_RE = new RegExp(`^(${MONTH_ALT})\\b\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORD}(?!\\d)(?:,?\\s*(\\d{4}))?`, 'i');
const WEEKDAY_ONLY_RE = new RegExp(`^(${WEEKDAY_ALT})\\b`, 'i');
/** Month names alone ("back in January"): written out, so "mar" (Spanish "sea") or "dec" do not count. */
const FULL_MONTH_ALT = alt(Object.keys(MONTHS).filter((m) => m.length >= 4 || m === 'may' || m === 'mai'));
/**
 * "in January", "im März", "en janvier", "early January", "enero de 2028": a month without a
 * day. Anchored, each part a bounded choice: linear.
 */
const MONTH_ONLY_RE = new RegExp(
  `^(?:(?:in|im|en|au\\s+mois\\s+de|ab|from)\\s+)?(?:(?:early|the\\s+beginning\\s+of|the\\s+start\\s+of|beginning\\s+of|start\\s+of|anfang|début|debut|principios\\s+de|comienzos\\s+de)\\s+)?(${FULL_MONTH_ALT})\\b\\.?(?:,?\\s*(?:de\\s+|del\\s+)?(\\d{4})\\b)?`,
  'i',
);

interface Trigger {
  re: RegExp;
  /** Day/month order for an ambiguous numeric date when both readings are as near. */
  lang: 'en' | 'de' | 'fr' | 'es';
  /** "ab dem 3.12." alone may be the start of the absence; it must say "wieder"/"zurück" too. */
  needsReturnWord?: boolean;
}

const TRIGGERS: Trigger[] = [
  { lang: 'en', re: /\b(?:be\s+back|back\s+in\s+(?:the\s+)?office|back|return(?:ing|s)?(?:\s+to\s+(?:the\s+)?(?:office|work))?|in\s+the\s+office|available(?:\s+again)?|reachable)(?:\s+(?:on|by|at|after))?\b/gi },
  { lang: 'en', re: /\b(?:until|till|through|thru)\b/gi },
  { lang: 'de', re: /\b(?:bis(?:\s+einschlie(?:ß|ss)lich)?(?:\s+(?:zum|dem|am|den))*|(?:wieder|zurück|zurueck)(?:\s+(?:am|ab))?(?:\s+(?:dem|den))?)(?=[\s\d])/gi },
  { lang: 'de', re: /\bab(?:\s+(?:dem|den|kommendem|kommenden))?(?=[\s\d])/gi, needsReturnWord: true },
  // "im Februar wieder erreichbar": the month comes before the return word.
  { lang: 'de', re: /\bim(?=\s)/gi, needsReturnWord: true },
  { lang: 'fr', re: /(?:de\s+retour|retour(?:\s+pr[ée]vu)?|jusqu['’]\s?(?:au|à|a|en)|rentr\w{0,12}|reprise(?:\s+du\s+travail)?|reprendrai(?:\s+le\s+travail)?)(?:\s+(?:le|du))?(?=[\s\d])/gi },
  { lang: 'fr', re: /(?:à|a)\s+partir\s+du|d[èe]s\s+le/gi, needsReturnWord: true },
  { lang: 'es', re: /(?:regresar[ée]|regreso|volver[ée]|vuelvo|de\s+vuelta|de\s+regreso|hasta|reincorporar[ée])(?:\s+(?:el|la|al|del))?(?=[\s\d])/gi },
  { lang: 'es', re: /a\s+partir\s+del?/gi, needsReturnWord: true },
];

/** "July 10-31", "10.–31. Juli", "del 10 al 31 de julio": the absence ends on the second day. */
const MONTH_RANGE_RE = new RegExp(`\\b(${MONTH_ALT})\\.?\\s+\\d{1,2}${ORD}\\s*(?:-|–|to|bis)\\s*(\\d{1,2})${ORD}(?!\\d)(?:,?\\s*(\\d{4}))?`, 'gi');
const RANGE_MONTH_RE = new RegExp(`\\b\\d{1,2}${ORD}\\s*(?:-|–|au|al|bis|to)\\s*(\\d{1,2})${ORD}\\s*(?:de\\s+)?(${MONTH_ALT})\\b\\.?(?:,?\\s*(?:de\\s+)?(\\d{4}))?`, 'gi');

const RETURN_WORDS = /\b(?:wieder|zurück|zurueck|erreichbar|im\s+büro|retour|de\s+nouveau|disponible|vuelta|regreso|nuevamente|volver)/i;

const DAY_MS = 86_400_000;

/**
 * Words of a long leave (parental, maternity, sabbatical): its end may lie more than a year
 * after the mail, so the plausibility horizon below is longer for them.
 */
const LONG_LEAVE =
  /parental|maternity|paternity|sabbatical|elternzeit|mutterschutz|karenz|cong[ée] (?:parental|maternit[ée]|de maternit[ée]|paternit[ée]|de paternit[ée]|sabbatique)|maternidad|paternidad|permiso parental|sab[áa]tic|excedencia/i;
/** Return dates further ahead than this are not believed (a quoted old mail, a typo). */
const HORIZON_DAYS = 400;
const LONG_LEAVE_HORIZON_DAYS = 3 * 366;

/**
 * The first working day of a month: the first Monday to Friday, 1 January (New Year's Day, a
 * public holiday nearly everywhere) excepted. The recipient's own holidays and weekend are
 * applied later, by the send window after the return date.
 */
function firstWorkingDay(year: number, month: number): number {
  for (let d = 1; ; d++) {
    const t = Date.UTC(year, month - 1, d);
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6 && !(month === 1 && d === 1)) return t;
  }
}

/**
 * A month without a day: its first working day, in the year given, else the month's next
 * occurrence after the mail. The mail's own month without a year says nothing usable (back some
 * day this month): null.
 */
function monthOnly(month: number, year: string | undefined, from: number): number | null {
  const now = new Date(from);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  if (year) return Number(year) === y && month === m ? null : firstWorkingDay(Number(year), month);
  if (month === m) return null;
  return firstWorkingDay(month > m ? y : y + 1, month);
}

function utcDay(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? t : null;
}

/** A date without a year: its next occurrence on or after the mail's day. */
function nextOccurrence(m: number, d: number, from: number): number | null {
  const y = new Date(from).getUTCFullYear();
  for (const year of [y, y + 1, y + 2, y + 3, y + 4]) {
    const t = utcDay(year, m, d);
    if (t !== null && t >= from) return t;
  }
  return null;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

/** The nearest reading on or after `from`: the date an absence ends is soon, not a year away. */
function nearest(candidates: (number | null)[], from: number): number | null {
  let best: number | null = null;
  for (const c of candidates) if (c !== null && c >= from && (best === null || c < best)) best = c;
  return best;
}

const FILLER_RE = new RegExp(`^${FILLER}`, 'i');
const WEEKDAY_PREFIX_RE = new RegExp(`^${WD}${FILLER}`, 'i');

function parseDateAt(text: string, lang: Trigger['lang'], from: number): number | null {
  const s0 = text.slice(FILLER_RE.exec(text)?.[0].length ?? 0);
  const s = s0.slice(WEEKDAY_PREFIX_RE.exec(s0)?.[0].length ?? 0);
  let m: RegExpExecArray | null;
  if ((m = ISO_RE.exec(s))) return utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = DAY_MONTH_RE.exec(s))) {
    const month = MONTHS[m[2].toLowerCase()];
    return m[3] ? utcDay(Number(m[3]), month, Number(m[1])) : nextOccurrence(month, Number(m[1]), from);
  }
  if ((m = MONTH_DAY_RE.exec(s))) {
    const month = MONTHS[m[1].toLowerCase()];
    return m[3] ? utcDay(Number(m[3]), month, Number(m[2])) : nextOccurrence(month, Number(m[2]), from);
  }
  if ((m = NUMERIC_RE.exec(s))) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    // English mail is mostly month first (US), the others day first; when only one reading is
    // valid or one is much nearer after the mail's date, that one wins.
    const read = (month: number, day: number) =>
      m![3] ? utcDay(fullYear(m![3]), month, day) : nextOccurrence(month, day, from);
    const monthFirst = read(a, b);
    const dayFirst = read(b, a);
    const preferred = lang === 'en' ? monthFirst : dayFirst;
    const other = lang === 'en' ? dayFirst : monthFirst;
    const near = nearest([preferred, other], from);
    if (near === null) return preferred ?? other;
    return near;
  }
  if ((m = MONTH_ONLY_RE.exec(s))) return monthOnly(MONTHS[m[1].toLowerCase()], m[2], from);
  const w = WEEKDAY_ONLY_RE.exec(s0);
  if (w) {
    const target = WEEKDAYS[w[1].toLowerCase()];
    const today = new Date(from).getUTCDay();
    const ahead = ((target - today + 7) % 7) || 7;
    return from + ahead * DAY_MS;
  }
  return null;
}

/**
 * The date an out-of-office message says its author is back ("I will be back on Monday,
 * December 1", "returning 12/01", "ab dem 1. Dezember wieder", "de retour le 3 décembre",
 * "regresaré el 2 de diciembre"), as YYYY-MM-DD, or null. A date without a year is the next
 * occurrence on or after the mail's date; an "until" date is returned as written. When the text
 * states several dates (from ... until ..., back on ...), the latest plausible one wins.
 */
export function outOfOfficeReturnDate(text: string, opts: { receivedAt: Date | string }): string | null {
  if (!text) return null;
  const received = new Date(opts.receivedAt).getTime();
  if (!Number.isFinite(received)) return null;
  const from = Math.floor(received / DAY_MS) * DAY_MS;
  // The statement is at the top; what follows is often the quoted original.
  const s = text.slice(0, MAIL_LIMITS.autoReplyTextChars).replace(/\s+/g, ' ');
  const horizon = from + (LONG_LEAVE.test(s) ? LONG_LEAVE_HORIZON_DAYS : HORIZON_DAYS) * DAY_MS;
  let best: number | null = null;
  for (const trig of TRIGGERS) {
    trig.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = trig.re.exec(s))) {
      const after = s.slice(m.index + m[0].length, m.index + m[0].length + 60);
      const t = parseDateAt(after, trig.lang, from);
      if (t === null) continue;
      // Dates before the mail, or beyond the horizon, are not a return date.
      if (t < from - DAY_MS || t > horizon) continue;
      if (trig.needsReturnWord && !RETURN_WORDS.test(s.slice(m.index, m.index + m[0].length + 80))) continue;
      if (best === null || t > best) best = t;
    }
  }
  const consider = (t: number | null) => {
    if (t !== null && t >= from - DAY_MS && t <= horizon && (best === null || t > best)) best = t;
  };
  for (const m of s.matchAll(MONTH_RANGE_RE)) {
    const month = MONTHS[m[1].toLowerCase()];
    consider(m[3] ? utcDay(Number(m[3]), month, Number(m[2])) : nextOccurrence(month, Number(m[2]), from));
  }
  for (const m of s.matchAll(RANGE_MONTH_RE)) {
    const month = MONTHS[m[2].toLowerCase()];
    consider(m[3] ? utcDay(Number(m[3]), month, Number(m[1])) : nextOccurrence(month, Number(m[1]), from));
  }
  return best === null ? null : new Date(best).toISOString().slice(0, 10);
}
