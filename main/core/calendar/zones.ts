// Curated IANA zones of the world's main business places, with their country (ISO 3166 alpha-2)
// and a rough weight (millions of people the zone stands for) used only to break ties between
// zones whose offsets are the same at every observed instant ("+0100 winter / +0200 summer" fits
// Berlin, Paris, Rome... with no other hint, the most populous wins).
import { holidaysLibrary } from './holidays.js';
import { IANAZone } from 'luxon';

export interface ZoneEntry {
  zone: string;
  country: string;
  weight: number;
}

// The first entry of a country is its main zone (mainZoneForCountry).
export const ZONES: readonly ZoneEntry[] = [
  // North America
  { zone: 'America/New_York', country: 'US', weight: 150 },
  { zone: 'America/Chicago', country: 'US', weight: 95 },
  { zone: 'America/Denver', country: 'US', weight: 20 },
  { zone: 'America/Phoenix', country: 'US', weight: 7 },
  { zone: 'America/Los_Angeles', country: 'US', weight: 52 },
  { zone: 'America/Anchorage', country: 'US', weight: 1 },
  { zone: 'Pacific/Honolulu', country: 'US', weight: 1.4 },
  { zone: 'America/Toronto', country: 'CA', weight: 23 },
  { zone: 'America/Vancouver', country: 'CA', weight: 5 },
  { zone: 'America/Edmonton', country: 'CA', weight: 4.5 },
  { zone: 'America/Winnipeg', country: 'CA', weight: 1.4 },
  { zone: 'America/Regina', country: 'CA', weight: 1.1 },
  { zone: 'America/Halifax', country: 'CA', weight: 1 },
  { zone: 'America/St_Johns', country: 'CA', weight: 0.5 },
  { zone: 'America/Mexico_City', country: 'MX', weight: 100 },
  { zone: 'America/Tijuana', country: 'MX', weight: 4 },
  { zone: 'America/Cancun', country: 'MX', weight: 2 },
  { zone: 'America/Guatemala', country: 'GT', weight: 18 },
  { zone: 'America/Costa_Rica', country: 'CR', weight: 5 },
  { zone: 'America/Panama', country: 'PA', weight: 4.4 },
  { zone: 'America/Puerto_Rico', country: 'PR', weight: 3.2 },
  { zone: 'America/Santo_Domingo', country: 'DO', weight: 11 },
  // South America
  { zone: 'America/Sao_Paulo', country: 'BR', weight: 150 },
  { zone: 'America/Manaus', country: 'BR', weight: 15 },
  { zone: 'America/Bogota', country: 'CO', weight: 52 },
  { zone: 'America/Lima', country: 'PE', weight: 34 },
  { zone: 'America/Guayaquil', country: 'EC', weight: 18 },
  { zone: 'America/Caracas', country: 'VE', weight: 28 },
  { zone: 'America/Santiago', country: 'CL', weight: 19 },
  { zone: 'America/Argentina/Buenos_Aires', country: 'AR', weight: 46 },
  { zone: 'America/Montevideo', country: 'UY', weight: 3.4 },
  { zone: 'America/Asuncion', country: 'PY', weight: 6.8 },
  { zone: 'America/La_Paz', country: 'BO', weight: 12 },
  // Europe
  { zone: 'Europe/London', country: 'GB', weight: 67 },
  { zone: 'Europe/Dublin', country: 'IE', weight: 5 },
  { zone: 'Europe/Lisbon', country: 'PT', weight: 10 },
  { zone: 'Atlantic/Reykjavik', country: 'IS', weight: 0.4 },
  { zone: 'Europe/Berlin', country: 'DE', weight: 84 },
  { zone: 'Europe/Paris', country: 'FR', weight: 68 },
  { zone: 'Europe/Rome', country: 'IT', weight: 59 },
  { zone: 'Europe/Madrid', country: 'ES', weight: 48 },
  { zone: 'Europe/Warsaw', country: 'PL', weight: 37 },
  { zone: 'Europe/Amsterdam', country: 'NL', weight: 18 },
  { zone: 'Europe/Brussels', country: 'BE', weight: 12 },
  { zone: 'Europe/Prague', country: 'CZ', weight: 11 },
  { zone: 'Europe/Stockholm', country: 'SE', weight: 10.5 },
  { zone: 'Europe/Budapest', country: 'HU', weight: 9.6 },
  { zone: 'Europe/Vienna', country: 'AT', weight: 9.1 },
  { zone: 'Europe/Zurich', country: 'CH', weight: 8.9 },
  { zone: 'Europe/Copenhagen', country: 'DK', weight: 5.9 },
  { zone: 'Europe/Oslo', country: 'NO', weight: 5.5 },
  { zone: 'Europe/Luxembourg', country: 'LU', weight: 0.7 },
  { zone: 'Europe/Athens', country: 'GR', weight: 10.4 },
  { zone: 'Europe/Bucharest', country: 'RO', weight: 19 },
  { zone: 'Europe/Sofia', country: 'BG', weight: 6.4 },
  { zone: 'Europe/Helsinki', country: 'FI', weight: 5.6 },
  { zone: 'Europe/Kyiv', country: 'UA', weight: 33 },
  { zone: 'Europe/Istanbul', country: 'TR', weight: 85 },
  { zone: 'Europe/Moscow', country: 'RU', weight: 110 },
  // Africa
  { zone: 'Africa/Cairo', country: 'EG', weight: 110 },
  // Weighted for mail, not head count: +0100 seen only in winter is far more often Central Europe
  // (Berlin 84) than West Africa. All-year +0100 (no summer +0200) is decided by the score, not
  // the weight; 60 keeps Lagos ahead of Algiers (45) there.
  { zone: 'Africa/Lagos', country: 'NG', weight: 60 },
  { zone: 'Africa/Johannesburg', country: 'ZA', weight: 62 },
  { zone: 'Africa/Nairobi', country: 'KE', weight: 55 },
  { zone: 'Africa/Addis_Ababa', country: 'ET', weight: 120 },
  { zone: 'Africa/Casablanca', country: 'MA', weight: 37 },
  { zone: 'Africa/Algiers', country: 'DZ', weight: 45 },
  { zone: 'Africa/Tunis', country: 'TN', weight: 12 },
  { zone: 'Africa/Accra', country: 'GH', weight: 33 },
  { zone: 'Africa/Dakar', country: 'SN', weight: 17 },
  // Middle East and Asia
  { zone: 'Asia/Jerusalem', country: 'IL', weight: 9.7 },
  { zone: 'Asia/Amman', country: 'JO', weight: 11 },
  { zone: 'Asia/Riyadh', country: 'SA', weight: 35 },
  { zone: 'Asia/Qatar', country: 'QA', weight: 2.7 },
  { zone: 'Asia/Kuwait', country: 'KW', weight: 4.3 },
  { zone: 'Asia/Bahrain', country: 'BH', weight: 1.5 },
  { zone: 'Asia/Dubai', country: 'AE', weight: 10 },
  { zone: 'Asia/Muscat', country: 'OM', weight: 4.6 },
  { zone: 'Asia/Tehran', country: 'IR', weight: 88 },
  { zone: 'Asia/Karachi', country: 'PK', weight: 240 },
  { zone: 'Asia/Kolkata', country: 'IN', weight: 1400 },
  { zone: 'Asia/Colombo', country: 'LK', weight: 22 },
  { zone: 'Asia/Kathmandu', country: 'NP', weight: 30 },
  { zone: 'Asia/Dhaka', country: 'BD', weight: 170 },
  { zone: 'Asia/Almaty', country: 'KZ', weight: 20 },
  { zone: 'Asia/Tashkent', country: 'UZ', weight: 36 },
  { zone: 'Asia/Bangkok', country: 'TH', weight: 70 },
  { zone: 'Asia/Ho_Chi_Minh', country: 'VN', weight: 100 },
  { zone: 'Asia/Jakarta', country: 'ID', weight: 200 },
  { zone: 'Asia/Kuala_Lumpur', country: 'MY', weight: 34 },
  { zone: 'Asia/Singapore', country: 'SG', weight: 5.9 },
  { zone: 'Asia/Manila', country: 'PH', weight: 115 },
  { zone: 'Asia/Shanghai', country: 'CN', weight: 1400 },
  { zone: 'Asia/Hong_Kong', country: 'HK', weight: 7.5 },
  { zone: 'Asia/Taipei', country: 'TW', weight: 23 },
  { zone: 'Asia/Seoul', country: 'KR', weight: 52 },
  { zone: 'Asia/Tokyo', country: 'JP', weight: 125 },
  // Oceania
  { zone: 'Australia/Sydney', country: 'AU', weight: 8.3 },
  { zone: 'Australia/Melbourne', country: 'AU', weight: 6.8 },
  { zone: 'Australia/Brisbane', country: 'AU', weight: 5.5 },
  { zone: 'Australia/Perth', country: 'AU', weight: 2.9 },
  { zone: 'Australia/Adelaide', country: 'AU', weight: 1.8 },
  { zone: 'Australia/Darwin', country: 'AU', weight: 0.25 },
  { zone: 'Australia/Hobart', country: 'AU', weight: 0.57 },
  { zone: 'Pacific/Auckland', country: 'NZ', weight: 5.2 },
];

// ICU (Node's Intl) canonicalises to the old names (Asia/Kolkata → Asia/Calcutta); the table uses
// the current IANA names, so map the common links back.
const ALIASES: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'Asia/Istanbul': 'Europe/Istanbul',
  'Asia/Tel_Aviv': 'Asia/Jerusalem',
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Mountain': 'America/Denver',
  'US/Arizona': 'America/Phoenix',
  'US/Pacific': 'America/Los_Angeles',
  'US/Alaska': 'America/Anchorage',
  'US/Hawaii': 'Pacific/Honolulu',
  'Australia/ACT': 'Australia/Sydney',
  'Australia/NSW': 'Australia/Sydney',
  'Australia/Victoria': 'Australia/Melbourne',
  'Australia/Queensland': 'Australia/Brisbane',
  'Australia/West': 'Australia/Perth',
  'Brazil/East': 'America/Sao_Paulo',
  GB: 'Europe/London',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  'Etc/Universal': 'UTC',
  GMT: 'UTC',
};

const byZone = new Map(ZONES.map((z) => [z.zone, z]));
const byCountry = new Map<string, ZoneEntry[]>();
for (const z of ZONES) {
  const list = byCountry.get(z.country) ?? [];
  list.push(z);
  byCountry.set(z.country, list);
}

const normalized = new Map<string, string | null>();

/**
 * The zone's current IANA name with its proper case, or null when the runtime does not know it.
 * 'europe/berlin' → 'Europe/Berlin', 'Asia/Calcutta' → 'Asia/Kolkata', 'Mars/Base' → null.
 */
export function normalizeZone(zone: string | null | undefined): string | null {
  if (typeof zone !== 'string' || zone.trim() === '' || zone.length > 64) return null;
  const key = zone.trim();
  const hit = normalized.get(key);
  if (hit !== undefined) return hit;
  let result: string | null = null;
  if (IANAZone.isValidZone(key)) {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: key }).resolvedOptions().timeZone;
    result = ALIASES[resolved] ?? resolved;
  }
  normalized.set(key, result);
  return result;
}

let derivedCountryOfZone: Map<string, string> | null = null;

/** Zone → country for zones outside the curated table, from ICU's region data (built once). */
function derivedCountries(): Map<string, string> {
  if (derivedCountryOfZone) return derivedCountryOfZone;
  const map = new Map<string, string>();
  const Holidays = holidaysLibrary();
  const countries = Object.keys(new Holidays().getCountries());
  for (const cc of countries) {
    for (const z of localeTimeZones(cc)) {
      const name = ALIASES[z] ?? z;
      if (!map.has(name)) map.set(name, cc);
    }
  }
  derivedCountryOfZone = map;
  return map;
}

/** ICU's zones of a region (Intl Locale Info: `timeZones` getter, or getTimeZones() in newer V8). */
function localeTimeZones(cc: string): string[] {
  try {
    const loc = new Intl.Locale(`und-${cc}`) as Intl.Locale & {
      timeZones?: string[];
      getTimeZones?: () => string[] | undefined;
    };
    return (typeof loc.getTimeZones === 'function' ? loc.getTimeZones() : loc.timeZones) ?? [];
  } catch {
    return [];
  }
}

/** The ISO 3166 alpha-2 country of an IANA zone, or null (UTC, unknown, oceans). */
export function countryForZone(zone: string): string | null {
  const name = normalizeZone(zone);
  if (!name || name === 'UTC') return null;
  return byZone.get(name)?.country ?? derivedCountries().get(name) ?? null;
}

const mainZoneCache = new Map<string, string | null>();

/** The main business zone of a country ('US' → America/New_York), or null when unknown. */
export function mainZoneForCountry(country: string): string | null {
  const cc = normalizeCountry(country);
  if (!cc) return null;
  const curated = byCountry.get(cc);
  if (curated) return curated[0].zone;
  const hit = mainZoneCache.get(cc);
  if (hit !== undefined) return hit;
  // date-holidays lists a country's zones main one first; ICU's list is alphabetical, so it is
  // only trusted when the country has a single zone.
  let zone: string | null = null;
  try {
    const Holidays = holidaysLibrary();
    const fromHolidays = new Holidays(cc).getTimezones?.() ?? [];
    zone = normalizeZone(fromHolidays[0]);
  } catch {
    zone = null;
  }
  if (!zone) {
    const icu = localeTimeZones(cc);
    zone = icu.length === 1 ? normalizeZone(icu[0]) : null;
  }
  mainZoneCache.set(cc, zone);
  return zone;
}

/** The curated zones of a country, main one first (empty when the country is not curated). */
export function curatedZonesForCountry(country: string): readonly ZoneEntry[] {
  const cc = normalizeCountry(country);
  return cc ? (byCountry.get(cc) ?? []) : [];
}

/** 'de' → 'DE'; anything that is not two letters → null. */
export function normalizeCountry(country: string | null | undefined): string | null {
  if (typeof country !== 'string') return null;
  const cc = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc)) return null;
  return cc === 'UK' ? 'GB' : cc;
}

// ccTLDs widely sold as generic names (.io, .ai, .co, .me, .tv...): they only break ties between
// zones the Date offsets already allow, never decide a zone on their own.
const VANITY_CCTLDS = new Set([
  'ac', 'ad', 'ai', 'am', 'as', 'cc', 'cd', 'co', 'cx', 'fm', 'gg', 'im', 'io', 'la', 'ly', 'me',
  'ms', 'nu', 'sh', 'so', 'st', 'sx', 'tk', 'to', 'tv', 'vc', 'ws',
]);

export interface DomainCountry {
  country: string;
  /** false for vanity ccTLDs (.io, .co, .ai...): a tie-breaker only. */
  strong: boolean;
}

/** The country of an address's ccTLD ('hans@firma.de' → DE, '.co.uk' → GB); null for .com etc. */
export function countryForAddress(address: string): DomainCountry | null {
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase().replace(/\.$/, '');
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (!/^[a-z]{2}$/.test(tld) || tld === 'eu' || tld === 'su') return null;
  const country = tld === 'uk' ? 'GB' : tld.toUpperCase();
  return { country, strong: !VANITY_CCTLDS.has(tld) };
}

export function zoneEntry(zone: string): ZoneEntry | undefined {
  return byZone.get(zone);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Whether a two-letter code names a country ICU knows ("DE"; "XX" and "ZZ" do not). */
export function isKnownCountry(code: string): boolean {
  const cc = String(code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(cc) || cc === 'ZZ') return false;
  const cc2 = cc === 'UK' ? 'GB' : cc;
  try {
    return regionNames.of(cc2) !== cc2;
  } catch {
    return false;
  }
}
