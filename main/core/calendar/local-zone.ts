// The machine's own IANA time zone: the last fallback when an account has none set.
import { normalizeZone } from './zones.js';

export function localTimeZone(): string {
  const zone = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return normalizeZone(zone) ?? 'UTC';
}
