// Accounts (issue "Exactly once for real", items 6 and 7): a saved password is used only with the
// account's own stored server; plain text only to loopback; names whose password variables collide
// are refused. The fake server below records every line it receives: a password must never reach it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/index.js';
import { EnvSecretStore, systemClock } from '../../../main/core/deps/index.js';
import { accountFromInput, addAccount, testConnection, updateAccount, type AccountDeps } from '../../../main/core/accounts/index.js';
import type { NewAccountInput } from '../../../main/core/api.js';

/** A loopback "IMAP server" that greets, then writes down everything a client says. */
function recordingServer(): Promise<{ server: Server; port: number; heard: string[] }> {
  const heard: string[] = [];
  const server = createServer((socket) => {
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    socket.on('data', (b) => {
      heard.push(b.toString('latin1'));
      const tag = b.toString('latin1').split(' ')[0];
      socket.write(`${tag} NO [AUTHENTICATIONFAILED] no\r\n`);
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, heard })));
}

let dir: string;
let store: Store;
let deps: AccountDeps;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-accounts-'));
  store = await Store.open(dir);
  const secrets = new EnvSecretStore({});
  await secrets.set('work', 'the-saved-password');
  await store.saveAccount(accountFromInput({ name: 'work', imap: { host: '127.0.0.1', port: 1993, security: 'none', user: 'pat@acme.test' } }, new Date()));
  deps = { store, secrets, now: systemClock };
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the saved password stays with its server', () => {
  it('a connection test naming an existing account with another server does not send the saved password there', async () => {
    const fake = await recordingServer();
    try {
      const input: NewAccountInput = { name: 'work', imap: { host: '127.0.0.1', port: fake.port, security: 'none', user: 'pat@acme.test' } };
      await expect(testConnection(deps, input)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/password/i) });
      expect(fake.heard.join('')).not.toContain('the-saved-password');
      expect(fake.heard.join('')).not.toContain(Buffer.from('the-saved-password').toString('base64').slice(0, 12));
    } finally {
      fake.server.close();
    }
  });

  it('editing an account to point at another server does not send the saved password there either', async () => {
    const fake = await recordingServer();
    try {
      const input: NewAccountInput = { name: 'work', imap: { host: '127.0.0.1', port: fake.port, security: 'none', user: 'pat@acme.test' } };
      await expect(updateAccount(deps, 'work', input)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/password/i) });
      expect(fake.heard.join('')).not.toContain('the-saved-password');
      expect((await store.getAccount('work'))?.imap.port).toBe(1993); // nothing changed
    } finally {
      fake.server.close();
    }
  });

  it('plain text is refused to a server that is not on this machine', () => {
    expect(() => accountFromInput({ name: 'far', imap: { host: 'imap.example.com', port: 143, security: 'none', user: 'pat@example.com' } }, new Date())).toThrow(/plain text|unencrypted/i);
    expect(() =>
      accountFromInput({ name: 'far', imap: { host: 'imap.example.com', port: 993, security: 'tls', user: 'pat@example.com' }, smtp: { host: 'smtp.example.com', port: 25, security: 'none' } }, new Date()),
    ).toThrow(/plain text|unencrypted/i);
    expect(accountFromInput({ name: 'near', imap: { host: '127.0.0.1', port: 143, security: 'none', user: 'pat@example.com' } }, new Date()).imap.security).toBe('none');
  });
});

describe('account names', () => {
  it('a name whose password variable another account already reads is refused', async () => {
    await expect(
      addAccount(deps, { name: 'WORK', imap: { host: '127.0.0.1', port: 1993, security: 'none', user: 'u1' } }, { verify: false }),
    ).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('TRIAGE_PASSWORD_WORK') });
    await store.saveAccount(accountFromInput({ name: 'me.home', imap: { host: '127.0.0.1', port: 1993, security: 'none', user: 'u2' } }, new Date()));
    for (const name of ['me-home', 'me_home', 'me@home']) {
      await expect(addAccount(deps, { name, imap: { host: '127.0.0.1', port: 1993, security: 'none', user: 'u3' } }, { verify: false })).rejects.toThrow(/TRIAGE_PASSWORD_ME_HOME/);
    }
  });
});

describe('editing an account that signs in with OAuth2 (the Accounts view’s Edit)', () => {
  const oauthAccount = () => ({
    ...accountFromInput({ name: 'gm', imap: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'pat@gmail.com' }, smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' } }, new Date()),
    auth: { method: 'oauth2' as const, provider: 'google' as const, clientId: 'g-1.apps.googleusercontent.com' },
  });
  const edit = (over: Partial<NewAccountInput> = {}): NewAccountInput => ({
    name: 'gm',
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'pat@gmail.com' },
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    addresses: ['pat@gmail.com', 'pat@work.test'],
    timeZone: 'Europe/Berlin',
    ...over,
  });

  it('keeps its sign-in: addresses and time zone change, it does not turn into a password account', async () => {
    await store.saveAccount(oauthAccount());
    const summary = await updateAccount(deps, 'gm', edit());
    expect(summary).toMatchObject({ addresses: ['pat@gmail.com', 'pat@work.test'], timeZone: 'Europe/Berlin' });
    expect((await store.getAccount('gm'))?.auth).toEqual({ method: 'oauth2', provider: 'google', clientId: 'g-1.apps.googleusercontent.com' });
  });

  it('refuses a password, another user or other servers (the token is the user’s, for those servers), and changes nothing', async () => {
    await store.saveAccount(oauthAccount());
    await expect(updateAccount(deps, 'gm', edit({ password: 'x' }))).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('signs in with Google') });
    await expect(updateAccount(deps, 'gm', edit({ imap: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'bob@gmail.com' } }))).rejects.toMatchObject({ code: 'bad-input' });
    await expect(updateAccount(deps, 'gm', edit({ imap: { host: '127.0.0.1', port: 1993, security: 'none', user: 'pat@gmail.com' } }))).rejects.toMatchObject({ code: 'bad-input' });
    await expect(updateAccount(deps, 'gm', edit({ smtp: { host: 'smtp.evil.test', port: 465, security: 'tls' } }))).rejects.toMatchObject({ code: 'bad-input' });
    expect(await store.getAccount('gm')).toMatchObject({ addresses: ['pat@gmail.com'], imap: { host: 'imap.gmail.com', user: 'pat@gmail.com' }, smtp: { host: 'smtp.gmail.com' } });
    expect(await deps.secrets.get('gm')).toBeNull();
  });
});
