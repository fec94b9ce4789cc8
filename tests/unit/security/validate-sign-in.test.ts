// The API's argument checks for signing in (main/app/validate.ts): a client may send anything.
import { describe, expect, it } from 'vitest';
import { validateArgs } from '../../../main/app/validate.js';

const account = { name: 'work', imap: { user: 'pat@example.com' }, oauth: { provider: 'microsoft' } };

describe('sign-in calls are checked at the boundary', () => {
  it('startSignIn: a new account or an account to sign in again, exactly one', () => {
    expect(validateArgs('startSignIn', [{ account }])).toEqual([{ account }]);
    expect(validateArgs('startSignIn', [{ signInAgain: 'work' }])).toEqual([{ signInAgain: 'work' }]);
    expect(() => validateArgs('startSignIn', [{ account, signInAgain: 'work' }])).toThrow(/either "account" or "signInAgain"/);
    expect(() => validateArgs('startSignIn', [{}])).toThrow(/either "account" or "signInAgain"/);
    expect(() => validateArgs('startSignIn', [{ account: { ...account, oauth: { provider: 'yahoo' } } }])).toThrow(/request.account.oauth.provider/);
    expect(() => validateArgs('startSignIn', [{ account: { ...account, password: 'x' } }])).toThrow(/request.account.password" is not a known field/);
    expect(() => validateArgs('startSignIn', [{ account: { ...account, imap: {} } }])).toThrow(/request.account.imap.user" is missing/);
  });

  it('checkServer, finishSignIn, cancelSignIn, listAccounts', () => {
    expect(validateArgs('checkServer', [{ host: 'outlook.office365.com', port: 993 }])).toEqual([{ host: 'outlook.office365.com', port: 993 }]);
    expect(() => validateArgs('checkServer', [{ host: 'a b', port: 993 }])).toThrow(/server.host/);
    expect(() => validateArgs('checkServer', [{ host: 'h', port: 0 }])).toThrow(/server.port/);
    expect(() => validateArgs('finishSignIn', [])).toThrow(/"flowId" is missing/);
    expect(() => validateArgs('cancelSignIn', ['x'.repeat(101)])).toThrow(/at most 100/);
    expect(validateArgs('listAccounts', [{ check: true }])).toEqual([{ check: true }]);
    expect(() => validateArgs('listAccounts', [{ check: 'yes' }])).toThrow(/options.check/);
    expect(validateArgs('providerPresets', [])).toEqual([]);
  });

  it('addAccount takes no oauth field (that goes through startSignIn); Settings take OAuth clients, null clears one', () => {
    expect(() => validateArgs('addAccount', [{ name: 'w', imap: { host: 'h', port: 993, security: 'tls', user: 'u' }, oauth: { provider: 'google' } }])).toThrow(/account.oauth" is not a known field/);
    expect(validateArgs('saveSettings', [{ oauthClients: { google: { clientId: 'abc.apps' }, microsoft: null } }])).toEqual([{ oauthClients: { google: { clientId: 'abc.apps' }, microsoft: null } }]);
    expect(() => validateArgs('saveSettings', [{ oauthClients: { yahoo: { clientId: 'abc' } } }])).toThrow(/patch.oauthClients.yahoo" is not a known field/);
  });
});
