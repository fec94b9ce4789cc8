// Shared by the follow-up integration tests: looking into a rig mailbox by Message-ID, the
// originals Pat sent, an account on the rig servers, and the follow-up use cases over their own
// dependencies (in-process, so a test can pause a send with `deps.onSendPhase`).
import type { ImapFlow } from 'imapflow';
import { buildMessage } from '../rig/mail.js';
import type { ImapServerRig, MailUser } from '../rig/imap-server.js';
import { imapClient } from './helpers.js';
import type { SmtpServer } from '../rig/smtp.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import type { AccountConfig } from '../../main/core/model.js';
import type { FollowUpDeps } from '../../main/core/followup/index.js';
import { followUpDeps, followUpsOver } from '../unit/followup/follow-up-deps.js';

export const PAT = 'pat@acme.test';
export const BOB = 'bob@client.de';
/** Tuesday 1 Dec 2026, 11:00 in Berlin (Bob's zone: his +0100 mail and .de): inside his window. */
export const NOW = '2026-12-01T10:00:00Z';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A mail Pat sent Bob a week ago (`<n@acme.test>`), to follow up. */
export function original(n: string, from = `Pat Lee <${PAT}>`) {
  return {
    raw: buildMessage({ from, to: `Bob Maier <${BOB}>`, subject: `Topic ${n}`, date: new Date('2026-11-25T10:00:00Z'), messageId: `<${n}@acme.test>` }),
    flags: ['\\Seen'],
    internalDate: new Date('2026-11-25T10:00:00Z'),
  };
}

/** Bob's own mail in Pat's INBOX: it shows his clock (+0100). */
export const bobsHello = () => ({
  raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Hello', date: 'Tue, 10 Nov 2026 09:12:00 +0100' }),
  flags: ['\\Seen'],
});

export function patAccount(server: ImapServerRig, smtp: SmtpServer, extra: Partial<AccountConfig> = {}): AccountConfig {
  return {
    name: 'pat',
    imap: { host: '127.0.0.1', port: server.port, security: 'none', user: PAT },
    smtp: { host: smtp.host, port: smtp.port, security: 'none', user: PAT },
    addresses: [PAT],
    timeZone: 'Europe/London',
    country: 'GB',
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

/** The follow-up use cases over a store, with the rig user's password, a fixed clock and a short witness grace. */
export function followUpsIn(store: Store, password: string, now: () => Date = () => new Date(NOW)): { deps: FollowUpDeps; f: ReturnType<typeof followUpsOver> } {
  const deps = followUpDeps(store, { now, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: password }), graceMs: 1000 });
  return { deps, f: followUpsOver(deps) };
}

/** The CLI's arguments that add Pat's account on the rig servers. */
export function addPatArgs(server: ImapServerRig, smtp: SmtpServer): string[] {
  return ['account', 'add', 'pat', '--imap-host', '127.0.0.1', '--imap-port', String(server.port), '--user', PAT, '--security', 'none',
    '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-security', 'none', '--timezone', 'Europe/London', '--country', 'GB'];
}

/** A fresh connection for each look: a test that deletes a folder may end a session that had it selected. */
async function looking<T>(server: { port: number }, user: MailUser, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await imapClient(server, user);
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function uidsIn(client: ImapFlow, folder: string, messageId: string): Promise<number[]> {
  const lock = await client.getMailboxLock(folder);
  try {
    return (await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true })) || [];
  } finally {
    lock.release();
  }
}

/** How many copies of a Message-ID a user's folder holds. */
export function countById(server: { port: number }, user: MailUser, folder: string, messageId: string): Promise<number> {
  return looking(server, user, async (c) => (await uidsIn(c, folder, messageId)).length);
}

/** The stored bytes of the first copy of a Message-ID in a folder, or null. */
export function sourceById(server: { port: number }, user: MailUser, folder: string, messageId: string): Promise<Buffer | null> {
  return looking(server, user, async (c) => {
    const [uid] = await uidsIn(c, folder, messageId);
    if (!uid) return null;
    const lock = await c.getMailboxLock(folder);
    try {
      const msg = await c.fetchOne(String(uid), { source: true }, { uid: true });
      return msg && msg.source ? msg.source : null;
    } finally {
      lock.release();
    }
  });
}

/** Opens the store, runs `fn`, closes it (so a CLI child can take the data-dir lock after). */
export async function withStore<T>(dir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(dir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export type { MailUser };

/**
 * Runs `triage send-due` as a child with the phase trace on, and kills it with SIGKILL when it
 * reports `phase` (with `pauseAfterSmtpMs`, the child sleeps right after the server's 250 so that
 * window is hit for sure). Returns the last phase it reported, or "finished (code)".
 */
export async function sendDueKilledAt(
  spawn: (args: string[], env: Record<string, string>) => import('node:child_process').ChildProcess,
  args: string[],
  env: Record<string, string>,
  phase: string,
): Promise<string> {
  const child = spawn(args, { ...env, TRIAGE_TEST_TRACE: '1', TRIAGE_TEST_PAUSE_AFTER_SMTP_MS: '400' });
  let stderr = '';
  let last = 'start';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    const m = [...stderr.matchAll(/triage-test: (\S+)/g)].pop();
    if (m) last = m[1];
    if (stderr.includes(`triage-test: ${phase}\n`)) child.kill('SIGKILL');
  });
  const code = await exited;
  return code === null ? last : `finished (${code})`;
}
