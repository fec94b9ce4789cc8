// The time zones and countries the account form offers, from the browser's own ICU data (no list
// to keep up to date): IANA zones from Intl.supportedValuesOf, countries as ISO 3166 codes named
// by Intl.DisplayNames.

let zones: string[] | null = null;

/** Every IANA zone this browser knows, UTC first. */
export function timeZones(): string[] {
  if (!zones) {
    const all = (Intl as unknown as { supportedValuesOf?(k: string): string[] }).supportedValuesOf?.('timeZone') ?? [];
    zones = ['UTC', ...all.filter((z) => z !== 'UTC')];
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (own && !zones.includes(own)) zones.push(own);
  }
  return zones;
}

let countryList: { code: string; name: string }[] | null = null;
/** Codes that name no country (macro-regions, pseudo-locales, "unknown"). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AA', 'QM', 'QN', 'QP', 'QQ', 'QR', 'QS', 'QT', 'QU', 'QV', 'QW', 'QX', 'QY', 'QZ']);

/** The countries, by name in the page's language. */
export function countries(): { code: string; name: string }[] {
  if (!countryList) {
    const names = new Intl.DisplayNames(undefined, { type: 'region' });
    const out: { code: string; name: string }[] = [];
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (NOT_COUNTRIES.has(code) || code.startsWith('X')) continue;
        const name = names.of(code);
        if (name && name !== code) out.push({ code, name });
      }
    }
    countryList = out.sort((x, y) => x.name.localeCompare(y.name));
  }
  return countryList;
}

/** The country of the browser's language ("en-GB" → GB), or '' when it names none. */
export function countryOfLocale(): string {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region ?? '';
    return countries().some((c) => c.code === region) ? region : '';
  } catch {
    return '';
  }
}
