// Accounts: what a user typed, checked and normalised into an account config; a connection test;
// adding (the password into the secret store, never the store), editing a folder's role, removing.
import type { AccountSummary, NewAccountInput } from '../api.js';
import type { AccountConfig, FolderRole, Security } from '../model.js';
import type { Store } from '../store/index.js';
import type { SecretStore, Clock } from '../deps/index.js';
import { accountNamed } from '../store/index.js';
import { TriageError } from '../errors.js';
import { connectImap, isLoopback, probeImapSecurity } from '../imap/index.js';
import { DEMO_HOST, demoUnavailable, isDemoAccount } from '../demo/index.js';

export interface AccountDeps {
  store: Store;
  secrets: SecretStore;
  now: Clock;
}

const FOLDER_ROLES: FolderRole[] = ['inbox', 'sent', 'junk', 'archive', 'all', 'trash', 'drafts', 'other'];
const SECURITIES: Security[] = ['tls', 'starttls', 'none'];
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function summarizeAccount(a: AccountConfig): AccountSummary {
  return {
    name: a.name,
    user: a.imap.user,
    imapHost: a.imap.host,
    imapSecurity: a.imap.security,
    addresses: a.addresses,
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.country ? { country: a.country } : {}),
    ...(isDemoAccount(a) ? { demo: true } : {}),
  };
}

/** Validate and normalise what a user typed into an account config. */
export function accountFromInput(input: NewAccountInput, now: Date): AccountConfig {
  const name = String(input.name ?? '').trim();
  if (!NAME_RE.test(name)) throw new TriageError('bad-input', `Account name "${name}" is not usable: use letters, digits and . _ @ + - (up to 64).`);
  const imap = input.imap;
  if (!imap?.host) throw new TriageError('bad-input', 'The IMAP host is missing (--imap-host).');
  const port = Number(imap.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TriageError('bad-input', `IMAP port "${imap.port}" is not a port number.`);
  const security = imap.security ?? (port === 993 ? 'tls' : port === 143 ? 'starttls' : 'tls');
  if (!SECURITIES.includes(security)) throw new TriageError('bad-input', `Security "${security}" is not one of tls, starttls, none.`);
  if (!imap.user) throw new TriageError('bad-input', 'The IMAP user is missing (--user).');
  let smtp: AccountConfig['smtp'];
  if (input.smtp?.host) {
    const sport = Number(input.smtp.port);
    if (!Number.isInteger(sport) || sport < 1 || sport > 65535) throw new TriageError('bad-input', `SMTP port "${input.smtp.port}" is not a port number.`);
    // RFC 8314: 465 is implicit TLS, 587 submission with STARTTLS; a loopback test server
    // usually has neither.
    const ssec = input.smtp.security ?? (sport === 465 ? 'tls' : isLoopback(input.smtp.host) ? 'none' : 'starttls');
    if (!SECURITIES.includes(ssec)) throw new TriageError('bad-input', `SMTP security "${ssec}" is not one of tls, starttls, none.`);
    smtp = { host: input.smtp.host, port: sport, security: ssec, user: input.smtp.user || imap.user };
  }
  const addresses = (input.addresses?.length ? input.addresses : imap.user.includes('@') ? [imap.user] : [])
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
  for (const a of addresses) {
    if (!/^[^\s@]+@[^\s@]+$/.test(a)) throw new TriageError('bad-input', `"${a}" is not an e-mail address.`);
  }
  if (input.timeZone && !validTimeZone(input.timeZone)) throw new TriageError('bad-input', `"${input.timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);
  if (input.country && !/^[A-Za-z]{2}$/.test(input.country)) throw new TriageError('bad-input', `"${input.country}" is not a two-letter country code.`);
  return {
    name,
    imap: { host: imap.host.trim(), port, security, user: imap.user },
    ...(smtp ? { smtp } : {}),
    addresses: [...new Set(addresses)],
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...(input.country ? { country: input.country.toUpperCase() } : {}),
    createdAt: now.toISOString(),
  };
}

/** Log in and list folders: proves host, port, security and password. */
export async function testConnection(deps: AccountDeps, input: NewAccountInput): Promise<{ ok: true; folders: number }> {
  if (input.imap?.host === DEMO_HOST) throw demoUnavailable('A connection test');
  const account = accountFromInput(input, deps.now());
  const password = input.password ?? (await deps.secrets.get(account.name));
  if (!password) throw new TriageError('bad-input', `No password for ${account.name}.`);
  const client = await connectImap({ server: account.imap, password });
  try {
    const folders = await client.list();
    return { ok: true, folders: folders.length };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export async function addAccount(deps: AccountDeps, input: NewAccountInput, { verify = true }: { verify?: boolean } = {}): Promise<AccountSummary> {
  if (input.imap?.host === DEMO_HOST) throw new TriageError('bad-input', `"${DEMO_HOST}" is reserved for the sample mail.`);
  if (!input.imap?.security && input.imap?.host) {
    // No --security: ask the server what it speaks rather than guess from the port.
    input = { ...input, imap: { ...input.imap, security: await probeImapSecurity(input.imap.host.trim(), Number(input.imap.port)) } };
  }
  const account = accountFromInput(input, deps.now());
  if (await deps.store.getAccount(account.name)) {
    throw new TriageError('bad-input', `An account named "${account.name}" exists already; remove it first or pick another name.`);
  }
  const password = input.password ?? (await deps.secrets.get(account.name));
  if (verify && password) await testConnection(deps, { ...input, password });
  if (input.password) await deps.secrets.set(account.name, input.password);
  await deps.store.saveAccount(account);
  return summarizeAccount(account);
}

/**
 * Give a folder a role by hand (e.g. Exchange's "Junk Email" as junk), or 'auto' to go back to
 * the server's. Stored on the account; the next sync applies it (and syncs the folder).
 */
export async function setFolderRole(deps: AccountDeps, accountName: string, path: string, role: FolderRole | 'auto'): Promise<AccountConfig> {
  const account = await accountNamed(deps.store, accountName);
  if (!path.trim()) throw new TriageError('bad-input', 'The folder path is empty.');
  if (role !== 'auto' && !FOLDER_ROLES.includes(role)) throw new TriageError('bad-input', `"${role}" is not a role: use ${FOLDER_ROLES.join(', ')} or auto.`);
  const others = (account.roleOverrides ?? []).filter((o) => o.path !== path);
  const updated: AccountConfig = { ...account, roleOverrides: role === 'auto' ? others : [...others, { path, role }] };
  await deps.store.saveAccount(updated);
  return updated;
}

export async function removeAccount(deps: AccountDeps, name: string): Promise<void> {
  await accountNamed(deps.store, name);
  await deps.store.removeAccount(name);
  await deps.secrets.remove(name);
}
