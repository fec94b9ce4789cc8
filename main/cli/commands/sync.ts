import type { CliContext } from '../context.js';
import type { SyncSummary } from '../../core/api.js';
import { bool, parseArgs, str, UsageError } from '../args.js';
import { NO_ACCOUNTS, printedJsonOrEmpty, printJson, progressReporter, table } from '../output.js';

export async function sync(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { account: 'string', json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage sync [--account NAME]');
  const reporter = progressReporter();
  const service = await ctx.service({ onProgress: reporter.onProgress });
  let results;
  try {
    results = await service.sync({ account: str(p, 'account') });
  } finally {
    reporter.end();
  }
  if (bool(p, 'json')) {
    printJson(results);
  } else {
    for (const r of results) {
      const added = r.folders.reduce((n, f) => n + f.added, 0);
      const updated = r.folders.reduce((n, f) => n + f.updated, 0);
      const removed = r.folders.reduce((n, f) => n + f.removed, 0);
      if (r.error) {
        process.stdout.write(`${r.account}: not synced\n`);
        continue;
      }
      process.stdout.write(`${r.account}: ${added} new, ${updated} changed, ${removed} removed in ${(r.ms / 1000).toFixed(1)} s\n`);
      for (const f of r.folders) {
        process.stdout.write(`  ${f.folder} (${f.role}): +${f.added} ~${f.updated} -${f.removed}${f.resynced ? ' (UIDVALIDITY changed: copied again)' : ''}${f.error ? `  error: ${f.error}` : ''}\n`);
      }
      if (r.bodies) process.stdout.write(`  texts of bounces and auto-replies: ${bodyLine(r.bodies)}\n`);
    }
  }
  // The body pass's trouble does not fail the sync (the headers are all in; the next sync asks
  // again or has recorded the server's refusal), but it is said, as a warning.
  for (const r of results) for (const e of r.bodies?.errors ?? []) process.stderr.write(`triage: warning: ${r.account} ${e}\n`);
  // Exit 1 with the reasons on stderr, one line each, when anything could not be synced.
  const failures = results.flatMap((r) => (r.error ? [`${r.account}: ${r.error}`] : r.folders.filter((f) => f.error).map((f) => `${r.account} ${f.folder}: ${f.error}`)));
  for (const line of failures) process.stderr.write(`triage: ${line}\n`);
  return failures.length ? 1 : 0;
}

function bodyLine(b: NonNullable<SyncSummary['bodies']>): string {
  const parts = [`${b.fetched} fetched`];
  if (b.failed) parts.push(`${b.failed} refused by the server`);
  if (b.pending) parts.push(`${b.pending} left for the next sync`);
  return parts.join(', ');
}

export async function status(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage status [--json]');
  const accounts = await (await ctx.service()).status();
  if (printedJsonOrEmpty(accounts, bool(p, 'json'), NO_ACCOUNTS)) return 0;
  for (const a of accounts) {
    process.stdout.write(`${a.account}: ${a.messages} messages, last sync ${a.lastSyncAt ?? 'never'}\n`);
    const rows = a.folders.map((f) => [f.path, f.role + (f.roleSource === 'user' ? ' (set)' : ''), f.synced ? 'yes' : 'no', String(f.messages), f.lastSyncAt ?? 'never', f.lastError ?? '']);
    process.stdout.write(table(['FOLDER', 'ROLE', 'SYNCED', 'MESSAGES', 'LAST SYNC', 'ERROR'], rows).replace(/^/gm, '  ') + '\n');
  }
  return 0;
}
