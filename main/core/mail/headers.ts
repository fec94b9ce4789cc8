// Reading a raw RFC 5322 header block: unfolding, RFC 2047 words, addresses, message ids.
// Every function here takes hostile input (8-bit bytes, broken encodings, 2 MB References) and
// never throws: a bad header becomes an empty value, and the caller records the problem.
import libmimeModule from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import type { Address } from '../model.js';
import { MAIL_LIMITS } from './limits.js';
import { replaceEnclosed } from './scan.js';

const libmime = libmimeModule;

/** Header name (lower case) → its values in order of appearance, unfolded. */
export type HeaderMap = Map<string, string[]>;

/**
 * Split a header block into fields. RFC 5322 §2.2.3: a line starting with a space or tab
 * continues the previous field. Bytes are read as UTF-8 (RFC 6532), falling back to latin1 when
 * that fails, so 8-bit headers from old clients still come through readable.
 */
export function parseHeaderBlock(raw: Buffer | string): HeaderMap {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else {
    text = raw.toString('utf8');
    if (text.includes('\uFFFD')) text = raw.toString('latin1');
  }
  if (text.length > MAIL_LIMITS.headerBlockChars) text = text.slice(0, MAIL_LIMITS.headerBlockChars);
  // Only the header part: stop at the first empty line.
  const end = text.search(/\r?\n\r?\n/);
  if (end >= 0) text = text.slice(0, end);

  const map: HeaderMap = new Map();
  let name = '';
  let value = '';
  const flush = () => {
    if (!name) return;
    const list = map.get(name);
    if (list && list.length >= MAIL_LIMITS.headerOccurrences) return;
    let v = value.trim();
    if (v.length > MAIL_LIMITS.headerValueChars) {
      // References lists the oldest ancestor first and the parent last (RFC 5322 §3.6.4).
      // Cut at a space, so no id is kept half.
      const from = v.length - MAIL_LIMITS.headerValueChars;
      v = name === 'references' ? v.slice(Math.max(from, v.indexOf(' ', from) + 1)) : v.slice(0, MAIL_LIMITS.headerValueChars);
    }
    if (list) list.push(v);
    else map.set(name, [v]);
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0) continue;
    const c = line.charCodeAt(0);
    if ((c === 0x20 || c === 0x09) && name) {
      // Past the cap only References still matters (its tail); other values stop growing.
      if (value.length <= MAIL_LIMITS.headerValueChars || name === 'references') value += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // not a header line (mbox "From " separator, garbage)
    flush();
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return map;
}

export function firstHeader(map: HeaderMap, name: string): string | null {
  const v = map.get(name);
  return v && v.length ? v[0] : null;
}

/** Decode RFC 2047 encoded words ("=?UTF-8?B?...?="); returns the input when decoding fails. */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** `a@b`: one '@', something on both sides, no white space or angle brackets. */
const BARE_MAILBOX = /^[^<>\s@]+@[^<>\s@]+$/;

/**
 * `Name <a@b>`: one '<', the '>' last. By index rather than by a pattern: the pattern
 * (^\s*([^<>]*?)\s*<(…)>\s*$) backtracked cubically on long runs of white space.
 */
function simpleNamed(part: string): Address | null {
  const p = part.trim();
  const lt = p.indexOf('<');
  if (lt < 0 || p.indexOf('<', lt + 1) >= 0 || p.indexOf('>') !== p.length - 1) return null;
  const address = p.slice(lt + 1, -1);
  if (!BARE_MAILBOX.test(address)) return null;
  return { name: p.slice(0, lt).trim(), address };
}

/**
 * The common shapes ("Anna Berg <anna@x.com>, bob@y.com") without quotes, comments or groups,
 * parsed with two regular expressions: sync reads six address headers of every message, and
 * the general parser costs ~4 µs per header. Anything else returns null and takes the full path.
 */
function parseSimpleAddresses(value: string): Address[] | null {
  if (/["();:\\]/.test(value)) return null;
  const out: Address[] = [];
  for (const part of value.split(',')) {
    if (!part.trim()) continue;
    const named = simpleNamed(part);
    if (named) {
      if (named.address.length + named.name.length <= MAIL_LIMITS.addressChars) out.push({ name: decodeWords(named.name), address: named.address.toLowerCase() });
      continue;
    }
    const bare = part.trim();
    if (!BARE_MAILBOX.test(bare)) return null;
    if (bare.length <= MAIL_LIMITS.addressChars) out.push({ name: '', address: bare.toLowerCase() });
  }
  return out;
}

/** Parse an address list header into lower-case addresses with decoded display names. */
export function parseAddresses(value: string | null | undefined): Address[] {
  if (!value) return [];
  if (value.length > MAIL_LIMITS.headerValueChars) value = value.slice(0, MAIL_LIMITS.headerValueChars);
  const simple = parseSimpleAddresses(value);
  if (simple) return simple.length > MAIL_LIMITS.addressesPerField ? simple.slice(0, MAIL_LIMITS.addressesPerField) : simple;
  let parsed: { name?: string; address?: string }[];
  try {
    parsed = addressparser(value, { flatten: true }) as { name?: string; address?: string }[];
  } catch {
    return [];
  }
  const out: Address[] = [];
  for (const a of parsed) {
    const address = (a.address || '').trim().toLowerCase();
    // A bare word without '@' is not an address (e.g. "undisclosed-recipients").
    if (!address.includes('@') || address.length > MAIL_LIMITS.addressChars) continue;
    out.push({ name: decodeWords((a.name || '').slice(0, MAIL_LIMITS.addressChars)).trim(), address });
    if (out.length >= MAIL_LIMITS.addressesPerField) break;
  }
  return out;
}

/** Message-ids in a header ("<a@b> <c@d>"), without angle brackets, in order. */
export function parseMessageIds(value: string | null | undefined, limit = Infinity): string[] {
  if (!value) return [];
  const ids: string[] = [];
  const re = /<([^<>\s]+)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) if (m[1].length <= MAIL_LIMITS.messageIdChars) ids.push(m[1]);
  // Some clients write ids without brackets ("In-Reply-To: abc@host"): an '@' with something on
  // both sides.
  if (ids.length === 0) {
    const bare = value.trim();
    const at = bare.indexOf('@', 1);
    if (bare.length <= MAIL_LIMITS.messageIdChars && at > 0 && at < bare.length - 1 && /^[^\s<>]+$/.test(bare)) ids.push(bare);
  }
  return ids.length > limit ? ids.slice(ids.length - limit) : ids;
}

const ZONE_NAMES: Record<string, string> = {
  UT: '+0000', GMT: '+0000', Z: '+0000', UTC: '+0000',
  EST: '-0500', EDT: '-0400', CST: '-0600', CDT: '-0500',
  MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700',
};

/** A Date header, capped, with each "( … )" comment replaced by a space. */
function withoutComments(value: string): string {
  return replaceEnclosed(value.slice(0, MAIL_LIMITS.dateHeaderChars), [['(', ')']], ' ');
}

/**
 * Parse an RFC 5322 Date header to an instant. Returns null for bogus dates (year 0, no time,
 * garbage) instead of guessing: the caller falls back to INTERNALDATE.
 */
export function parseDateHeader(value: string | null | undefined): Date | null {
  if (!value) return null;
  // Drop comments like "(PST)" and the day name; normalise obsolete zone names (RFC 5322 §4.3).
  let v = withoutComments(value).replace(/\s+/g, ' ').trim();
  v = v.replace(/\b(UT|GMT|UTC|Z|[ECMP][SD]T)\s*$/i, (z) => ZONE_NAMES[z.toUpperCase()] ?? '+0000');
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4})?/.exec(v);
  if (!m) {
    const t = Date.parse(v);
    return Number.isFinite(t) && t > 0 ? new Date(t) : null;
  }
  const months = 'janfebmaraprmayjunjulaugsepoctnovdec';
  const mon = months.indexOf(m[2].toLowerCase());
  if (mon < 0 || mon % 3 !== 0) return null;
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
  else if (m[3].length === 3) year += 1900;
  const day = Number(m[1]);
  const hour = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6] ?? 0);
  if (year < 1970 || year > 2200 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return null;
  // The day must exist in that month (no "31 Feb" rolling into March).
  if (day > new Date(Date.UTC(year, mon / 3 + 1, 0)).getUTCDate()) return null;
  const off = m[7] ?? '+0000';
  // RFC 5322 §3.3: zone is ±hhmm; real offsets stay within ±14:00 and minutes below 60.
  if (Number(off.slice(1, 3)) > 14 || Number(off.slice(3, 5)) > 59) return null;
  const sign = off[0] === '-' ? -1 : 1;
  const offMin = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(3, 5)));
  const t = Date.UTC(year, mon / 3, day, hour, min, Math.min(sec, 59)) - offMin * 60_000;
  return Number.isFinite(t) ? new Date(t) : null;
}

/** The "+hhmm"/"-hhmm" offset of a raw Date header, in minutes east of UTC, or null. */
export function dateHeaderOffsetMinutes(value: string | null | undefined): number | null {
  if (!value) return null;
  const v = withoutComments(value).trim();
  const m = /\d{1,2}:\d{2}(?::\d{2})?\s*([+-])(\d{2})(\d{2})\b/.exec(v);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const z = /\d{1,2}:\d{2}(?::\d{2})?\s*([A-Za-z]{1,3})\s*$/.exec(v);
  if (z && ZONE_NAMES[z[1].toUpperCase()]) {
    const o = ZONE_NAMES[z[1].toUpperCase()];
    return (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5)));
  }
  return null;
}
