// The Accounts view's sign-in with Google or Microsoft, as plain data and pure functions (no React,
// no DOM), so a unit test holds them: what a failed sign-in means for the user, which URL the page
// may open itself, what an account's sign-in state reads as, and the account a sign-in adds.
import type { AccountSummary, ApiErrorShape, NewOAuthAccountInput, OAuthProviderId, Security } from '../../../main/core/api.js';

export const PROVIDER_LABELS: Record<OAuthProviderId, string> = { google: 'Google', microsoft: 'Microsoft' };

/** Where the user is in a sign-in. `again`: the account being signed in again, else null (a new one). */
export type SignInState =
  | { phase: 'idle' }
  | { phase: 'starting'; provider: OAuthProviderId; again: string | null }
  | { phase: 'waiting'; provider: OAuthProviderId; again: string | null; flowId: string; url: string; opened: boolean; expiresAt: string }
  | { phase: 'done'; provider: OAuthProviderId; again: string | null; account: string; message: string }
  | { phase: 'failed'; provider: OAuthProviderId; again: string | null; failure: SignInFailure };

export type SignInFailureKind =
  /** No client id configured: Settings → Sign-in apps (or an app password). */
  | 'no-client'
  /** The browser never came back: the tab was closed, or the time ran out. */
  | 'timeout'
  /** The user cancelled here. */
  | 'cancelled'
  /** The provider, the user at the provider, or the mail server said no. */
  | 'refused'
  /** Anything else: the app server gone, a bad form. */
  | 'error';

export interface SignInFailure {
  kind: SignInFailureKind;
  title: string;
  /** The core's sentence (it says what to do next). */
  message: string;
}

/** What a failed startSignIn or finishSignIn means, from the error's code (never its text). */
export function signInFailure(provider: OAuthProviderId, e: ApiErrorShape, cancelledHere: boolean): SignInFailure {
  const label = PROVIDER_LABELS[provider];
  if (cancelledHere) return { kind: 'cancelled', title: 'Sign-in cancelled', message: 'Nothing was saved.' };
  switch (e.code) {
    case 'oauth-not-configured':
      return { kind: 'no-client', title: `No sign-in app set up for ${label}`, message: e.message };
    case 'timeout':
      return { kind: 'timeout', title: `No answer from ${label}’s sign-in page`, message: `${e.message} If you closed the browser tab, that is all it means; nothing was saved.` };
    case 'not-found':
      return { kind: 'timeout', title: 'This sign-in has ended', message: e.message };
    case 'server-refused':
    case 'auth-failed':
    case 'sign-in-required':
      return { kind: 'refused', title: `${label} sign-in refused`, message: e.message };
    case 'bad-input':
      // access_denied: the user pressed Cancel on the provider's consent page.
      if (/access_denied/.test(e.message)) return { kind: 'refused', title: `${label} sign-in refused`, message: e.message };
      return { kind: 'error', title: 'The sign-in could not start', message: e.message };
    default:
      return { kind: 'error', title: 'The sign-in did not finish', message: e.message };
  }
}

/** The page opens a sign-in URL itself (`triage serve`) only if it is https, or plain http to this
 *  computer (a test or local authorization server); never javascript:, data: or anything else. */
export function isOpenableSignInUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
}

export interface SignInStatus {
  /** "Password", "Google", "Microsoft". */
  method: string;
  /** Short, for a badge; null for a password account. */
  label: string | null;
  tone: 'ok' | 'warn' | 'fail' | null;
  /** One sentence, or null. */
  detail: string | null;
  /** The account cannot sync or send until the user signs in again. */
  needsSignIn: boolean;
}

/** How an account signs in, and whether its token is good (AccountSummary's sign-in fields). */
export function signInStatus(a: AccountSummary, formatTime: (iso: string) => string): SignInStatus {
  if (a.demo) return { method: 'Sample mail', label: null, tone: null, detail: null, needsSignIn: false };
  if (a.auth !== 'oauth2' || !a.provider) return { method: 'Password', label: null, tone: null, detail: null, needsSignIn: false };
  const method = PROVIDER_LABELS[a.provider];
  switch (a.tokenState) {
    case 'valid':
      return { method, label: 'Signed in', tone: 'ok', detail: a.tokenExpiresAt ? `Token valid until ${formatTime(a.tokenExpiresAt)}; it renews itself.` : null, needsSignIn: false };
    case 'needs-refresh':
      return { method, label: 'Signed in', tone: 'ok', detail: 'A new token is fetched at the next sync.', needsSignIn: false };
    case 'missing':
      return { method, label: 'Not signed in here', tone: 'warn', detail: `This app keeps no ${method} sign-in for this account (none survives a restart of the app server): sign in again to sync and send.`, needsSignIn: true };
    case 'sign-in-again':
      return { method, label: 'Sign in again', tone: 'fail', detail: a.signInMessage ?? `${method} no longer accepts the saved sign-in: its sync is paused and its follow-ups wait.`, needsSignIn: true };
    default:
      return { method, label: null, tone: null, detail: null, needsSignIn: false };
  }
}

/** What the account form holds that a sign-in needs. */
export interface SignInForm {
  name: string;
  email: string;
  login: string;
  otherAddresses: string[];
  timeZone: string;
  country: string;
  /** The preset chosen: 'custom', or a provider's (whose OAuth2 provider is `presetOAuth`). */
  preset: string;
  presetOAuth: OAuthProviderId | null;
  imap: { host: string; port: number; security: Security };
  smtp: { host: string; port: number; security: Security };
}

/**
 * The account a "Sign in with …" adds. The servers in the form go with it when they belong to that
 * provider's preset, or were typed by hand ('custom'); with another provider's preset chosen (Yahoo,
 * then "Sign in with Google") the provider's own servers are used instead.
 */
export function oauthAccountInput(f: SignInForm, provider: OAuthProviderId): NewOAuthAccountInput | { problem: string } {
  const email = f.email.trim().toLowerCase();
  if (!email) return { problem: `Type the email address to sign in as first: ${PROVIDER_LABELS[provider]} is asked to sign in exactly that account.` };
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { problem: `“${email}” is not an email address.` };
  const useForm = f.imap.host.trim() !== '' && (f.preset === 'custom' || f.presetOAuth === provider);
  const user = f.login.trim() || email;
  return {
    name: f.name.trim() || email,
    imap: { user, ...(useForm ? { host: f.imap.host.trim(), port: f.imap.port, security: f.imap.security } : {}) },
    ...(useForm && f.smtp.host.trim() ? { smtp: { host: f.smtp.host.trim(), port: f.smtp.port, security: f.smtp.security, user } } : {}),
    addresses: [...new Set([email, ...f.otherAddresses])],
    ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    ...(f.country ? { country: f.country } : {}),
    oauth: { provider },
  };
}

/** "4:59": the time left until `expiresAt`, never negative. */
export function timeLeft(expiresAt: string, now: number): string {
  const s = Math.max(0, Math.round((Date.parse(expiresAt) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
