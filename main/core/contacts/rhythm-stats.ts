// Small statistics for rhythms: percentiles of reply delays, shares per weekday and hour, and the
// clear active period of someone's day.
import type { ActivePeriod } from '../api.js';
import { clock } from '../calendar/index.js';

/** The middle value (the mean of the two middle ones for an even count); null when empty. */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Nearest-rank percentile: the smallest value with at least p of the values at or below it
 * ("4 of their 5 replies came within this"). null when empty.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(n, rank) - 1];
}

/** Counts as shares of their total (all zeros when there is nothing), rounded to 0.001. */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? Math.round((c / total) * 1000) / 1000 : 0));
}


/** Issue 8: "at least 10 of their messages, most of them within a two-hour span of their local day". */
export const ACTIVE_MIN_MESSAGES = 10;
export const ACTIVE_SPAN_MINUTES = 120;
export const ACTIVE_MIN_SHARE = 0.5;

/**
 * The two-hour span of the local day (it may run past midnight) holding the most of their mails,
 * when that is more than half of at least 10. Its start is the first mail's quarter-hour, so a
 * period found as 08:05–10:05 is reported as 08:00–10:00.
 */
export function activePeriod(minutesOfDay: readonly number[]): ActivePeriod | null {
  const n = minutesOfDay.length;
  if (n < ACTIVE_MIN_MESSAGES) return null;
  const sorted = [...minutesOfDay].sort((a, b) => a - b);
  // The day is a circle: append every minute once more, a day later.
  const ring = sorted.concat(sorted.map((m) => m + 1440));
  let best = 0;
  let bestStart = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (j < i) j = i;
    while (j < i + n && ring[j] < ring[i] + ACTIVE_SPAN_MINUTES) j++;
    if (j - i > best) {
      best = j - i;
      bestStart = ring[i];
    }
  }
  const share = best / n;
  if (!(share > ACTIVE_MIN_SHARE)) return null;
  const start = Math.floor(bestStart / 15) * 15;
  return {
    start: clock(start),
    end: clock(start + ACTIVE_SPAN_MINUTES),
    startMinute: start % 1440,
    share: Math.round(share * 1000) / 1000,
    messages: n,
  };
}
