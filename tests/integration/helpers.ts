// Shared set-up for integration tests: a store in a temp dir, an account on a rig user, an
// imapflow client for changing the server behind the app's back, and the CLI as a child process.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ImapFlow } from 'imapflow';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import type { AccountConfig } from '../../main/core/model.js';
import type { ImapServerRig, MailUser } from '../rig/imap-server.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin', 'triage.js');

export function tempDir(prefix = 'triage-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function accountFor(name: string, server: { port: number }, user: MailUser, extra: Partial<AccountConfig> = {}): AccountConfig {
  return {
    name,
    imap: { host: '127.0.0.1', port: server.port, security: 'none', user: user.user },
    addresses: [user.user.toLowerCase()],
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

/** A service over a fresh store with one account whose password is known. */
export async function serviceWith(dir: string, account: AccountConfig, password: string, now?: () => Date): Promise<TriageService> {
  const store = await Store.open(dir);
  await store.saveAccount(account);
  const env = { [`TRIAGE_PASSWORD_${account.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`]: password };
  return new TriageService({ store, secrets: new EnvSecretStore(env), ...(now ? { now } : {}) });
}

export async function imapClient(server: ImapServerRig | { port: number }, user: MailUser): Promise<ImapFlow> {
  const client = new ImapFlow({ host: '127.0.0.1', port: server.port, secure: false, doSTARTTLS: false, auth: { user: user.user, pass: user.password }, logger: false });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI (bin/triage.js) as a user would. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
