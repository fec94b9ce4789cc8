// The desktop app opens a provider's sign-in page in the system browser, and nothing else: the URL
// comes from the core (auth/flow.ts), but it still has to be an https authorization request to the
// exact endpoint of the provider registry (code + S256, no credentials). Plain http, even to this
// machine (the tests' authorization server), never reaches shell.openExternal: the page then shows
// the link for the user to open. No 'electron' import here, so a unit test can hold it to that.
import type { OpenBrowser } from '../core/accounts/index.js';
import { isAuthorizationRequest } from '../core/auth/index.js';

export function mayOpenSignInPage(url: string, authorizationEndpoint: string): boolean {
  try {
    if (new URL(url).protocol !== 'https:') return false;
  } catch {
    return false;
  }
  return isAuthorizationRequest(url, authorizationEndpoint);
}

/** The OpenBrowser of the desktop app: `openExternal` is Electron's shell.openExternal. */
export function systemBrowserSignIn(openExternal: (url: string) => Promise<void>): OpenBrowser {
  return async (url, authorizationEndpoint) => {
    if (!mayOpenSignInPage(url, authorizationEndpoint)) return false;
    await openExternal(url);
    return true;
  };
}
