// `triage unanswered`, `triage junk`, `triage rescue`: the first two jobs from the terminal.
import type { CliContext } from '../context.js';
import { bool, instant, num, parseArgs, UsageError } from '../args.js';
import { printedJsonOrEmpty, printJson, table } from '../output.js';
import { businessDaysBetween, localTimeZone } from '../../core/calendar/index.js';

export async function unanswered(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool', now: 'string', 'min-age': 'string', due: 'bool', account: 'string' });
  if (p.positionals.length) throw new UsageError('usage: triage unanswered [--json] [--now ISO] [--min-age HOURS] [--due]');
  const now = instant(p) ?? new Date();
  const service = await ctx.service({ now });
  const entries = await service.unanswered({ now: now.toISOString(), minAgeHours: num(p, 'min-age'), due: bool(p, 'due'), account: p.flags.account as string | undefined });
  if (printedJsonOrEmpty(entries, bool(p, 'json'), bool(p, 'due') ? 'No follow-up is due.' : 'Nothing awaits a reply.')) return 0;
  const accounts = new Map((await service.store.listAccounts()).map((a) => [a.name, a]));
  const rows = entries.map((e) => {
    const a = accounts.get(e.account);
    const days = businessDaysBetween({ from: e.sentAt, to: now, timeZone: a?.timeZone ?? localTimeZone(), country: a?.country ?? null });
    const mark = e.status === 'bounced' ? 'BOUNCED ' : e.outOfOfficeUntil ? `away until ${String(e.outOfOfficeUntil).slice(0, 10)} ` : '';
    const hints = Array.isArray(e.hints) && e.hints.length ? ` (${e.hints.length} hint${e.hints.length === 1 ? '' : 's'})` : '';
    return [dueIn(e.dueAt, now), `${days.toFixed(1)} d`, (e.awaitingFrom?.length ? e.awaitingFrom : e.to).join(', '), `${mark}${e.subject}${hints}`];
  });
  const due = entries.filter((e) => e.due === true).length;
  process.stdout.write(
    table(['DUE', 'AGE', 'AWAITING', 'SUBJECT'], rows) +
      `\n${entries.length} conversation${entries.length === 1 ? '' : 's'} awaiting a reply (age in business days), ${due} due for a follow-up` +
      `${bool(p, 'due') ? '' : ' (--due lists only those)'}; why and hints: --json.\n`,
  );
  return 0;
}

/** 'now' when due, else how long until (the due time's reason is in --json). */
function dueIn(dueAt: string | undefined, now: Date): string {
  if (!dueAt) return '';
  const hours = (Date.parse(dueAt) - now.getTime()) / 3_600_000;
  if (hours <= 0) return 'now';
  return hours < 48 ? `in ${Math.ceil(hours)} h` : `in ${Math.ceil(hours / 24)} d`;
}

export async function junk(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool', now: 'string' });
  if (p.positionals.length) throw new UsageError('usage: triage junk [--json] [--now ISO]');
  // --now: a replay, known contacts and Junk as they were at that instant.
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const entries = await service.junk(now ? { now: now.toISOString() } : {});
  if (printedJsonOrEmpty(entries, bool(p, 'json'), 'No mail from known contacts in Junk.')) return 0;
  const rows = entries.map((e) => [e.verdict.toUpperCase(), e.id, e.from, e.subject, e.reasons.join('; ')]);
  process.stdout.write(table(['VERDICT', 'ID', 'FROM', 'SUBJECT', 'REASONS'], rows, { maxWidth: 40 }) + '\n');
  const rescue = entries.filter((e) => e.verdict === 'rescue').length;
  process.stdout.write(`${rescue} to rescue (triage rescue ID), ${entries.length - rescue} suspicious (need --force).\n`);
  return 0;
}

export async function rescue(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { undo: 'bool', force: 'bool', json: 'bool' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage rescue ID [--undo] [--force]');
  const result = await (await ctx.service()).rescue(id, { undo: bool(p, 'undo'), force: bool(p, 'force') });
  if (bool(p, 'json')) printJson(result);
  else {
    process.stdout.write(`${bool(p, 'undo') ? 'Moved back to' : 'Not junk: moved to'} ${result.folder}: mail from ${result.from} (${result.id}).\n`);
    if (result.note) process.stderr.write(`Note: ${result.note}.\n`);
    if (!bool(p, 'undo')) process.stdout.write(`Undo with: triage rescue ${result.id} --undo\n`);
  }
  return 0;
}
