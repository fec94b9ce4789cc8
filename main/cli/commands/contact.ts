// `triage contact EMAIL`: a contact's rhythm, time zone (with its source) and overrides; the
// --set-* flags store overrides that later decisions honour (due dates of `unanswered`, the
// follow-up queue's zone, country and hours). A value of "auto" clears an override.
import type { CliContext } from '../context.js';
import { bool, instant, parseArgs, str, UsageError } from '../args.js';
import { printJson, table } from '../output.js';
import type { ContactChange, ContactInfo } from '../../core/api.js';
import { MAX_WAIT_DAYS } from '../../core/contacts/index.js';
import { isKnownCountry, normalizeZone, parseHoursRange } from '../../core/calendar/index.js';

const USAGE = 'usage: triage contact EMAIL [--json] [--set-timezone IANA] [--set-country CC] [--set-hours HH:MM-HH:MM] [--set-wait-days N]  (a value of "auto" clears it)';

const clears = (v: string) => v.trim().toLowerCase() === 'auto';

/** The --set-* flags, each checked with a sentence naming the flag (exit 2 when one is bad). */
export function changeFrom(flags: { timeZone?: string; country?: string; hours?: string; waitDays?: string }): ContactChange {
  const change: ContactChange = {};
  if (flags.timeZone !== undefined) {
    if (clears(flags.timeZone)) change.timeZone = null;
    else if (!normalizeZone(flags.timeZone)) throw new UsageError(`--set-timezone: "${flags.timeZone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)`);
    else change.timeZone = flags.timeZone.trim();
  }
  if (flags.country !== undefined) {
    if (clears(flags.country)) change.country = null;
    else if (!isKnownCountry(flags.country)) throw new UsageError(`--set-country: "${flags.country}" is not a two-letter country code (ISO 3166, e.g. DE, US, JP)`);
    else change.country = flags.country.trim().toUpperCase();
  }
  if (flags.hours !== undefined) {
    if (clears(flags.hours)) change.hours = null;
    else {
      try {
        const h = parseHoursRange(flags.hours);
        change.hours = `${h.start}-${h.end}`;
      } catch (e) {
        throw new UsageError(`--set-hours: ${(e as Error).message.replace(/^hours:\s*/, '')}`);
      }
    }
  }
  if (flags.waitDays !== undefined) {
    if (clears(flags.waitDays)) change.waitDays = null;
    else {
      const n = Number(flags.waitDays);
      if (!/^\s*\d+(\.\d+)?\s*$/.test(flags.waitDays) || !(n >= 0 && n <= MAX_WAIT_DAYS)) {
        throw new UsageError(`--set-wait-days: "${flags.waitDays}" is not a number of business days from 0 to ${MAX_WAIT_DAYS}`);
      }
      change.waitDays = n;
    }
  }
  return change;
}

export async function contact(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool', 'set-timezone': 'string', 'set-country': 'string', 'set-hours': 'string', 'set-wait-days': 'string', now: 'string' });
  const [address, ...rest] = p.positionals;
  if (!address || rest.length) throw new UsageError(USAGE);
  if (!/^[^\s@]+@[^\s@][^\s@.]*\.[^\s@]+$/.test(address.trim())) throw new UsageError(`"${address}" is not an e-mail address. ${USAGE}`);
  const change = changeFrom({ timeZone: str(p, 'set-timezone'), country: str(p, 'set-country'), hours: str(p, 'set-hours'), waitDays: str(p, 'set-wait-days') });
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const info = await service.contact(address, change);
  if (bool(p, 'json')) printJson(info);
  else process.stdout.write(describe(info));
  if (Object.keys(change).length && !bool(p, 'json')) process.stderr.write('Saved: later due dates and follow-ups use these settings.\n');
  return 0;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pct = (x: number) => `${Math.round(x * 100)}%`;
const SOURCES: Record<string, string> = {
  user: 'set by you',
  'date-offsets': 'from the offsets of their Date headers',
  'date-offsets+cctld': 'from the offsets of their Date headers and their domain',
  cctld: 'from their domain',
  account: "your account's zone (nothing else known)",
};

export function describe(c: ContactInfo): string {
  const r = c.rhythm;
  const rows: string[][] = [];
  rows.push(['Contact', `${c.name ? `${c.name} <${c.address}>` : c.address}${c.known ? '' : ' (no mail exchanged yet)'}`]);
  rows.push(['Time zone', `${c.timeZone}${c.country ? `, ${c.country}` : ''} (${SOURCES[c.timeZoneSource] ?? c.timeZoneSource})`]);
  rows.push(['Business hours', `${c.hours} (${c.hoursSource === 'user' ? 'set by you' : c.hoursSource === 'settings' ? 'from Settings' : 'default'})`]);
  rows.push([
    'Replies',
    r.answered
      ? `${r.answered} of your mails answered; median ${r.medianReplyHours} business hours, 80% within ${r.p80ReplyHours} (${r.p80ReplyDays} business days)`
      : 'none measured yet',
  ]);
  rows.push(['Follow up after', `${Number(c.wait.days.toFixed(1))} business day${c.wait.days === 1 ? '' : 's'} (${c.wait.reason})`]);
  if (r.messages) {
    const days = r.weekdayShare.map((s, i) => [WEEKDAYS[i], s] as const).filter(([, s]) => s > 0).map(([d, s]) => `${d} ${pct(s)}`);
    const top = r.hourShare.map((s, h) => [h, s] as const).filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]).slice(0, 3);
    rows.push(['Their mail', `${r.messages} written; ${days.join(' ')}`]);
    rows.push(['Busiest hours', top.map(([h, s]) => `${String(h).padStart(2, '0')}:00 ${pct(s)}`).join(', ') + ' (their time)']);
    rows.push(['Active period', r.activePeriod ? `${r.activePeriod.start}-${r.activePeriod.end} their time (${pct(r.activePeriod.share)} of ${r.activePeriod.messages} mails): follow-ups go then` : 'none clear (needs 10+ mails, most within two hours)']);
    rows.push(['Last wrote', r.lastWroteAt ?? '-']);
  }
  const o = c.overrides;
  const set = [o.timeZone && `time zone ${o.timeZone}`, o.country && `country ${o.country}`, o.hours && `hours ${o.hours}`, o.waitDays !== undefined && `wait ${o.waitDays} business days`, o.trust && o.trust]
    .filter(Boolean)
    .join(', ');
  rows.push(['Your settings', set || 'none (change with --set-timezone, --set-country, --set-hours, --set-wait-days; "auto" clears)']);
  return table(['', ''], rows, { maxWidth: 20 }).split('\n').slice(1).join('\n') + '\n';
}
