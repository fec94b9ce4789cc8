// Accounts: what a user typed, checked and normalised into an account config; a connection test;
// adding (the password into the secret store, never the store), editing a folder's role, removing.
import type { AccountSummary, ConnectionTest, NewAccountInput } from '../api.js';
import type { AccountConfig, FolderRole, Security } from '../model.js';
import type { Store } from '../store/index.js';
import { isLoopback, passwordEnvName, type Clock, type SecretStore } from '../deps/index.js';
import { accountNamed } from '../store/index.js';
import { TriageError } from '../errors.js';
import { connectImap, probeImapSecurity } from '../imap/index.js';
import { checkSmtp } from '../smtp/index.js';
import { DEMO_HOST, demoUnavailable, isDemoAccount } from '../demo/index.js';
import { providerLabel } from '../auth/index.js';

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
    imapPort: a.imap.port,
    smtp: a.smtp ? { host: a.smtp.host, port: a.smtp.port, security: a.smtp.security, user: a.smtp.user } : null,
    addresses: a.addresses,
    ...(a.timeZone ? { timeZone: a.timeZone } : {}),
    ...(a.country ? { country: a.country } : {}),
    ...(isDemoAccount(a) ? { demo: true } : {}),
  };
}

/** A password in plain text crosses a network only if the user's server is elsewhere: refused. */
function refusePlainText(what: 'IMAP' | 'SMTP', host: string, security: Security): void {
  if (security === 'none' && !isLoopback(host)) {
    throw new TriageError(
      'bad-input',
      `${what} without TLS would send your password unencrypted to ${host}: use TLS (port ${what === 'IMAP' ? 993 : 465}) or STARTTLS (port ${what === 'IMAP' ? 143 : 587}). Plain text is allowed only to this computer (127.0.0.1).`,
    );
  }
}

type ServerFields = { host: string; port: number; security?: Security; user?: string };

/** Whether two server settings are the same server and login (a saved password may go there). */
function sameServer(a: ServerFields | undefined, b: ServerFields | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.host.trim().toLowerCase() === b.host.trim().toLowerCase() && Number(a.port) === Number(b.port) && a.security === b.security && (a.user ?? '') === (b.user ?? '');
}

/**
 * The password to use with `account`'s servers: the one typed, else the saved one, but only when
 * the servers are those it was saved for. A caller naming an existing account with another host
 * (or port, security, login) must type it again: a saved password never goes anywhere new.
 */
async function passwordFor(deps: AccountDeps, account: AccountConfig, typed: string | undefined): Promise<string | null> {
  if (typed) return typed;
  const saved = await deps.store.getAccount(account.name);
  if (saved && (!sameServer(saved.imap, account.imap) || (account.smtp && !sameServer(saved.smtp, account.smtp)))) {
    throw new TriageError('bad-input', `Type the password to use these servers: the saved password of ${account.name} is only ever sent to the servers it was saved for.`);
  }
  return deps.secrets.get(account.name);
}

/** Validate and normalise what a user typed into an account config. */
export function accountFromInput(input: NewAccountInput, now: Date): AccountConfig {
  const name = String(input.name ?? '').trim();
  if (!NAME_RE.test(name)) throw new TriageError('bad-input', `Account name "${name}" is not usable: use letters, digits and . _ @ + - (up to 64).`);
  const imap = input.imap;
  if (!imap?.host) throw new TriageError('bad-input', 'The IMAP server is missing.', { cli: 'Give --imap-host.' });
  const port = Number(imap.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TriageError('bad-input', `IMAP port "${imap.port}" is not a port number.`);
  const security = imap.security ?? (port === 993 ? 'tls' : port === 143 ? 'starttls' : 'tls');
  if (!SECURITIES.includes(security)) throw new TriageError('bad-input', `Security "${security}" is not one of tls, starttls, none.`);
  if (!imap.user) throw new TriageError('bad-input', 'The login user name is missing.', { cli: 'Give --user.' });
  refusePlainText('IMAP', imap.host, security);
  let smtp: AccountConfig['smtp'];
  if (input.smtp?.host) {
    const sport = Number(input.smtp.port);
    if (!Number.isInteger(sport) || sport < 1 || sport > 65535) throw new TriageError('bad-input', `SMTP port "${input.smtp.port}" is not a port number.`);
    // RFC 8314: 465 is implicit TLS, 587 submission with STARTTLS; a loopback test server
    // usually has neither.
    const ssec = input.smtp.security ?? (sport === 465 ? 'tls' : isLoopback(input.smtp.host) ? 'none' : 'starttls');
    if (!SECURITIES.includes(ssec)) throw new TriageError('bad-input', `SMTP security "${ssec}" is not one of tls, starttls, none.`);
    refusePlainText('SMTP', input.smtp.host, ssec);
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

/**
 * Log in and list folders (host, port, security, user name and password of IMAP), then the SMTP
 * server: EHLO and, when it offers it, AUTH with the same password. `part` tests one of them
 * (the app shows each step). Any failure is a TriageError naming the server and what is wrong.
 */
export async function testConnection(deps: AccountDeps, input: NewAccountInput, options: { part?: 'imap' | 'smtp' } = {}): Promise<ConnectionTest> {
  if (input.imap?.host === DEMO_HOST) throw demoUnavailable('A connection test');
  const account = accountFromInput(input, deps.now());
  const password = await passwordFor(deps, account, input.password);
  if (!password) throw new TriageError('bad-input', `Type the password of ${account.name} first.`, { cli: `No password for ${account.name}.` });
  let folders: number | null = null;
  if (options.part !== 'smtp') {
    const client = await connectImap({ server: account.imap, password });
    try {
      folders = (await client.list()).length;
    } finally {
      await client.logout().catch(() => client.close());
    }
  }
  let smtp: ConnectionTest['smtp'] = null;
  if (options.part !== 'imap') {
    if (account.smtp) smtp = await checkSmtp({ server: account.smtp, password });
    else if (options.part === 'smtp') throw new TriageError('bad-input', 'No SMTP server is set: follow-ups need one to be sent.');
  }
  return { ok: true, folders, smtp };
}

/** No --security: ask the server what it speaks rather than guess from the port. */
async function withSecurity(input: NewAccountInput): Promise<NewAccountInput> {
  if (input.imap?.security || !input.imap?.host) return input;
  return { ...input, imap: { ...input.imap, security: await probeImapSecurity(input.imap.host.trim(), Number(input.imap.port)) } };
}

export async function addAccount(deps: AccountDeps, input: NewAccountInput, { verify = true }: { verify?: boolean } = {}): Promise<AccountSummary> {
  if (input.imap?.host === DEMO_HOST) throw new TriageError('bad-input', `"${DEMO_HOST}" is reserved for the sample mail.`);
  input = await withSecurity(input);
  const account = accountFromInput(input, deps.now());
  const existing = await deps.store.listAccounts();
  if (existing.some((a) => a.name === account.name)) {
    throw new TriageError('bad-input', `An account named "${account.name}" exists already: pick another name, or edit that one.`);
  }
  // TRIAGE_PASSWORD_<NAME> must name one account: "me.home" and "me-home" would read one variable.
  const clash = existing.find((a) => passwordEnvName(a.name) === passwordEnvName(account.name));
  if (clash) {
    throw new TriageError('bad-input', `The name "${account.name}" would share the password variable ${passwordEnvName(account.name)} with the account "${clash.name}": pick a name that differs in letters or digits.`);
  }
  const password = input.password ?? (await deps.secrets.get(account.name));
  if (verify && password) await testConnection(deps, { ...input, password }, { part: 'imap' });
  if (input.password) await deps.secrets.set(account.name, input.password);
  await deps.store.saveAccount(account);
  return summarizeAccount(account);
}

/**
 * Change an account's servers, login, addresses, zone or country (issue 15). Its name stays (it
 * names the account's files); what was synced stays; without a password the saved one is kept.
 * Folder roles set by hand are kept. IMAP is tested first when there is a password.
 */
export async function updateAccount(deps: AccountDeps, name: string, input: NewAccountInput, { verify = true }: { verify?: boolean } = {}): Promise<AccountSummary> {
  const existing = await accountNamed(deps.store, name);
  if (isDemoAccount(existing)) throw demoUnavailable('Changing the sample account');
  if (String(input.name ?? '').trim() !== name) {
    throw new TriageError('bad-input', `An account keeps its name ("${name}"): to use another name, add the account again and remove this one.`);
  }
  input = await withSecurity(input);
  const changed = accountFromInput(input, new Date(existing.createdAt));
  const oauth = existing.auth?.method === 'oauth2' ? existing.auth : null;
  if (oauth) {
    // Its token was issued to this user for these servers; a password would never be used.
    const via = `${name} signs in with ${providerLabel(oauth.provider)} as ${existing.imap.user}`;
    if (input.password) throw new TriageError('bad-input', `${via}: it has no password. To use a password instead, add the account again with it and remove this one.`);
    if (!sameServer(existing.imap, changed.imap) || !sameServer(existing.smtp, changed.smtp)) {
      throw new TriageError('bad-input', `${via} on ${existing.imap.host}: its user and servers stay. To change them, add the account again (signing in) and remove this one.`);
    }
  }
  const password = oauth ? null : await passwordFor(deps, changed, input.password || undefined);
  if (verify && password) await testConnection(deps, { ...input, password }, { part: 'imap' });
  if (input.password) await deps.secrets.set(name, input.password);
  const account: AccountConfig = {
    ...changed,
    createdAt: existing.createdAt,
    ...(existing.roleOverrides ? { roleOverrides: existing.roleOverrides } : {}),
    // The sign-in and its "sign in again" state are not the form's to change.
    ...(oauth ? { auth: oauth } : {}),
    ...(existing.signInRequired ? { signInRequired: existing.signInRequired } : {}),
  };
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
