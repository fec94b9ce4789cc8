// Browser sign-in from the command line: the provider's URL on stdout (on its own line, for
// scripts and for copying), the system browser opened when there is one and --no-browser was not
// given, and the wait on stderr. The CLI keeps no token on disk (docs/OAUTH.md): on a terminal a
// later command signs in again this way when it has no token.
import { spawn } from 'node:child_process';
import type { AccountConfig } from '../core/model.js';
import { beginSignIn, isAuthorizationRequest, oauthOf, type OAuthProvider, type TokenSet } from '../core/auth/index.js';

/**
 * Opens a provider's authorization URL with the OS's opener, detached; false when this machine
 * has no desktop to open it on, or the URL is not an authorization request to `endpoint`.
 */
export function openInBrowser(url: string, endpoint: string): boolean {
  if (!isAuthorizationRequest(url, endpoint)) return false;
  // The URL is one argument, never a shell string: its & and ? stay what they are.
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** Tells the user where to sign in: the URL on stdout, the rest on stderr. */
export function announceSignIn({ url, endpoint, label, user, browser }: { url: string; endpoint: string; label: string; user: string; browser: boolean }): void {
  process.stderr.write(`Sign in as ${user} with ${label} in your browser${browser ? '' : ' (open this address yourself)'}:\n`);
  process.stdout.write(`${url}\n`);
  const opened = browser && openInBrowser(url, endpoint);
  process.stderr.write(opened ? 'Opened your browser; waiting for it (up to 5 minutes)…\n' : 'Waiting for the browser to come back (up to 5 minutes)…\n');
}

/** AccessTokens' interactiveSignIn for a terminal: a new browser sign-in for an account. */
export async function terminalSignIn(account: AccountConfig, provider: OAuthProvider): Promise<TokenSet & { refreshToken: string }> {
  const auth = oauthOf(account)!;
  process.stderr.write(`triage: ${account.name} signs in with ${provider.label}, and the command line keeps no token on disk.\n`);
  const pending = await beginSignIn({ provider, clientId: auth.clientId, clientSecret: auth.clientSecret, loginHint: account.imap.user });
  announceSignIn({ url: pending.url, endpoint: provider.authorizationEndpoint, label: provider.label, user: account.imap.user, browser: true });
  return pending.tokens;
}
