// Passwords from the environment (issue "Exactly once for real", item 7): TRIAGE_PASSWORD would be
// sent to every account's server, so it is read only while one account exists.
import { describe, expect, it } from 'vitest';
import { EnvSecretStore, passwordEnvName } from '../../../main/core/deps/index.js';

describe('EnvSecretStore', () => {
  it("the account's own variable wins; the general one only while this is the only account", async () => {
    const env = { TRIAGE_PASSWORD: 'general', TRIAGE_PASSWORD_WORK: 'work-pw' };
    let names = ['work', 'home'];
    const secrets = new EnvSecretStore(env, undefined, { accounts: async () => names });
    expect(await secrets.get('work')).toBe('work-pw');
    expect(await secrets.get('home')).toBeNull(); // never the general one with two accounts
    names = ['home'];
    expect(await secrets.get('home')).toBe('general');
    names = []; // adding the first account
    expect(await secrets.get('home')).toBe('general');
  });

  it('names that differ only in punctuation or case share a variable', () => {
    for (const name of ['me.home', 'me-home', 'me_home', 'me@home', 'Me.Home']) expect(passwordEnvName(name)).toBe('TRIAGE_PASSWORD_ME_HOME');
  });
});
