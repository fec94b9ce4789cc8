// The time zone of every contact at once (issue 6's inference, issue 8's speed budget).
//
// inferTimeZone costs ~0.2 ms a contact: it parses every Date header, then checks all 104
// curated zones against the offsets (4 offsets a zone per year of evidence, then each observation
// of the zones left), each check a memo lookup. For the 1,500 contacts of the benchmark that is
// most of the 300 ms budget before any rhythm is counted. Two things make it cheap here without
// changing the answer:
// - Observations are taken per week: one per (week, offset), at a fixed instant of that week
//   (weekInstant), so all contacts share a few hundred instants, and the zones' offsets at those
//   instants are kept in one table for the run (lazily, only for zones a contact may be in).
// - The scoring of zones (scoreZones in calendar/timezone.ts) is repeated here over that table,
//   for the common case only (Date offsets that are not all +0000, no user override); every other
//   case, and every result below the score threshold, goes to inferTimeZone itself.
// tests/unit/contacts/rhythm-zone.test.ts checks on generated contacts that the result is exactly what
// inferTimeZone returns for the same weekly evidence: a change there fails that test.
import { ZONE_SCORING, inferTimeZone, type TimeZoneInference, zoneOffset, ZONES, countryForAddress } from '../calendar/index.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// The zone scoring's numbers, shared with inferTimeZone (calendar/timezone.ts ZONE_SCORING).
const { ZERO_WEIGHT, TIE, MIN_SCORE, MAX_OBSERVATIONS } = ZONE_SCORING;

export interface ZoneObservation {
  /** The instant of the message. */
  ms: number;
  /** Minutes east as the Date header wrote it. */
  offset: number;
}

/**
 * The instant standing for every message of a week: Wednesday 12:00 UTC for Monday–Friday,
 * Sunday 12:00 UTC for the weekend. Zones change offset on weekends (the EU and the US on Sunday
 * morning, Australia and New Zealand on Saturday afternoon UTC), so a weekday's offset is its
 * week's Wednesday one; a message written between a change and Sunday noon UTC may be read with
 * the other offset, which moves a score by one observation at most.
 */
export function weekInstant(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const monday = day - weekday;
  return (weekday >= 5 ? monday + 6 : monday + 2) * DAY_MS + 12 * HOUR_MS;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 5322 Date header naming the instant `ms`, written with `offset` minutes east. */
export function dateHeaderAt(ms: number, offset: number): string {
  const local = new Date(ms + offset * MINUTE_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  const abs = Math.abs(offset);
  return (
    `${WEEKDAY_NAMES[(local.getUTCDay() + 6) % 7]}, ${local.getUTCDate()} ${MONTH_NAMES[local.getUTCMonth()]} ${local.getUTCFullYear()} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}${two(abs % 60)}`
  );
}

/** One observation per (week, offset), most recent first, at most MAX_OBSERVATIONS. */
export function weeklyObservations(observations: readonly ZoneObservation[]): ZoneObservation[] {
  const seen = new Set<number>();
  const out: ZoneObservation[] = [];
  for (const o of observations) {
    const at = weekInstant(o.ms);
    // Week instants are whole half-days; offsets lie within ±24 h.
    const key = (at / 43_200_000) * 4096 + o.offset + 2048;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ms: at, offset: o.offset });
  }
  // Scores are sums of 1 and ¼ (exact in binary), so only the cap cares about the order.
  out.sort((a, b) => b.ms - a.ms || a.offset - b.offset);
  return out.length > MAX_OBSERVATIONS ? out.slice(0, MAX_OBSERVATIONS) : out;
}

/** The same evidence as Date headers, for inferTimeZone. */
export function weeklyHeaders(observations: readonly ZoneObservation[]): string[] {
  return weeklyObservations(observations).map((o) => dateHeaderAt(o.ms, o.offset));
}

const UNKNOWN = -32768;

/** Zone offsets at shared instants, filled on demand: one run's table. */
export class ZoneTable {
  private readonly byInstant = new Map<number, Int16Array>();
  private readonly anchorsByYear = new Map<number, Int16Array>();
  private readonly candidatesByEvidence = new Map<string, number[]>();

  /**
   * The offsets of every zone at mayMatch's instants of a year (mid-January, -July, -April,
   * -October, UTC midnight), zone by zone: [z·4 … z·4+3].
   */
  anchors(year: number): Int16Array {
    let a = this.anchorsByYear.get(year);
    if (!a) {
      a = new Int16Array(ZONES.length * 4);
      const instants = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15), Date.UTC(year, 3, 15), Date.UTC(year, 9, 15)];
      for (let z = 0; z < ZONES.length; z++) for (let k = 0; k < 4; k++) a[z * 4 + k] = zoneOffset(ZONES[z].zone, instants[k]);
      this.anchorsByYear.set(year, a);
    }
    return a;
  }

  /** The zones mayMatch keeps for these years and written offsets (shared by all who write alike). */
  candidates(years: number[], written: number[]): number[] {
    const key = `${years.join(',')}|${written.join(',')}`;
    let list = this.candidatesByEvidence.get(key);
    if (!list) {
      list = [];
      const tables = years.map((y) => this.anchors(y));
      for (let z = 0; z < ZONES.length; z++) if (tables.some((a) => written.some((w) => a[z * 4] === w || a[z * 4 + 1] === w || a[z * 4 + 2] === w || a[z * 4 + 3] === w))) list.push(z);
      this.candidatesByEvidence.set(key, list);
    }
    return list;
  }

  /** The offsets of all zones at `ms`, UNKNOWN where not asked yet (fill with `offsetIn`). */
  row(ms: number): Int16Array {
    let row = this.byInstant.get(ms);
    if (!row) {
      row = new Int16Array(ZONES.length).fill(UNKNOWN);
      this.byInstant.set(ms, row);
    }
    return row;
  }

  offset(zoneIndex: number, ms: number): number {
    return offsetIn(this.row(ms), zoneIndex, ms);
  }
}

function offsetIn(row: Int16Array, zoneIndex: number, ms: number): number {
  let o = row[zoneIndex];
  if (o === UNKNOWN) row[zoneIndex] = o = zoneOffset(ZONES[zoneIndex].zone, ms);
  return o;
}

export interface InferContactZoneInput {
  address: string;
  /** One per message the person wrote (instant and written offset). */
  observations: readonly ZoneObservation[];
  overrides?: { timeZone?: string | null; country?: string | null } | null;
  accountTimeZone: string;
  accountCountry?: string | null;
}

/**
 * The contact's zone from their weekly Date-offset evidence: what inferTimeZone returns for
 * weeklyHeaders(observations), computed over `table` when that is the common case.
 */
export function inferContactZone(input: InferContactZoneInput, table: ZoneTable = new ZoneTable()): TimeZoneInference {
  const observations = weeklyObservations(input.observations);
  const o = input.overrides;
  const plain = !o?.timeZone && !o?.country && observations.length > 0 && observations.some((x) => x.offset !== 0);
  const fast = plain ? scoreFast(input.address, observations, table) : null;
  return (
    fast ??
    inferTimeZone({
      address: input.address,
      overrides: o ?? null,
      dateHeaders: observations.map((x) => dateHeaderAt(x.ms, x.offset)),
      accountTimeZone: input.accountTimeZone,
      accountCountry: input.accountCountry ?? null,
    })
  );
}

interface Scored {
  index: number;
  score: number;
  consistent: number;
}

/** calendar/timezone.ts's main branch (offsets that are not all +0000), or null for the rest. */
function scoreFast(address: string, observations: ZoneObservation[], table: ZoneTable): TimeZoneInference | null {
  const written = [...new Set(observations.map((x) => x.offset))].sort((a, b) => a - b);
  const years = [...new Set(observations.map((x) => new Date(x.ms).getUTCFullYear()))].sort((a, b) => a - b);
  let total = 0;
  for (const x of observations) total += x.offset === 0 ? ZERO_WEIGHT : 1;
  // calendar/timezone.ts mayMatch: a zone showing none of the written offsets at the four
  // instants of any observed year is skipped.
  const candidates = table.candidates(years, written);
  const weights = new Float64Array(candidates.length);
  const counts = new Int32Array(candidates.length);
  for (const x of observations) {
    const row = table.row(x.ms);
    const w = x.offset === 0 ? ZERO_WEIGHT : 1;
    for (let c = 0; c < candidates.length; c++) {
      if (offsetIn(row, candidates[c], x.ms) === x.offset) {
        weights[c] += w;
        counts[c]++;
      }
    }
  }
  const scored: Scored[] = [];
  for (let c = 0; c < candidates.length; c++) {
    if (counts[c] > 0) scored.push({ index: candidates[c], score: weights[c] / total, consistent: counts[c] });
  }
  scored.sort((a, b) => b.score - a.score || ZONES[b.index].weight - ZONES[a.index].weight);
  const best = scored[0]?.score ?? 0;
  if (best < MIN_SCORE) return null;

  const domain = countryForAddress(address);
  const hint = domain?.country ?? null;
  const near = scored.filter((s) => s.score >= best - TIE);
  const hinted = near.filter((s) => ZONES[s.index].country === hint);
  const chosen = hinted[0] ?? near[0];
  const entry = ZONES[chosen.index];
  const countries = new Set(near.map((s) => ZONES[s.index].country));
  const ambiguity = countries.size === 1 ? 1 : hinted.length > 0 ? 0.9 : 0.7;
  const offsets = observations.length;
  return {
    timeZone: entry.zone,
    source: entry.country === hint ? 'date-offsets+cctld' : 'date-offsets',
    country: entry.country,
    confidence: Math.round(chosen.score * (offsets / (offsets + 1)) * ambiguity * 100) / 100,
    evidence: { offsets, consistent: chosen.consistent },
  };
}
