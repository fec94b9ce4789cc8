import type { CliContext } from '../context.js';
import { bool, int, list, parseArgs, str, UsageError, type Parsed } from '../args.js';
import { NO_ACCOUNTS, printedJsonOrEmpty, table } from '../output.js';
import { TriageError, cliMessage } from '../../core/errors.js';
import { accountFromInput } from '../../core/accounts/index.js';
import type { Security } from '../../core/api.js';

export const accountAddSpec = {
  'imap-host': 'string',
  'imap-port': 'string',
  user: 'string',
  security: 'string',
  'smtp-host': 'string',
  'smtp-port': 'string',
  'smtp-security': 'string',
  'smtp-user': 'string',
  address: 'list',
  timezone: 'string',
  country: 'string',
  'no-verify': 'bool',
} as const;

function security(p: Parsed, flag: string): Security | undefined {
  const v = str(p, flag);
  if (v === undefined) return undefined;
  if (v !== 'tls' && v !== 'starttls' && v !== 'none') throw new UsageError(`--${flag} must be tls, starttls or none`);
  return v;
}

export async function accountAdd(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, accountAddSpec);
  const [name, ...rest] = p.positionals;
  if (!name || rest.length) throw new UsageError('usage: triage account add NAME --imap-host H --imap-port P --user U [--security tls|starttls|none] ...');
  for (const req of ['imap-host', 'imap-port', 'user']) if (!str(p, req)) throw new UsageError(`--${req} is required`);
  const smtpHost = str(p, 'smtp-host');
  if (smtpHost && !str(p, 'smtp-port')) throw new UsageError('--smtp-port is required with --smtp-host');
  const input = {
    name,
    imap: { host: str(p, 'imap-host')!, port: int(p, 'imap-port')!, security: security(p, 'security')!, user: str(p, 'user')! },
    ...(smtpHost
      ? { smtp: { host: smtpHost, port: int(p, 'smtp-port')!, security: security(p, 'smtp-security')!, user: str(p, 'smtp-user') } }
      : {}),
    addresses: list(p, 'address'),
    timeZone: str(p, 'timezone'),
    country: str(p, 'country'),
  };
  // Validate before opening the store or asking for a password: a typo is a usage error (exit 2)
  // and costs neither a lock nor a prompt.
  try {
    accountFromInput(input, new Date());
  } catch (e) {
    if (e instanceof TriageError && e.code === 'bad-input') throw new UsageError(cliMessage(e));
    throw e;
  }
  const service = await ctx.service();
  const verify = !bool(p, 'no-verify');
  const password = verify ? await service.secrets.get(name) : null;
  const summary = await service.addAccount({ ...input, ...(password ? { password } : {}) }, { verify });
  if (!str(p, 'security')) process.stderr.write(`Security: ${summary.imapSecurity} (asked the server; set it with --security).\n`);
  process.stderr.write(
    password ? `Signed in to ${summary.imapHost} as ${summary.user}.\n` : `Not verified: no password given (it is read at sync time).\n`,
  );
  process.stdout.write(`Added account ${summary.name} (${summary.addresses.join(', ') || 'no own address: add --address'}).\n`);
  return 0;
}

export async function accountList(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage account list [--json]');
  const accounts = await (await ctx.service()).listAccounts();
  if (printedJsonOrEmpty(accounts, bool(p, 'json'), NO_ACCOUNTS)) return 0;
  process.stdout.write(table(['NAME', 'USER', 'SERVER', 'ADDRESSES'], accounts.map((a) => [a.name, a.user, a.imapHost, a.addresses.join(', ')])) + '\n');
  return 0;
}

export async function accountRemove(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, {});
  const [name, ...rest] = p.positionals;
  if (!name || rest.length) throw new UsageError('usage: triage account remove NAME');
  await (await ctx.service()).removeAccount(name);
  process.stdout.write(`Removed account ${name} and its local data (nothing was changed on the server).\n`);
  return 0;
}

export async function accountSetRole(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, {});
  const [name, folder, role, ...rest] = p.positionals;
  const roles = ['inbox', 'sent', 'junk', 'archive', 'all', 'trash', 'drafts', 'other', 'auto'];
  if (!name || !folder || !role || rest.length) throw new UsageError('usage: triage account set-role NAME FOLDER inbox|sent|junk|archive|all|trash|drafts|other|auto');
  if (!roles.includes(role)) throw new UsageError(`"${role}" is not a role: use ${roles.join(', ')}`);
  await (await ctx.service()).setFolderRole(name, folder, role as never);
  process.stdout.write(role === 'auto' ? `${folder}: back to the server's role; run triage sync.\n` : `${folder} is now ${role} for ${name}; run triage sync to apply it.\n`);
  return 0;
}
