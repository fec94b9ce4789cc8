import type { CliContext } from '../context.js';
import { bool, int, list, parseArgs, str, UsageError, type Parsed } from '../args.js';
import { NO_ACCOUNTS, printedJsonOrEmpty, table } from '../output.js';
import { TriageError, cliMessage } from '../../core/errors.js';
import { accountFromInput } from '../../core/accounts/index.js';
import type { AccountSummary, NewOAuthAccountInput, Security } from '../../core/api.js';
import type { TriageService } from '../../core/service.js';
import { oauthOnlyCli, signInAgainCli, tokenEnvName } from '../../core/auth/index.js';
import { announceSignIn } from '../sign-in.js';

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
  oauth: 'string',
  'client-id': 'string',
  'client-secret': 'string',
  'no-browser': 'bool',
  'print-refresh-token': 'bool',
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
  if (str(p, 'oauth') !== undefined) return accountAddOAuth(ctx, name, p);
  for (const flag of ['client-id', 'client-secret', 'no-browser', 'print-refresh-token']) {
    if (p.flags[flag] !== undefined) throw new UsageError(`--${flag} goes with --oauth google|microsoft`);
  }
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
  // Before a password is asked for: a server that takes only OAuth2 gets no prompt, but the way
  // that works. (A probe that fails says nothing here; the login below reports its own error.)
  if (verify) {
    const check = await service.checkServer({ host: input.imap.host, port: input.imap.port, security: input.imap.security }).catch(() => null);
    if (check?.oauthOnly) throw new TriageError('oauth-required', check.message, { cli: oauthOnlyCli(check) });
  }
  const password = verify ? await service.secrets.get(name) : null;
  const summary = await service.addAccount({ ...input, ...(password ? { password } : {}) }, { verify });
  if (!str(p, 'security')) process.stderr.write(`Security: ${summary.imapSecurity} (asked the server; set it with --security).\n`);
  process.stderr.write(
    password ? `Signed in to ${summary.imapHost} as ${summary.user}.\n` : `Not verified: no password given (it is read at sync time).\n`,
  );
  process.stdout.write(`Added account ${summary.name} (${summary.addresses.join(', ') || 'no own address: add --address'}).\n`);
  return 0;
}

/**
 * `account add NAME --oauth google|microsoft [--user U] [--client-id ID] [--no-browser]`: the
 * browser sign-in instead of a password; servers default to the provider's.
 */
async function accountAddOAuth(ctx: CliContext, name: string, p: Parsed): Promise<number> {
  const provider = str(p, 'oauth');
  if (provider !== 'google' && provider !== 'microsoft') throw new UsageError('--oauth must be google or microsoft');
  if (p.flags['no-verify'] !== undefined) throw new UsageError('--no-verify does not go with --oauth: the sign-in is the check');
  const user = str(p, 'user') ?? (name.includes('@') ? name : undefined);
  if (!user) throw new UsageError('--user is required with --oauth: the address to sign in as');
  const imapHost = str(p, 'imap-host');
  if (imapHost && !str(p, 'imap-port')) throw new UsageError('--imap-port is required with --imap-host');
  if (!imapHost && (str(p, 'imap-port') || str(p, 'security'))) throw new UsageError('--imap-port and --security go with --imap-host');
  const smtpHost = str(p, 'smtp-host');
  if (smtpHost && !str(p, 'smtp-port')) throw new UsageError('--smtp-port is required with --smtp-host');
  const input: NewOAuthAccountInput = {
    name,
    imap: { user, ...(imapHost ? { host: imapHost, port: int(p, 'imap-port')!, security: security(p, 'security') } : {}) },
    ...(smtpHost ? { smtp: { host: smtpHost, port: int(p, 'smtp-port')!, security: security(p, 'smtp-security')!, user: str(p, 'smtp-user') } } : {}),
    addresses: list(p, 'address'),
    timeZone: str(p, 'timezone'),
    country: str(p, 'country'),
    oauth: { provider, clientId: str(p, 'client-id'), clientSecret: str(p, 'client-secret') },
  };
  const service = await ctx.service();
  const summary = await signIn(service, { account: input }, { browser: !bool(p, 'no-browser'), printToken: bool(p, 'print-refresh-token') });
  process.stdout.write(`Added account ${summary.name} (${summary.addresses.join(', ') || 'no own address: add --address'}).\n`);
  return 0;
}

/** Runs a browser sign-in to its end; prints where to sign in, and the outcome on stderr. */
async function signIn(service: TriageService, request: Parameters<TriageService['startSignIn']>[0], { browser, printToken }: { browser: boolean; printToken: boolean }): Promise<AccountSummary> {
  const start = await service.startSignIn(request);
  const provider = await service.tokens.provider(start.provider);
  const user = 'account' in request ? request.account.imap.user : (await service.account(request.signInAgain)).imap.user;
  announceSignIn({ url: start.url, endpoint: provider.authorizationEndpoint, label: provider.label, user, browser });
  const result = await service.finishSignIn(start.flowId);
  const account = result.account;
  process.stderr.write(`Signed in to ${account.imapHost} as ${account.user} with ${provider.label}.\n`);
  const grant = await service.tokens.vault.get(account.name);
  if (printToken && grant) {
    // Asked for: the refresh token is as good as a password for this mailbox; keep it in a
    // password manager, never in a plain file.
    process.stdout.write(`${tokenEnvName(account.name)}=${grant.refreshToken}\n`);
  }
  if (!service.tokens.vault.persistent) {
    process.stderr.write(
      `The command line keeps no token on disk: later commands in a terminal sign you in again in the browser. For cron or scripts, ` +
        `keep the refresh token in your password manager and set ${tokenEnvName(account.name)}${printToken ? '' : ' (--print-refresh-token shows it)'}.\n`,
    );
  }
  return account;
}

/** `account sign-in NAME [--no-browser] [--print-refresh-token]`: sign an OAuth2 account in again. */
export async function accountSignIn(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { 'no-browser': 'bool', 'print-refresh-token': 'bool' });
  const [name, ...rest] = p.positionals;
  if (!name || rest.length) throw new UsageError('usage: triage account sign-in NAME [--no-browser] [--print-refresh-token]');
  const service = await ctx.service();
  const summary = await signIn(service, { signInAgain: name }, { browser: !bool(p, 'no-browser'), printToken: bool(p, 'print-refresh-token') });
  process.stdout.write(`${summary.name} is signed in again: it syncs and sends follow-ups again.\n`);
  return 0;
}

const SIGN_IN_WORDS: Record<string, string> = {
  valid: 'token valid',
  'needs-refresh': 'token renewed at next use',
  missing: 'no token in this process',
  'sign-in-again': 'SIGN IN AGAIN',
};

export async function accountList(ctx: CliContext, argv: string[]): Promise<number> {
  const p = parseArgs(argv, { json: 'bool', check: 'bool' });
  if (p.positionals.length) throw new UsageError('usage: triage account list [--json] [--check]');
  const accounts = await (await ctx.service()).listAccounts({ check: bool(p, 'check') });
  if (printedJsonOrEmpty(accounts, bool(p, 'json'), NO_ACCOUNTS)) return 0;
  const signIn = (a: AccountSummary) => (a.auth === 'oauth2' ? `${a.provider} (${SIGN_IN_WORDS[a.tokenState ?? ''] ?? a.tokenState})` : a.demo ? 'sample' : 'password');
  process.stdout.write(table(['NAME', 'USER', 'SERVER', 'SIGN-IN', 'ADDRESSES'], accounts.map((a) => [a.name, a.user, a.imapHost, signIn(a), a.addresses.join(', ')])) + '\n');
  for (const a of accounts) if (a.signInMessage) process.stderr.write(`triage: ${a.signInMessage} ${signInAgainCli(a.name)}\n`);
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
