// Settings' OAuth2 clients: checked once, in the core, for every client (app, serve, CLI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettingsPatch, readSettings, writeSettings } from '../../../main/core/settings/index.js';
import { Store } from '../../../main/core/store/index.js';
import { TriageService } from '../../../main/core/service.js';
import { EnvSecretStore } from '../../../main/core/deps/index.js';

describe('Settings: OAuth2 client ids', () => {
  it('takes a client id (and Google’s installed-app secret) per provider', () => {
    expect(checkSettingsPatch({ oauthClients: { google: { clientId: ' 123-abc.apps.googleusercontent.com ', clientSecret: 'GOCSPX-x' }, microsoft: { clientId: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' } } })).toEqual({
      oauthClients: { google: { clientId: '123-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-x' }, microsoft: { clientId: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' } },
    });
  });
  it.each([
    [{ yahoo: { clientId: 'abc' } }, /not a sign-in provider/],
    [{ google: { clientId: 'has space' } }, /not an OAuth client id/],
    [{ google: { clientId: 'x'.repeat(300) } }, /not an OAuth client id/],
    [{ google: { clientId: 'abc.def', clientSecret: 'x'.repeat(201) } }, /at most 200/],
    ['google', /must be an object/],
  ])('refuses %j', (value, message) => {
    expect(() => checkSettingsPatch({ oauthClients: value as never })).toThrow(message);
  });
});

describe('Settings: OAuth2 clients are stored per provider', () => {
  it('a patch naming one provider keeps the other; null clears one; service.oauthProviders reads them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-settings-'));
    const store = await Store.open(dir);
    try {
      await writeSettings(store, { oauthClients: { google: { clientId: 'g-1.apps.googleusercontent.com' } } });
      await writeSettings(store, { oauthClients: { microsoft: { clientId: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' } } });
      expect((await readSettings(store)).oauthClients).toEqual({ google: { clientId: 'g-1.apps.googleusercontent.com' }, microsoft: { clientId: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' } });
      const service = new TriageService({ store, secrets: new EnvSecretStore({}), env: {} });
      expect(await service.oauthProviders()).toEqual([
        expect.objectContaining({ id: 'google', configured: true, clientIdSource: 'settings' }),
        expect.objectContaining({ id: 'microsoft', configured: true, clientIdSource: 'settings' }),
      ]);
      await writeSettings(store, { oauthClients: { google: null } as never });
      expect((await readSettings(store)).oauthClients).toEqual({ microsoft: { clientId: '0b6f0c1e-8a43-4b1e-9d64-2f6a0c3c9e11' } });
      expect((await service.oauthProviders())[0]).toMatchObject({ id: 'google', configured: false, clientIdSource: null, message: expect.stringContaining('app password') });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
