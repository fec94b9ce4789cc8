// The first name for "Hi {firstName},": from the display name, else the person's own sign-off,
// else a first.last address. Null (the greeting becomes "Hi,") for companies, role addresses,
// initials, and scripts where the first written name is the family name (CJK).
import { replaceEnclosed, trimEndChars } from '../mail/index.js';

export interface FirstNameInput {
  /** Display name as written ("Müller, Hans", "Dr. Jane Smith", "ACME Support"). */
  name?: string | null;
  address: string;
  /** Text the person wrote (their own message); its sign-off ("Best, Hans") is used. */
  signOffText?: string | null;
}

// Words that make a display name a company, team or role rather than a person.
const NON_PERSON_WORDS = new Set([
  'support', 'team', 'sales', 'info', 'information', 'service', 'services', 'customer', 'customers',
  'help', 'helpdesk', 'desk', 'office', 'admin', 'administrator', 'billing', 'accounts', 'accounting',
  'department', 'dept', 'notification', 'notifications', 'newsletter', 'marketing', 'recruiting',
  'careers', 'jobs', 'press', 'media', 'inc', 'llc', 'ltd', 'limited', 'gmbh', 'ag', 'kg', 'corp',
  'corporation', 'company', 'group', 'plc', 'bv', 'srl', 'sarl', 'spa', 'noreply', 'no-reply',
  'do-not-reply', 'donotreply', 'mailer', 'daemon', 'bot', 'system', 'alerts', 'store', 'shop',
  'orders', 'reservations', 'bookings', 'feedback', 'kundenservice', 'vertrieb', 'buchhaltung',
  'kontakt', 'contact', 'hello', 'the', 'of', 'and', '&', 'university', 'school', 'bank', 'agency',
]);

// Local parts of role addresses (RFC 2142 and common practice).
const ROLE_LOCAL_PARTS = new Set([
  'info', 'sales', 'support', 'contact', 'admin', 'office', 'hello', 'hi', 'team', 'billing',
  'accounts', 'accounting', 'hr', 'jobs', 'careers', 'noreply', 'no-reply', 'donotreply',
  'do-not-reply', 'marketing', 'press', 'service', 'help', 'enquiries', 'inquiries', 'webmaster',
  'postmaster', 'hostmaster', 'abuse', 'mail', 'orders', 'invoice', 'invoices', 'kontakt', 'vertrieb',
  'buchhaltung', 'bookings', 'reservations', 'feedback', 'news', 'newsletter', 'notifications',
  'alerts', 'security', 'legal', 'privacy', 'partners', 'events', 'media', 'customer', 'mailer-daemon',
  'office', 'reception', 'finance', 'purchasing', 'procurement', 'it', 'ops', 'dev', 'root',
]);

const TITLES = new Set([
  'dr', 'prof', 'mr', 'mrs', 'ms', 'miss', 'mx', 'sir', 'dame', 'herr', 'frau', 'hr', 'fr', 'mme',
  'mlle', 'm', 'sr', 'sra', 'srta', 'dott', 'dssa', 'ing', 'dipl', 'dipl-ing', 'mag', 'rev', 'hon',
  'fr', 'lic', 'arch', 'eng', 'capt', 'col', 'gen', 'lt', 'maj', 'mgr', 'univ-prof', 'priv-doz',
]);

/** Bracketed asides in display names: "(ACME)", "[External]". */
const BRACKETS = [['(', ')'], ['[', ']']] as const;

const SUFFIXES = /^(?:jr|sr|ii|iii|iv|phd|md|mba|cpa|esq|dds|rn|pe|msc|bsc|ma|ba|ll\.?m)\.?$/i;

// Scripts whose names are written family name first; a wrong guess is rude, so no name.
const FAMILY_FIRST_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const SIGN_OFF =
  /^(?:best(?: regards| wishes)?|kind regards|warm regards|regards|many thanks|thanks(?: again| a lot)?|thank you|cheers|all the best|sincerely|yours|talk soon|(?:viele|beste|liebe|freundliche) grüße|mit freundlichen grüßen|gruß|grüße|lg|vg|mfg|cordialement|bien à vous|saludos|un saluto|cordiali saluti|met vriendelijke groet(?:en)?|groeten|hälsningar|med vänlig hälsning|mvh)\b[\s,.!-]*([^\s,.!-].*)?$/i;

export function firstNameFor(input: FirstNameInput): string | null {
  const address = typeof input.address === 'string' ? input.address.trim().toLowerCase() : '';
  const fromName = nameFromDisplayName(input.name, address);
  if (fromName !== undefined) return fromName;
  const fromSignOff = nameFromSignOff(input.signOffText);
  if (fromSignOff) return fromSignOff;
  return nameFromAddress(address);
}

/** A name, null when the display name rules any name out, undefined when it says nothing. */
function nameFromDisplayName(raw: string | null | undefined, address: string): string | null | undefined {
  if (typeof raw !== 'string') return undefined;
  let name = replaceEnclosed(raw.replace(/["“”]/g, ''), BRACKETS, ' ') // "(ACME)", "[External]"
    .replace(/\s+/g, ' ');
  const via = name.search(/ via /i); // "Hans Müller via Google Groups"
  if (via >= 0) name = name.slice(0, via);
  name = name.trim();
  if (name === '' || name.includes('@') || name.toLowerCase() === address) return undefined;
  if (FAMILY_FIRST_SCRIPTS.test(name)) return null;
  const words = name.split(/[\s,]+/).filter(Boolean);
  if (words.some((w) => NON_PERSON_WORDS.has(w.toLowerCase().replace(/[.,]$/, '')))) return undefined;
  if (words.length === 1 && /^\p{Lu}{2,4}$/u.test(words[0])) return undefined; // "ACME", "IBM"
  const comma = name.indexOf(',');
  if (comma > 0) {
    const after = name.slice(comma + 1).trim();
    // "Müller, Hans" (family name first); "Jane Smith, PhD" is a suffix instead.
    name = after && !after.split(/[\s,]+/).every((w) => SUFFIXES.test(w)) ? after : name.slice(0, comma);
  }
  return pickFirstToken(withoutTitles(name.split(/\s+/)));
}

function withoutTitles(tokens: string[]): string[] {
  return tokens.filter((t) => t !== '' && !TITLES.has(t.toLowerCase().replace(/\./g, '')));
}

/** The first token that is a given name: not an initial ("J."), letters only, not the last name. */
function pickFirstToken(tokens: string[]): string | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = trimEndChars(tokens[i], '.,;:!');
    if (/^\p{L}\.?$/u.test(t) || /^(\p{L}\.)+\p{L}?\.?$/u.test(tokens[i])) continue; // initials
    if (!/^\p{L}+(?:['’-]\p{L}+)*$/u.test(t)) return null;
    // "J. Smith": the only name left after initials is the family name.
    if (i > 0 && i === tokens.length - 1) return null;
    return properCase(t);
  }
  return null;
}

function nameFromSignOff(text: string | null | undefined): string | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const l = line.trim();
    if (/^>/.test(l) || /^on .+ wrote:$/i.test(l) || /^-{2,}\s*original message/i.test(l)) break; // quote
    lines.push(l);
  }
  const tail = lines.slice(-15);
  // The last closing in the text is the sign-off ("Thanks for the update" higher up is not).
  for (let i = tail.length - 1; i >= 0; i--) {
    const m = SIGN_OFF.exec(tail[i]);
    const sameLine = m?.[1]?.trim();
    const candidate = m
      ? sameLine || tail.slice(i + 1).find((l) => l !== '' && l !== '--')
      : tail[i] === '--'
        ? tail.slice(i + 1).find((l) => l !== '')
        : undefined;
    if (!candidate) continue;
    const cleaned = trimEndChars(candidate.replace(/^[-–—~\s]+/, ''), '.,!');
    if (FAMILY_FIRST_SCRIPTS.test(cleaned)) return null;
    const words = withoutTitles(cleaned.split(/\s+/));
    // A signature line is a short capitalised name, not a sentence ("See you Monday").
    if (words.length === 0 || words.length > 3) continue;
    if (!words.every((w) => /^\p{Lu}/u.test(w)) || words.some((w) => NON_PERSON_WORDS.has(w.toLowerCase()))) continue;
    const name = pickFirstToken(words);
    if (name) return name;
  }
  return null;
}

/** "hans.mueller@" → Hans; a single token ("jsmith@") or a role address gives nothing. */
function nameFromAddress(address: string): string | null {
  const local = address.slice(0, address.lastIndexOf('@') >= 0 ? address.lastIndexOf('@') : undefined);
  const plus = local.indexOf('+'); // sub-address "hans.mueller+news"
  const plain = plus >= 0 ? local.slice(0, plus) : local;
  if (ROLE_LOCAL_PARTS.has(plain)) return null;
  const parts = plain.split(/[._-]/).filter(Boolean);
  if (parts.length < 2) return null;
  const first = parts[0];
  if (ROLE_LOCAL_PARTS.has(first) || !/^\p{L}{2,}$/u.test(first)) return null;
  return properCase(first);
}

/** "HANS" / "hans" → "Hans", "mary-jane" → "Mary-Jane"; "McDonald" stays. */
function properCase(word: string): string {
  const mixed = word !== word.toLowerCase() && word !== word.toUpperCase();
  if (mixed) return word;
  return word
    .toLowerCase()
    .replace(/(^|['’-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}
