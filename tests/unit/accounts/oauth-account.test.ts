// The account an OAuth2 sign-in adds (accounts/oauth-account.ts): the provider's servers unless
// others are given, the client id saved with it, no password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/core/store/index.js';
import { EnvSecretStore } from '../../../main/core/deps/index.js';
import { AccessTokens, envTokenVault } from '../../../main/core/auth/index.js';
import { oauthAccountConfig, type OAuthAccountDeps } from '../../../main/core/accounts/index.js';
import type { NewOAuthAccountInput } from '../../../main/core/api.js';

describe('oauthAccountConfig', () => {
  let dir: string;
  let store: Store;
  let deps: OAuthAccountDeps;
  const env = { TRIAGE_OAUTH_GOOGLE_CLIENT_ID: 'g-1.apps.googleusercontent.com', TRIAGE_OAUTH_GOOGLE_CLIENT_SECRET: 'GOCSPX-s', TRIAGE_OAUTH_MICROSOFT_CLIENT_ID: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' };
  const input = (over: Partial<NewOAuthAccountInput> = {}): NewOAuthAccountInput => ({ name: 'work', imap: { user: 'pat@gmail.com' }, oauth: { provider: 'google' }, ...over });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'triage-oauth-account-'));
    store = await Store.open(dir);
    const tokens = new AccessTokens({ store, vault: envTokenVault({}), env });
    deps = { store, secrets: new EnvSecretStore({}), tokens, now: () => new Date('2026-12-01T10:00:00Z'), env };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Google: imap.gmail.com and smtp.gmail.com over TLS, the client id and secret saved with the account', async () => {
    const { account } = await oauthAccountConfig(deps, input());
    expect(account).toMatchObject({
      name: 'work',
      imap: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'pat@gmail.com' },
      smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls', user: 'pat@gmail.com' },
      addresses: ['pat@gmail.com'],
      auth: { method: 'oauth2', provider: 'google', clientId: 'g-1.apps.googleusercontent.com', clientSecret: 'GOCSPX-s' },
    });
  });

  it('Microsoft: outlook.office365.com and smtp.office365.com (STARTTLS), a public client without a secret', async () => {
    const { account } = await oauthAccountConfig(deps, input({ imap: { user: 'pat@contoso.com' }, oauth: { provider: 'microsoft' } }));
    expect(account.imap).toEqual({ host: 'outlook.office365.com', port: 993, security: 'tls', user: 'pat@contoso.com' });
    expect(account.smtp).toEqual({ host: 'smtp.office365.com', port: 587, security: 'starttls', user: 'pat@contoso.com' });
    expect(account.auth).toEqual({ method: 'oauth2', provider: 'microsoft', clientId: env.TRIAGE_OAUTH_MICROSOFT_CLIENT_ID });
  });

  it('another IMAP server is kept, and gets no SMTP server unless one is given', async () => {
    const own = await oauthAccountConfig(deps, input({ imap: { user: 'pat@gmail.com', host: '127.0.0.1', port: 1143, security: 'none' } }));
    expect(own.account.imap).toEqual({ host: '127.0.0.1', port: 1143, security: 'none', user: 'pat@gmail.com' });
    expect(own.account.smtp).toBeUndefined();
    const named = await oauthAccountConfig(deps, input({ imap: { user: 'pat@gmail.com', host: 'imap.gmail.com', port: 993, security: 'tls' } }));
    expect(named.account.smtp?.host).toBe('smtp.gmail.com');
  });

  it('refuses a password, the sample mail’s host, an unknown provider, and says what to do without a client id', async () => {
    await expect(oauthAccountConfig(deps, { ...input(), password: 'x' } as never)).rejects.toThrow(/has no password/);
    await expect(oauthAccountConfig(deps, input({ imap: { user: 'u@x.test', host: 'demo.invalid', port: 993, security: 'tls' } }))).rejects.toThrow(/reserved for the sample mail/);
    await expect(oauthAccountConfig(deps, input({ oauth: { provider: 'yahoo' as never } }))).rejects.toThrow(/not a sign-in provider/);
    await expect(oauthAccountConfig({ ...deps, env: {} }, input())).rejects.toMatchObject({ code: 'oauth-not-configured' });
    // The app shows the sentence; the flag is only the CLI's.
    await expect(oauthAccountConfig(deps, input({ imap: { user: '' } }))).rejects.toMatchObject({ message: expect.stringMatching(/^The address to sign in as is missing/), cli: 'Give --user.' });
  });
});
