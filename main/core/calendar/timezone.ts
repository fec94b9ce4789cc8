// Recipient time-zone inference (issue 6, item 1): the user's setting; else the Date offsets of
// the person's own messages matched against the curated zones, the ccTLD breaking ties; else the
// ccTLD's main zone; else the account's zone.
import { parseDateHeader } from './date-header.js';
import { zoneOffset } from './offset.js';
import {
  ZONES,
  countryForAddress,
  countryForZone,
  curatedZonesForCountry,
  mainZoneForCountry,
  normalizeCountry,
  normalizeZone,
  type ZoneEntry,
} from './zones.js';

export { countryForZone, mainZoneForCountry, countryForAddress, normalizeZone, normalizeCountry };

export type TimeZoneSource = 'user' | 'date-offsets' | 'date-offsets+cctld' | 'cctld' | 'account';

export interface InferTimeZoneInput {
  /** The person's address (its ccTLD is a hint). */
  address: string;
  /** What the user set for this contact; a valid zone wins over everything, a country narrows. */
  overrides?: { timeZone?: string | null; country?: string | null } | null;
  /** Raw Date headers of messages the person wrote (with their offsets). */
  dateHeaders: ReadonlyArray<string | null | undefined>;
  /** The account's IANA zone: the last fallback. */
  accountTimeZone: string;
  /** The account's country, returned with the account fallback (else the zone's country). */
  accountCountry?: string | null;
}

export interface TimeZoneInference {
  timeZone: string;
  /** Which evidence decided. */
  source: TimeZoneSource;
  /** ISO 3166 alpha-2 of the zone chosen (or of the ccTLD), null when unknown. */
  country: string | null;
  /** 0..1, rough: share of the offsets the zone explains, times how much evidence there was. */
  confidence?: number;
  /** Headers that gave an offset, and how many of them (after de-duplication) the zone explains. */
  evidence?: { offsets: number; consistent: number };
}

interface Observation {
  ms: number;
  offset: number;
}

interface Scored {
  entry: ZoneEntry;
  score: number;
  consistent: number;
}

// +0000 is what Exchange Online and several webmails write whatever the sender's zone: it counts
// a quarter of a real offset (ZERO_WEIGHT). Zones within TIE of the best score are a tie, broken
// by the ccTLD, then by weight. Below MIN_SCORE of explained offsets the offsets are noise (travel,
// broken clocks). At most MAX_OBSERVATIONS of the most recent are used. Exported: the rhythm's
// fast path for many contacts (contacts/rhythm-zone.ts) scores with the same numbers.
export const ZONE_SCORING = Object.freeze({ ZERO_WEIGHT: 0.25, TIE: 0.05, MIN_SCORE: 0.5, MAX_OBSERVATIONS: 200 });
const { ZERO_WEIGHT, TIE, MIN_SCORE, MAX_OBSERVATIONS } = ZONE_SCORING;

export function inferTimeZone(input: InferTimeZoneInput): TimeZoneInference {
  const { address, overrides, dateHeaders, accountTimeZone, accountCountry } = input;
  const userZone = normalizeZone(overrides?.timeZone);
  const userCountry = normalizeCountry(overrides?.country);
  if (userZone) {
    return {
      timeZone: userZone,
      source: 'user',
      country: userCountry ?? countryForZone(userZone),
      confidence: 1,
    };
  }
  const observations = collectObservations(dateHeaders ?? []);
  const offsets = observations.length;

  if (userCountry) return fromUserCountry(userCountry, observations);

  const domain = typeof address === 'string' ? countryForAddress(address) : null;
  const hint = domain?.country ?? null;
  const strongHint = domain?.strong && mainZoneForCountry(domain.country) ? domain.country : null;

  const allZero = offsets > 0 && observations.every((o) => o.offset === 0);
  if (offsets > 0 && !allZero) {
    const scored = scoreZones(ZONES, observations);
    const best = scored[0]?.score ?? 0;
    if (best >= MIN_SCORE) {
      const near = scored.filter((s) => s.score >= best - TIE);
      const hinted = near.filter((s) => s.entry.country === hint);
      const chosen = hinted[0] ?? near[0];
      const countries = new Set(near.map((s) => s.entry.country));
      const ambiguity = countries.size === 1 ? 1 : hinted.length > 0 ? 0.9 : 0.7;
      return {
        timeZone: chosen.entry.zone,
        source: chosen.entry.country === hint ? 'date-offsets+cctld' : 'date-offsets',
        country: chosen.entry.country,
        confidence: confidenceOf(chosen.score, offsets, ambiguity),
        evidence: { offsets, consistent: chosen.consistent },
      };
    }
  }

  if (strongHint) {
    // All offsets +0000 (or no offsets, or noise): the ccTLD decides. A zone of that country
    // that fits all the offsets (.uk in winter, .pt, .ie) counts as both kinds of evidence.
    if (allZero) {
      const fitting = scoreZones(curatedZonesForCountry(strongHint), observations).filter((s) => s.score === 1);
      if (fitting.length > 0) {
        return {
          timeZone: fitting[0].entry.zone,
          source: 'date-offsets+cctld',
          country: strongHint,
          confidence: confidenceOf(1, offsets, 0.8),
          evidence: { offsets, consistent: fitting[0].consistent },
        };
      }
    }
    return {
      timeZone: mainZoneForCountry(strongHint) as string,
      source: 'cctld',
      country: strongHint,
      confidence: 0.5,
      ...(offsets > 0 ? { evidence: { offsets, consistent: 0 } } : {}),
    };
  }

  const accountZone = normalizeZone(accountTimeZone) ?? 'UTC';
  return {
    timeZone: accountZone,
    source: 'account',
    country: normalizeCountry(accountCountry) ?? countryForZone(accountZone),
    confidence: 0.2,
    ...(offsets > 0 ? { evidence: { offsets, consistent: 0 } } : {}),
  };
}

/** The user set a country but no zone: the best-fitting zone of that country, else its main one. */
function fromUserCountry(country: string, observations: Observation[]): TimeZoneInference {
  const zones = curatedZonesForCountry(country);
  const scored = observations.length > 0 ? scoreZones(zones, observations) : [];
  const zone = scored[0]?.entry.zone ?? mainZoneForCountry(country) ?? 'UTC';
  return {
    timeZone: zone,
    source: 'user',
    country,
    confidence: 1,
    ...(observations.length > 0
      ? { evidence: { offsets: observations.length, consistent: scored[0]?.consistent ?? 0 } }
      : {}),
  };
}

/** Parsed, de-duplicated (same offset within a quarter-hour), most recent first, capped. */
function collectObservations(headers: ReadonlyArray<string | null | undefined>): Observation[] {
  const seen = new Set<string>();
  const out: Observation[] = [];
  for (const raw of headers) {
    const parsed = parseDateHeader(raw);
    if (!parsed || parsed.offsetMinutes === null) continue;
    const ms = parsed.instant.getTime();
    const key = `${parsed.offsetMinutes}|${Math.floor(ms / 900_000)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ms, offset: parsed.offsetMinutes });
  }
  out.sort((a, b) => b.ms - a.ms);
  return out.length > MAX_OBSERVATIONS ? out.slice(0, MAX_OBSERVATIONS) : out;
}

/**
 * Each zone's weighted share of observations it explains (its offset at that instant equals the
 * written one), best first; ties by weight. Zones whose January and July offsets of the observed
 * years never match any written offset are skipped without a full pass.
 */
function scoreZones(zones: readonly ZoneEntry[], observations: Observation[]): Scored[] {
  const written = new Set(observations.map((o) => o.offset));
  const years = new Set(observations.map((o) => new Date(o.ms).getUTCFullYear()));
  let total = 0;
  for (const o of observations) total += o.offset === 0 ? ZERO_WEIGHT : 1;
  const out: Scored[] = [];
  for (const entry of zones) {
    if (!mayMatch(entry.zone, years, written)) continue;
    let weight = 0;
    let consistent = 0;
    for (const o of observations) {
      if (zoneOffset(entry.zone, o.ms) === o.offset) {
        weight += o.offset === 0 ? ZERO_WEIGHT : 1;
        consistent++;
      }
    }
    if (consistent > 0) out.push({ entry, score: weight / total, consistent });
  }
  out.sort((a, b) => b.score - a.score || b.entry.weight - a.entry.weight);
  return out;
}

function mayMatch(zone: string, years: Set<number>, written: Set<number>): boolean {
  for (const y of years) {
    // Mid-January, mid-July, and the turn of the year (southern summer) cover both seasons.
    for (const ms of [Date.UTC(y, 0, 15), Date.UTC(y, 6, 15), Date.UTC(y, 3, 15), Date.UTC(y, 9, 15)]) {
      if (written.has(zoneOffset(zone, ms))) return true;
    }
  }
  return false;
}

function confidenceOf(score: number, offsets: number, ambiguity: number): number {
  const amount = offsets / (offsets + 1);
  return Math.round(score * amount * ambiguity * 100) / 100;
}
