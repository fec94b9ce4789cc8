// `triage resend`, `triage queue`, `triage queue cancel`, `triage queue edit`, `triage queue send`,
// `triage send-due`: the follow-up queue from the terminal (issues 6 and 8). The work is in
// main/core/followup/ (resend.ts, edit.ts, send-due.ts).
import type { CliContext } from '../context.js';
import { bool, instant, int, list, parseArgs, str, UsageError } from '../args.js';
import { printedJsonOrEmpty, printJson, table } from '../output.js';
import { localTimeZone } from '../../core/calendar/index.js';
import { describeScheduled } from '../sentences.js';
import { DateTime } from 'luxon';

export async function resend(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { now: 'string', json: 'bool', plan: 'string', cap: 'string', force: 'bool', text: 'string', hold: 'string' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage resend ID [--now ISO] [--plan N] [--cap N] [--force] [--text TEXT] [--hold MIN] [--json]');
  // --hold MIN: the app's undo window from the terminal; without it the contract's earliest instant.
  const hold = int(p, 'hold');
  if (hold !== undefined && (hold < 0 || hold > 120)) throw new UsageError(`--hold takes 0 to 120 minutes, not ${hold}`);
  const plan = int(p, 'plan');
  if (plan !== undefined && (plan < 1 || plan > 5)) throw new UsageError(`--plan takes 1 to 5 follow-ups, not ${plan}`);
  const cap = int(p, 'cap');
  if (cap !== undefined && (cap < 1 || cap > 10)) throw new UsageError(`--cap takes 1 to 10, not ${cap}`);
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const entries = await service.resend(id, {
    ...(now ? { now: now.toISOString() } : {}),
    ...(plan !== undefined ? { plan } : {}),
    ...(cap !== undefined ? { cap } : {}),
    ...(bool(p, 'force') ? { force: true } : {}),
    ...(str(p, 'text') !== undefined ? { text: str(p, 'text') } : {}),
    ...(hold !== undefined ? { hold } : {}),
  });
  if (bool(p, 'json')) {
    printJson(entries);
    return 0;
  }
  const accounts = new Map((await service.store.listAccounts()).map((a) => [a.name, a]));
  for (const e of entries) {
    process.stdout.write(describeScheduled(e, accounts.get(e.account)?.timeZone ?? localTimeZone()) + '\n');
  }
  return 0;
}

export async function queue(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage queue [--json]  |  triage queue cancel|edit|send ID');
  const entries = await (await ctx.service()).queue();
  if (printedJsonOrEmpty(entries, bool(p, 'json'), 'The follow-up queue is empty. Queue one with: triage resend ID')) return 0;
  const rows = entries.map((e) => {
    const state = e.state ?? e.status;
    const at = e.status === 'sent' && e.sentAt ? e.sentAt : e.scheduledAt;
    const local = DateTime.fromISO(at, { zone: e.recipientTimeZone }).setLocale('en').toFormat('ccc d LLL yyyy HH:mm');
    const plan = e.planId ? `plan step ${e.step}/${e.planSize ?? '?'}: ` : '';
    return [e.id, state.toUpperCase(), `${local} ${e.recipientTimeZone}`, e.to.join(', '), e.subject, plan + (e.statusReason ?? (e.status === 'scheduled' ? e.scheduledReason : ''))];
  });
  process.stdout.write(table(['ID', 'STATUS', 'WHEN (THEIR TIME)', 'TO', 'SUBJECT', 'NOTE'], rows, { maxWidth: 36 }) + '\n');
  const held = entries.filter((e) => e.state === 'held').length;
  if (held) process.stdout.write(`${held} held for you: send with "triage send-due --confirm ID", or "triage queue cancel ID".\n`);
  return 0;
}

export async function queueCancel(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool', plan: 'bool' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage queue cancel ID [--plan] [--json]');
  const entry = await (await ctx.service()).cancel(id, bool(p, 'plan') ? { plan: true } : {});
  if (bool(p, 'json')) {
    printJson(entry);
    return 0;
  }
  const what = `follow-up ${entry.id} to ${entry.to.join(', ')} ("${entry.subject}")`;
  if (entry.cancelledSteps) {
    const n = entry.cancelledSteps.length;
    process.stdout.write(
      n ? `Cancelled ${n} step${n === 1 ? '' : 's'} of the plan of ${what}: ${entry.cancelledSteps.join(', ')}.\n` : `Nothing left to cancel in the plan of ${what}.\n`,
    );
    if (entry.inFlight?.length) process.stdout.write(`Step ${entry.inFlight.join(', ')} may be on its way; run "triage send-due" to settle it.\n`);
    return 0;
  }
  process.stdout.write(`Cancelled ${what}.\n`);
  if (entry.note) process.stdout.write(`Note: ${entry.note}.\n`);
  if (entry.planWaiting?.length) {
    process.stdout.write(
      `It was step ${entry.step} of ${entry.planSize ?? '?'}; ${entry.planWaiting.length === 1 ? 'step' : 'steps'} ${entry.planWaiting.join(', ')} still ` +
        `${entry.planWaiting.length === 1 ? 'waits' : 'wait'}: cancel the rest with "triage queue cancel ${entry.id} --plan".\n`,
    );
  }
  return 0;
}

export async function queueEdit(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { text: 'string', at: 'string', now: 'string', json: 'bool' });
  const [id, ...rest] = p.positionals;
  const text = str(p, 'text');
  const at = instant(p, 'at');
  if (!id || rest.length || (text === undefined && !at)) throw new UsageError('usage: triage queue edit ID [--text TEXT] [--at ISO] [--now ISO] [--json]');
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const entry = await service.updateFollowUp(id, { ...(text !== undefined ? { text } : {}), ...(at ? { scheduledAt: at.toISOString() } : {}) });
  if (bool(p, 'json')) {
    printJson(entry);
    return 0;
  }
  const accounts = new Map((await service.store.listAccounts()).map((a) => [a.name, a]));
  process.stdout.write(`Changed. ${describeScheduled(entry, accounts.get(entry.account)?.timeZone ?? localTimeZone())}\n`);
  return 0;
}

export async function queueSend(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { now: 'string', json: 'bool' });
  const [id, ...rest] = p.positionals;
  if (!id || rest.length) throw new UsageError('usage: triage queue send ID [--now ISO] [--json]');
  const now = instant(p);
  const service = await ctx.service(now ? { now } : {});
  const r = await service.sendNow(id);
  if (bool(p, 'json')) printJson(r);
  else process.stdout.write(`${r.action} ${r.id} ${r.actionText}\n`);
  if (r.action === 'sent') return 0;
  process.stderr.write(`triage: not sent: ${r.actionText}\n`);
  return 1;
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
