// `triage resend`, `triage queue`, `triage queue cancel`, `triage send-due`: the follow-up queue
// from the terminal (issue 6). The work is in main/core/followup/followups.ts.
import type { CliContext } from '../context.js';
import { bool, instant, int, list, parseArgs, str, UsageError } from '../args.js';
import { printJson, table } from '../output.js';
import { localTimeZone } from '../../core/followup/local-zone.js';
import { DateTime } from 'luxon';

export async function resend(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { now: 'string', json: 'bool', plan: 'string', force: 'bool', text: 'string' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage resend ID [--now ISO] [--plan N] [--force] [--json]');
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const entries = await service.resend(id, {
    ...(now ? { now: now.toISOString() } : {}),
    ...(int(p, 'plan') !== undefined ? { plan: int(p, 'plan') } : {}),
    ...(bool(p, 'force') ? { force: true } : {}),
    ...(str(p, 'text') !== undefined ? { text: str(p, 'text') } : {}),
  });
  if (bool(p, 'json')) {
    printJson(entries);
    return 0;
  }
  const accounts = new Map((await service.store.listAccounts()).map((a) => [a.name, a]));
  for (const e of entries) {
    process.stdout.write(service.followUps.describeScheduled(e, accounts.get(e.account)?.timeZone ?? localTimeZone()) + '\n');
  }
  return 0;
}

export async function queue(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage queue [--json]  |  triage queue cancel ID');
  const entries = await (await ctx.service()).queue();
  if (bool(p, 'json')) {
    printJson(entries);
    return 0;
  }
  if (!entries.length) {
    process.stdout.write('The follow-up queue is empty. Queue one with: triage resend ID\n');
    return 0;
  }
  const rows = entries.map((e) => {
    const state = e.state ?? e.status;
    const at = e.status === 'sent' && e.sentAt ? e.sentAt : e.scheduledAt;
    const local = DateTime.fromISO(at, { zone: e.recipientTimeZone }).setLocale('en').toFormat('ccc d LLL yyyy HH:mm');
    return [e.id, state.toUpperCase(), `${local} ${e.recipientTimeZone}`, e.to.join(', '), e.subject, e.statusReason ?? (e.status === 'scheduled' ? e.scheduledReason : '')];
  });
  process.stdout.write(table(['ID', 'STATUS', 'WHEN (THEIR TIME)', 'TO', 'SUBJECT', 'NOTE'], rows, { maxWidth: 36 }) + '\n');
  const held = entries.filter((e) => e.state === 'held').length;
  if (held) process.stdout.write(`${held} held for you: send with "triage send-due --confirm ID", or "triage queue cancel ID".\n`);
  return 0;
}

export async function queueCancel(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage queue cancel ID');
  const entry = await (await ctx.service()).cancel(id);
  if (bool(p, 'json')) printJson(entry);
  else process.stdout.write(`Cancelled follow-up ${entry.id} to ${entry.to.join(', ')} ("${entry.subject}").\n`);
  return 0;
}

export async function sendDue(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { now: 'string', confirm: 'list', json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage send-due [--now ISO] [--confirm ID]... [--json]');
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const results = await service.sendDue({ ...(now ? { now: now.toISOString() } : {}), confirm: list(p, 'confirm') });
  if (bool(p, 'json')) printJson(results);
  else for (const r of results) process.stdout.write(`${r.action} ${r.id} ${r.actionText}\n`);
  const bad = results.filter((r) => r.action === 'failed' || r.action === 'deferred');
  if (bad.length) {
    process.stderr.write(`triage: ${bad.length} follow-up${bad.length === 1 ? '' : 's'} not sent: ${bad[0].actionText}\n`);
    return 1;
  }
  return 0;
}
