// The offset of a raw Date header, with the instant it names. A parsed Date loses the offset, and
// the offset is what tells where the sender's clock was.
//
// RFC 5322 §3.3: date-time = [ day-of-week "," ] day month year hour ":" minute [ ":" second ] zone,
// zone = ( "+" / "-" ) 4DIGIT. "-0000" means the local offset is unknown (§3.3).
// RFC 5322 §4.3 (obsolete syntax): two-digit years (< 50 → 20xx), three-digit years (+1900), zone
// names UT/GMT = +0000, EST/EDT/CST/CDT/MST/MDT/PST/PDT; military single letters were defined with
// the wrong sign in RFC 822 and "SHOULD all be considered equivalent to -0000", except that "Z"
// is widely used for UT. Comments "(CEST)" may appear anywhere.

export interface DateHeaderOffset {
  /** The instant the header names. */
  instant: Date;
  /** Minutes east of UTC as written (+0530 → 330), or null when the header gives none (-0000). */
  offsetMinutes: number | null;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

const ZONE_NAMES: Record<string, number | null> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
};

// The zone is the rest of the text after the time (parseZone reads it): the patterns end there
// rather than with "\s*(.*)$", which backtracked through a long run of fraction digits.
const RFC5322 =
  /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?/i;
// Some broken mailers write ISO 8601.
const ISO8601 = /^(\d{4})-(\d{2})-(\d{2})[t\s](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?/i;

/** Parse a raw Date header; null when it is bogus. Never throws. */
export function parseDateHeader(raw: unknown): DateHeaderOffset | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 200) return null;
  const text = stripComments(raw).replace(/\s+/g, ' ').trim();
  let year: number;
  let month: number;
  let day: number;
  let hour: number;
  let minute: number;
  let second: number;
  let zoneText: string;
  const m = RFC5322.exec(text);
  if (m) {
    const mon = MONTHS[m[2].toLowerCase()];
    if (!mon) return null;
    day = Number(m[1]);
    month = mon;
    year = Number(m[3]);
    if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
    else if (m[3].length === 3) year += 1900;
    hour = Number(m[4]);
    minute = Number(m[5]);
    second = m[6] ? Number(m[6]) : 0;
    zoneText = text.slice(m[0].length);
  } else {
    const iso = ISO8601.exec(text);
    if (!iso) return null;
    [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(iso[i]));
    second = iso[6] ? Number(iso[6]) : 0;
    zoneText = text.slice(iso[0].length);
  }
  const zone = parseZone(zoneText);
  if (zone === undefined) return null;
  if (year < 1970 || year > 2200 || hour > 23 || minute > 59 || second > 60) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 31 Feb
  const instant = new Date(local - (zone ?? 0) * 60_000);
  return { instant, offsetMinutes: zone };
}

/** Minutes east of UTC; null for "no information"; undefined when bogus. */
function parseZone(text: string): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined; // no zone: the instant is unknown
  let m = /^(?:gmt|utc|ut)?\s*([+-])(\d{2}):?(\d{2})$/.exec(t);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    // Real offsets run from -12:00 to +14:00.
    if (minutes > 59 || hours > 14) return undefined;
    const value = hours * 60 + minutes;
    if (value === 0 && m[1] === '-') return null; // RFC 5322 §3.3: -0000 is "unknown"
    return m[1] === '-' ? -value : value;
  }
  m = /^([a-z]{1,5})$/.exec(t);
  if (m) {
    if (m[1] in ZONE_NAMES) return ZONE_NAMES[m[1]];
    if (m[1].length === 1 && m[1] !== 'j') return null; // military zones: treat as -0000
  }
  return undefined;
}

/** Remove RFC 5322 comments, nested ones included ("+0200 (CEST (summer))"). */
function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}
