// The pure parts of signing in: PKCE, the provider registry and where a client id comes from, what
// an IMAP server's capabilities say about passwords, the presets, and which URLs may go to the
// system browser.
import { describe, expect, it } from 'vitest';
import {
  OAUTH_PROVIDER_IDS,
  PROVIDER_PRESETS,
  authorizationUrl,
  builtInProvider,
  envTokenVault,
  isAuthorizationRequest,
  judgeImapAuth,
  oauthOnlyCli,
  oauthOnlyMessage,
  pkcePair,
  presetForAddress,
  presetForHost,
  randomState,
  resolveClient,
  s256,
  secretTokenVault,
  secureEndpoint,
  tokenEnvName,
} from '../../../main/core/auth/index.js';
import type { SecretStore } from '../../../main/core/deps/index.js';

describe('PKCE and state', () => {
  it('S256 is RFC 7636 Appendix B’s example', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
  it('a verifier has 43 unreserved characters and its challenge matches; states do not repeat', () => {
    const p = pkcePair();
    expect(p.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.challenge).toBe(s256(p.verifier));
    expect(p.method).toBe('S256');
    expect(new Set(Array.from({ length: 1000 }, randomState)).size).toBe(1000);
  });
});

describe('providers', () => {
  it('ask for the mail scopes and nothing more', () => {
    expect(builtInProvider('google', {}).scopes).toEqual(['https://mail.google.com/']);
    expect(builtInProvider('microsoft', {}).scopes).toEqual(['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access']);
  });

  it('Microsoft goes through the common endpoint (work and personal accounts) unless a tenant is set, and accepts any tenant as issuer', () => {
    const ms = builtInProvider('microsoft', {});
    expect(ms.authorizationEndpoint).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(ms.tokenEndpoint).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
    expect(ms.issuerMatches('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0')).toBe(true);
    expect(ms.issuerMatches('https://login.microsoftonline.com.evil.test/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0')).toBe(false);
    expect(ms.issuerMatches('https://accounts.google.com')).toBe(false);
    expect(builtInProvider('microsoft', { TRIAGE_OAUTH_MICROSOFT_TENANT: 'organizations' }).tokenEndpoint).toContain('/organizations/');
    expect(() => builtInProvider('microsoft', { TRIAGE_OAUTH_MICROSOFT_TENANT: '../evil' })).toThrow(/not a tenant id/);
    const google = builtInProvider('google', {});
    expect(google.issuerMatches('accounts.google.com')).toBe(true);
    expect(google.issuerMatches('https://accounts.google.com.evil.test')).toBe(false);
  });

  it('builds the authorization request of RFC 6749 §4.1.1 with PKCE and the provider’s extras', () => {
    const url = new URL(authorizationUrl({ provider: builtInProvider('google', {}), clientId: 'id-1.apps.googleusercontent.com', redirectUri: 'http://127.0.0.1:5555/', state: 'st', challenge: 'ch', loginHint: 'pat@gmail.com' }));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'id-1.apps.googleusercontent.com',
      redirect_uri: 'http://127.0.0.1:5555/',
      scope: 'https://mail.google.com/',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      login_hint: 'pat@gmail.com',
      access_type: 'offline',
      prompt: 'consent',
    });
  });

  it('client id: the flag, then the environment, then Settings; none is an error that says what to do', () => {
    const env = { TRIAGE_OAUTH_GOOGLE_CLIENT_ID: 'env-id.apps.googleusercontent.com', TRIAGE_OAUTH_GOOGLE_CLIENT_SECRET: 'env-secret' };
    const settings = { clientId: 'settings-id.apps.googleusercontent.com', clientSecret: 'settings-secret' };
    expect(resolveClient('google', { flag: { clientId: 'flag-id.x' }, env, settings })).toEqual({ clientId: 'flag-id.x', source: 'flag' });
    expect(resolveClient('google', { env, settings })).toEqual({ clientId: 'env-id.apps.googleusercontent.com', clientSecret: 'env-secret', source: 'environment' });
    expect(resolveClient('google', { env: {}, settings })).toEqual({ ...settings, source: 'settings' });
    expect(() => resolveClient('google', { env: {}, settings: null })).toThrow(expect.objectContaining({ code: 'oauth-not-configured', message: expect.stringContaining('https://myaccount.google.com/apppasswords') }));
    expect(() => resolveClient('microsoft', { env: {} })).toThrow(expect.objectContaining({ code: 'oauth-not-configured', message: expect.stringContaining('no app-password path') }));
    expect(() => resolveClient('google', { flag: { clientId: 'a b' }, env: {} })).toThrow(/not an OAuth client id/);
  });

  it('tokens and codes travel over https, or plain http to this machine only', () => {
    expect(secureEndpoint('https://oauth2.googleapis.com/token')).toBe(true);
    expect(secureEndpoint('http://127.0.0.1:4000/token')).toBe(true);
    expect(secureEndpoint('http://localhost:4000/token')).toBe(true);
    expect(secureEndpoint('http://oauth2.googleapis.com/token')).toBe(false);
    expect(secureEndpoint('http://127.0.0.1.evil.test/token')).toBe(false);
    expect(secureEndpoint('file:///etc/passwd')).toBe(false);
  });
});

describe('the system browser gets only the provider’s authorization request', () => {
  const endpoint = 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize';
  const good = `${endpoint}?response_type=code&client_id=x&code_challenge=c&code_challenge_method=S256&state=s`;
  it.each([
    [good, true],
    [good.replace('https://login.microsoftonline.com', 'https://login.microsoftonline.com.evil.test'), false],
    [good.replace('https:', 'http:'), false],
    [good.replace('/authorize', '/logout'), false],
    [good.replace('https://', 'https://user:pw@'), false],
    [good.replace('S256', 'plain'), false],
    [good.replace('response_type=code', 'response_type=token'), false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isAuthorizationRequest(url, endpoint)).toBe(ok);
  });
  it('a loopback test issuer may be plain http', () => {
    expect(isAuthorizationRequest('http://127.0.0.1:4000/authorize?response_type=code&code_challenge_method=S256', 'http://127.0.0.1:4000/authorize')).toBe(true);
  });
});

describe('what the capabilities say about passwords (RFC 9051 §6.2, RFC 7628)', () => {
  it.each<[string, string, { passwordLogin: boolean; oauth2: boolean; oauthOnly: boolean }]>([
    ['Dovecot with passwords', 'IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN AUTH=LOGIN', { passwordLogin: true, oauth2: false, oauthOnly: false }],
    ['Dovecot with passwords and tokens', 'IMAP4rev1 AUTH=PLAIN AUTH=LOGIN AUTH=XOAUTH2 AUTH=OAUTHBEARER', { passwordLogin: true, oauth2: true, oauthOnly: false }],
    ['OAuth2-only Dovecot', 'IMAP4rev1 SASL-IR LOGINDISABLED AUTH=XOAUTH2 AUTH=OAUTHBEARER', { passwordLogin: false, oauth2: true, oauthOnly: true }],
    ['only AUTH=XOAUTH2, no LOGINDISABLED', 'IMAP4rev1 SASL-IR AUTH=XOAUTH2', { passwordLogin: false, oauth2: true, oauthOnly: true }],
    ['Gmail', 'IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER', { passwordLogin: true, oauth2: true, oauthOnly: false }],
    ['an old server: LOGIN only', 'IMAP4rev1 IDLE', { passwordLogin: true, oauth2: false, oauthOnly: false }],
    ['LOGINDISABLED and no mechanism at all', 'IMAP4rev1 LOGINDISABLED', { passwordLogin: false, oauth2: false, oauthOnly: false }],
  ])('%s', (_name, caps, expected) => {
    expect(judgeImapAuth(caps.split(' '), 'mail.example.test')).toMatchObject(expected);
  });

  it('Outlook.com advertises AUTH=PLAIN but takes no password: the preset says OAuth2 only', () => {
    const offer = judgeImapAuth('IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+'.split(' '), 'outlook.office365.com');
    expect(offer).toMatchObject({ oauthOnly: true, preset: { oauth: 'microsoft', password: 'not-accepted' } });
    expect(oauthOnlyMessage('outlook.office365.com', offer)).toMatch(/^outlook\.office365\.com accepts only OAuth2 sign-in \(it offers AUTH=XOAUTH2 and no password login\): a password cannot work there\. Add it with "Sign in with Microsoft" instead\. .*1 October 2022/);
    expect(oauthOnlyCli(offer)).toBe('In the terminal: triage account add NAME --oauth microsoft.');
  });

  it('the sentence is the app’s too: it names the app’s button, never a command or flag (the CLI gets those apart)', () => {
    for (const host of ['outlook.office365.com', 'imap.gmail.com', 'mail.example.test']) {
      const offer = judgeImapAuth(['IMAP4rev1', 'AUTH=XOAUTH2'], host);
      const sentence = oauthOnlyMessage(host, offer);
      expect(sentence).toMatch(/"Sign in with (Google|Microsoft)"/);
      expect(sentence).not.toMatch(/\btriage account\b|(^|[\s(])--[a-z]/);
      expect(oauthOnlyCli(offer)).toMatch(/--oauth (google|microsoft|google\|microsoft)\.$/);
    }
  });
});

describe('presets', () => {
  it('name for each provider whether it needs an app password and where to create one', () => {
    for (const p of PROVIDER_PRESETS) {
      expect(['app-password', 'password', 'not-accepted']).toContain(p.password);
      if (p.password === 'app-password') expect(p.appPasswordUrl).toMatch(/^https:\/\//);
      if (p.password === 'not-accepted') expect(p.oauth).not.toBeNull();
      if (p.oauth) expect(OAUTH_PROVIDER_IDS).toContain(p.oauth);
      expect(p.note.length).toBeGreaterThan(20);
    }
    expect(presetForAddress('Pat@GMail.com')).toMatchObject({ id: 'gmail', oauth: 'google', password: 'app-password', appPasswordUrl: 'https://myaccount.google.com/apppasswords' });
    expect(presetForAddress('pat@hotmail.com')).toMatchObject({ id: 'outlook', password: 'not-accepted' });
    expect(presetForAddress('pat@icloud.com')).toMatchObject({ id: 'icloud', oauth: null, password: 'app-password' });
    expect(presetForAddress('pat@acme.test')).toBeNull();
    expect(presetForHost('IMAP.mail.yahoo.com')).toMatchObject({ id: 'yahoo' });
    expect(presetForHost('imap-mail.outlook.com')).toMatchObject({ id: 'outlook' });
  });
});

describe('token vaults', () => {
  it('the CLI’s: memory for this process, and a refresh token handed in through TRIAGE_OAUTH_TOKEN_<NAME>', async () => {
    expect(tokenEnvName('me.home-1')).toBe('TRIAGE_OAUTH_TOKEN_ME_HOME_1');
    const vault = envTokenVault({ TRIAGE_OAUTH_TOKEN_WORK: ' 1//refresh ' });
    expect(vault.persistent).toBe(false);
    expect(await vault.get('work')).toEqual({ refreshToken: '1//refresh' });
    expect(await vault.get('home')).toBeNull();
    await vault.set('home', { refreshToken: 'r', accessToken: 'a', expiresAt: 5 });
    expect(await vault.get('home')).toEqual({ refreshToken: 'r', accessToken: 'a', expiresAt: 5 });
  });

  it('over a secret store: JSON in, a grant out; a damaged entry reads as none', async () => {
    const kept = new Map<string, string>();
    const secrets: SecretStore = { get: async (a) => kept.get(a) ?? null, set: async (a, v) => void kept.set(a, v), remove: async (a) => void kept.delete(a) };
    const vault = secretTokenVault(secrets);
    await vault.set('work', { refreshToken: 'r1', accessToken: 'a1', expiresAt: 1000 });
    expect(await vault.get('work')).toEqual({ refreshToken: 'r1', accessToken: 'a1', expiresAt: 1000 });
    kept.set('bad', '{"refreshToken": 5}');
    kept.set('worse', 'not json');
    expect(await vault.get('bad')).toBeNull();
    expect(await vault.get('worse')).toBeNull();
  });
});
