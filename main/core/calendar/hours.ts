// Business hours as people type them ("08:00-16:00"), checked once for every caller: a contact's
// hours, the Settings window, the CLI's --set-hours.
import { TriageError } from '../errors.js';
import { parseHours, type BusinessHours } from './calendar.js';

/** '08:00-16:00' → {start, end}; a TriageError naming the field when it is not usable. */
export function parseHoursRange(text: string): BusinessHours {
  const m = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$/.exec(String(text));
  if (!m) throw new TriageError('bad-input', `hours must look like 09:00-17:00, not "${text}".`);
  const hours = { start: m[1].padStart(5, '0'), end: m[2].padStart(5, '0') };
  try {
    parseHours(hours);
  } catch (e) {
    throw new TriageError('bad-input', `hours: ${(e as Error).message}`);
  }
  return hours;
}

/** Stored hours read back: null (the default window) when a hand-edited store holds junk. */
export function storedHours(value: unknown): BusinessHours | null {
  const h = value as { start?: unknown; end?: unknown } | null | undefined;
  if (!h || typeof h.start !== 'string' || typeof h.end !== 'string') return null;
  try {
    return parseHoursRange(`${h.start}-${h.end}`);
  } catch {
    return null;
  }
}
