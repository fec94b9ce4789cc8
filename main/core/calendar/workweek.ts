// Weekend days of a country, from CLDR week data. Node 20 (V8 11.3, ICU 7x) exposes it as the
// `Intl.Locale.prototype.weekInfo` getter; newer V8 (Chrome 130+, hence newer Electron) renamed it
// to `getWeekInfo()`. Both are tried; the table below is only used when neither exists (a
// runtime built without full ICU). Days are ISO numbers: 1 = Monday ... 7 = Sunday.

type WeekInfo = { weekend?: number[] };

// CLDR 48 supplemental weekData, the non-Saturday–Sunday part (the UAE moved to Sat–Sun in 2022,
// and CLDR follows). India's weekend in CLDR is Sunday only.
const FALLBACK_WEEKENDS: Record<string, number[]> = {
  AF: [4, 5],
  BH: [5, 6], DZ: [5, 6], EG: [5, 6], IL: [5, 6], IQ: [5, 6], JO: [5, 6], KW: [5, 6], LY: [5, 6],
  OM: [5, 6], QA: [5, 6], SA: [5, 6], SD: [5, 6], SY: [5, 6], YE: [5, 6],
  IR: [5],
  IN: [7], UG: [7],
};
const DEFAULT_WEEKEND = [6, 7];

const cache = new Map<string, readonly number[]>();

/** ISO weekday numbers (1 = Monday) of the weekend of `country`; Sat–Sun when unknown. */
export function weekendDays(country: string | null): readonly number[] {
  const cc = country ?? '';
  const hit = cache.get(cc);
  if (hit) return hit;
  const days = (cc && fromIntl(cc)) || FALLBACK_WEEKENDS[cc] || DEFAULT_WEEKEND;
  cache.set(cc, days);
  return days;
}

function fromIntl(country: string): number[] | null {
  try {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & {
      weekInfo?: WeekInfo;
      getWeekInfo?: () => WeekInfo;
    };
    const info = typeof locale.getWeekInfo === 'function' ? locale.getWeekInfo() : locale.weekInfo;
    const weekend = info?.weekend;
    if (Array.isArray(weekend) && weekend.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
      return [...weekend];
    }
  } catch {
    // invalid region subtag: fall through to the table
  }
  return null;
}

/** Whether ICU gives week data on this runtime (reported by diagnostics and tests). */
export function intlWeekInfoSupported(): boolean {
  return fromIntl('SA') !== null;
}
