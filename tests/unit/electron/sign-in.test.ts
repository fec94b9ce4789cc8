// The desktop app hands shell.openExternal only an https authorization request to the provider
// registry's exact endpoint (main/electron/sign-in.ts); anything else stays in the app, whose page
// shows the link instead. openExternal is a recording stand-in.
import { describe, expect, it } from 'vitest';
import { authorizationUrl, builtInProvider, pkcePair, randomState } from '../../../main/core/auth/index.js';
import { mayOpenSignInPage, systemBrowserSignIn } from '../../../main/electron/sign-in.js';

const google = builtInProvider('google', {});
const microsoft = builtInProvider('microsoft', {});
const request = (provider = google, redirectUri = 'http://127.0.0.1:53682/') =>
  authorizationUrl({ provider, clientId: 'c-1.apps.googleusercontent.com', redirectUri, state: randomState(), challenge: pkcePair().challenge, loginHint: 'pat@gmail.com' });

describe('the system browser gets only the provider’s own sign-in page', () => {
  it('opens Google’s and Microsoft’s authorization requests (https, their endpoint, code + S256)', async () => {
    const opened: string[] = [];
    const open = systemBrowserSignIn(async (url) => void opened.push(url));
    expect(await open(request(google), google.authorizationEndpoint)).toBe(true);
    expect(await open(request(microsoft), microsoft.authorizationEndpoint)).toBe(true);
    expect(opened.map((u) => new URL(u).origin)).toEqual(['https://accounts.google.com', 'https://login.microsoftonline.com']);
  });

  it.each([
    ['plain http, even to this machine (the page shows the link instead)', () => request().replace('https://accounts.google.com', 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/o/oauth2/v2/auth'],
    ['another host than the endpoint’s', () => request().replace('accounts.google.com', 'accounts.google.com.evil.test'), google.authorizationEndpoint],
    ['another path on the provider', () => request().replace('/o/oauth2/v2/auth', '/logout'), google.authorizationEndpoint],
    ['credentials in the URL', () => request().replace('https://', 'https://me:pw@'), google.authorizationEndpoint],
    ['no PKCE S256', () => request().replace('code_challenge_method=S256', 'code_challenge_method=plain'), google.authorizationEndpoint],
    ['not a URL', () => 'javascript:alert(1)', google.authorizationEndpoint],
    ['a file', () => 'file:///etc/passwd', google.authorizationEndpoint],
  ])('refuses %s', async (_what, url, endpoint) => {
    const opened: string[] = [];
    const open = systemBrowserSignIn(async (u) => void opened.push(u));
    expect(mayOpenSignInPage(url(), endpoint)).toBe(false);
    expect(await open(url(), endpoint)).toBe(false);
    expect(opened).toEqual([]);
  });
});
