// Dates as people read them, in a given IANA zone (the recipient's or the user's own).
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string | undefined, withZoneName: boolean, withDate = true): Intl.DateTimeFormat {
  const key = `${zone ?? ''}|${withZoneName}|${withDate}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, {
        ...(withDate ? { weekday: 'short', day: 'numeric', month: 'short' } : {}),
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        ...(zone ? { timeZone: zone } : {}),
        ...(withZoneName ? { timeZoneName: 'short' } : {}),
      });
    } catch {
      f = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    }
    cache.set(key, f);
  }
  return f;
}

export const userZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Mon 23 Nov, 09:00" in `zone` (default: the user's). */
export function formatAt(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isFinite(d.getTime()) ? formatter(zone, false).format(d) : '—';
}

/** "09:00" now, in `zone`. */
export function clockIn(zone: string, now = new Date()): string {
  return formatter(zone, false, false).format(now);
}

/** The city part of an IANA zone, for labels: "Asia/Tokyo" → "Tokyo". */
export function zoneLabel(zone: string | undefined | null): string {
  if (!zone) return '';
  return zone.split('/').pop()!.replace(/_/g, ' ');
}

export function ageLabel(hours: number): string {
  if (hours < 1) return 'just now';
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = Math.round(hours / 24);
  return days < 14 ? `${days} days` : `${Math.round(days / 7)} weeks`;
}

/** A datetime-local input's value (the user's zone) as an ISO instant. */
export function localInputToIso(value: string): string | null {
  const d = new Date(value);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}

export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * An out-of-office return date ("2026-11-02", a calendar day as the auto-reply stated it) as
 * "Mon 2 Nov": the same words in the list and in the details, whatever the reader's zone (a
 * date-only ISO string is midnight UTC, which is the day before west of Greenwich).
 */
export function returnDay(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return '—';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d);
}

/** "9:41" until `untilMs` (minutes:seconds), or null once it has passed. */
export function countdown(untilMs: number, nowMs: number): string | null {
  const left = Math.ceil((untilMs - nowMs) / 1000);
  if (left <= 0) return null;
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}

/** "02:10": an instant on the clock of `zone`. */
export function hourIn(iso: string, zone: string): string {
  return formatter(zone, false, false).format(new Date(iso));
}
