// The Accounts view's sign-in, its pure part (renderer/src/views/sign-in-state.ts): each way a
// sign-in can end gets its own state from the error's code; the page opens only https (or this
// computer's http) URLs itself; an account's sign-in fields read as the list shows them; the
// account a "Sign in with …" adds takes the form's servers only when they are that provider's.
import { describe, expect, it } from 'vitest';
import type { AccountSummary, ApiErrorCode } from '../../../main/core/api.js';
import { isOpenableSignInUrl, oauthAccountInput, signInFailure, signInStatus, timeLeft, type SignInForm } from '../../../renderer/src/views/sign-in-state.js';

describe('how a sign-in ended', () => {
  it.each<[string, ApiErrorCode, string, boolean, string]>([
    ['no client id', 'oauth-not-configured', 'Signing in with Google needs an OAuth client id… Settings → Sign-in apps', false, 'no-client'],
    ['the browser never came back (tab closed, time out)', 'timeout', 'No answer from the browser within 5 minute(s): start the sign-in again.', false, 'timeout'],
    ['finished too long ago', 'not-found', 'No such sign-in (it ended more than 10 minutes ago, or never began): start it again.', false, 'timeout'],
    ['the provider refused (wrong issuer, code exchange)', 'server-refused', 'Sign-in with Google refused: the answer came from another issuer (x).', false, 'refused'],
    ['the mail server refused the token', 'auth-failed', '127.0.0.1 refused the sign-in of pat@acme.test', false, 'refused'],
    ['Cancel on the consent page', 'bad-input', 'Sign-in with Google was cancelled in the browser (access_denied). Nothing was saved.', false, 'refused'],
    ['a name taken', 'bad-input', 'An account named "pat" exists already', false, 'error'],
    ['the app server gone', 'unreachable', 'The app server does not answer.', false, 'error'],
    ['cancelled here (whatever the code)', 'bad-input', 'The sign-in was cancelled.', true, 'cancelled'],
  ])('%s', (_what, code, message, cancelledHere, kind) => {
    const f = signInFailure('google', { code, message }, cancelledHere);
    expect(f.kind).toBe(kind);
    if (kind !== 'cancelled') expect(f.message).toContain(message);
    expect(f.title.length).toBeGreaterThan(5);
  });

  it('a timeout says that a closed tab is all it means', () => {
    expect(signInFailure('microsoft', { code: 'timeout', message: 'No answer from the browser within 5 minute(s): start the sign-in again.' }, false)).toMatchObject({
      title: 'No answer from Microsoft’s sign-in page',
      message: expect.stringContaining('If you closed the browser tab'),
    });
  });
});

describe('the URLs the page opens itself', () => {
  it.each([
    ['https://accounts.google.com/o/oauth2/v2/auth?client_id=x', true],
    ['https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1', true],
    ['http://127.0.0.1:41234/authorize?x=1', true],
    ['http://localhost:41234/authorize', true],
    ['http://accounts.google.com/o/oauth2/v2/auth', false],
    ['https://me:pw@accounts.google.com/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<b>x</b>', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isOpenableSignInUrl(url)).toBe(ok);
  });
});

describe('an account’s sign-in as the list shows it', () => {
  const base: AccountSummary = { name: 'pat', user: 'pat@acme.test', imapHost: 'imap.gmail.com', addresses: ['pat@acme.test'] };
  const at = (iso: string) => `at ${iso.slice(11, 16)}`;
  it.each<[string, Partial<AccountSummary>, { method: string; label: string | null; tone: string | null; needsSignIn: boolean; detail?: RegExp }]>([
    ['a password account', { auth: 'password', provider: null, tokenState: null }, { method: 'Password', label: null, tone: null, needsSignIn: false }],
    ['a valid token', { auth: 'oauth2', provider: 'google', tokenState: 'valid', tokenExpiresAt: '2026-12-01T10:59:00Z' }, { method: 'Google', label: 'Signed in', tone: 'ok', needsSignIn: false, detail: /valid until at 10:59/ }],
    ['a token to renew', { auth: 'oauth2', provider: 'microsoft', tokenState: 'needs-refresh' }, { method: 'Microsoft', label: 'Signed in', tone: 'ok', needsSignIn: false, detail: /next sync/ }],
    ['no sign-in at hand (serve restarted)', { auth: 'oauth2', provider: 'google', tokenState: 'missing' }, { method: 'Google', label: 'Not signed in here', tone: 'warn', needsSignIn: true, detail: /sign in again/ }],
    [
      'refused by the provider',
      { auth: 'oauth2', provider: 'google', tokenState: 'sign-in-again', signInMessage: 'Google no longer accepts the saved sign-in of pat (invalid_grant): sign in again; its sync is paused.' },
      { method: 'Google', label: 'Sign in again', tone: 'fail', needsSignIn: true, detail: /^Google no longer accepts/ },
    ],
  ])('%s', (_what, fields, expected) => {
    const s = signInStatus({ ...base, ...fields }, at);
    expect(s).toMatchObject({ method: expected.method, label: expected.label, tone: expected.tone, needsSignIn: expected.needsSignIn });
    if (expected.detail) expect(s.detail).toMatch(expected.detail);
  });
});

describe('the account a sign-in adds', () => {
  const form = (over: Partial<SignInForm> = {}): SignInForm => ({
    name: '',
    email: ' Pat@Acme.test ',
    login: '',
    otherAddresses: ['p@acme.test'],
    timeZone: 'Europe/Berlin',
    country: 'DE',
    preset: 'custom',
    presetOAuth: null,
    imap: { host: '127.0.0.1', port: 1143, security: 'none' },
    smtp: { host: '127.0.0.1', port: 2525, security: 'none' },
    ...over,
  });

  it('"Other" with servers typed: those servers, the address as user and name', () => {
    expect(oauthAccountInput(form(), 'google')).toEqual({
      name: 'pat@acme.test',
      imap: { user: 'pat@acme.test', host: '127.0.0.1', port: 1143, security: 'none' },
      smtp: { host: '127.0.0.1', port: 2525, security: 'none', user: 'pat@acme.test' },
      addresses: ['pat@acme.test', 'p@acme.test'],
      timeZone: 'Europe/Berlin',
      country: 'DE',
      oauth: { provider: 'google' },
    });
  });

  it('the provider’s own preset: its servers as shown in the form', () => {
    const input = oauthAccountInput(form({ preset: 'outlook', presetOAuth: 'microsoft', imap: { host: 'outlook.office365.com', port: 993, security: 'tls' }, smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' } }), 'microsoft');
    expect(input).toMatchObject({ imap: { host: 'outlook.office365.com' }, smtp: { host: 'smtp-mail.outlook.com' }, oauth: { provider: 'microsoft' } });
  });

  it('another provider’s preset (Yahoo, then Google): no servers, so the provider’s own are used', () => {
    const input = oauthAccountInput(form({ preset: 'yahoo', presetOAuth: null, imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' } }), 'google');
    expect(input).toMatchObject({ imap: { user: 'pat@acme.test' } });
    expect(input).not.toHaveProperty('imap.host');
    expect(input).not.toHaveProperty('smtp');
  });

  it('a login name apart from the address, and a name in the app', () => {
    expect(oauthAccountInput(form({ login: 'pat.lee@acme.test', name: 'work' }), 'microsoft')).toMatchObject({ name: 'work', imap: { user: 'pat.lee@acme.test' } });
  });

  it('no address, or not an address: a sentence, no sign-in', () => {
    expect(oauthAccountInput(form({ email: '' }), 'google')).toEqual({ problem: expect.stringContaining('Type the email address to sign in as first') });
    expect(oauthAccountInput(form({ email: 'pat' }), 'google')).toEqual({ problem: '“pat” is not an email address.' });
  });
});

describe('the time left', () => {
  it('counts down in minutes and seconds, never below zero', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(timeLeft('2026-12-01T10:05:00Z', now)).toBe('5:00');
    expect(timeLeft('2026-12-01T10:00:09Z', now)).toBe('0:09');
    expect(timeLeft('2026-12-01T09:59:00Z', now)).toBe('0:00');
  });
});
