// A follow-up's time as people read it in the sentences of the queue: "Wed 20 Oct 10:02".
import { DateTime } from 'luxon';

export function when(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).setLocale('en').toFormat('ccc d LLL HH:mm');
}
