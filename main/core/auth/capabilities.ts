// What an IMAP server's capabilities say about signing in, before any password is sent:
// RFC 3501 §6.2.3 / RFC 9051 §6.2.3 (LOGIN, and LOGINDISABLED that forbids it), §6.2.2 (AUTH=<SASL
// mechanism>), RFC 7628 (OAUTHBEARER) and Google's XOAUTH2. Pure: imap/ reads the list, this judges.
import type { ProviderPreset } from '../api.js';
import { presetForHost } from './presets.js';
import { providerLabel } from './access-tokens.js';

export interface ImapAuthOffer {
  /** SASL mechanisms offered, upper case (PLAIN, XOAUTH2, ...). */
  mechanisms: string[];
  /** A password can be used: AUTH=PLAIN or AUTH=LOGIN, or the LOGIN command not disabled. */
  passwordLogin: boolean;
  /** A bearer token can be used: AUTH=XOAUTH2 or AUTH=OAUTHBEARER. */
  oauth2: boolean;
  /** Only OAuth2 sign-in works: by the capabilities, or by what we know of the provider. */
  oauthOnly: boolean;
  preset: ProviderPreset | null;
}

const PASSWORD_SASL = new Set(['PLAIN', 'LOGIN']);
const OAUTH_SASL = new Set(['XOAUTH2', 'OAUTHBEARER']);

/** `capabilities`: the capability names as the server sent them (any case). */
export function judgeImapAuth(capabilities: Iterable<string>, host: string): ImapAuthOffer {
  const caps = [...capabilities].map((c) => c.toUpperCase());
  const mechanisms = caps.filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
  const oauth2 = mechanisms.some((m) => OAUTH_SASL.has(m));
  const sasl = mechanisms.some((m) => PASSWORD_SASL.has(m));
  // The LOGIN command needs no AUTH= capability; only LOGINDISABLED forbids it. A server that
  // offers OAuth2 and no password mechanism is treated as OAuth2-only even without LOGINDISABLED:
  // that is how Outlook.com's IMAP answers since password sign-in ended.
  const passwordLogin = sasl || (!caps.includes('LOGINDISABLED') && !oauth2);
  const preset = presetForHost(host);
  return { mechanisms, passwordLogin, oauth2, oauthOnly: oauth2 && (!passwordLogin || preset?.password === 'not-accepted'), preset };
}

/** The sentence for an OAuth2-only server: a password cannot work there, and what does. It is the
 *  app's as well as the CLI's, so it names the app's button; the CLI's command is oauthOnlyCli. */
export function oauthOnlyMessage(host: string, offer: Pick<ImapAuthOffer, 'mechanisms' | 'preset'>): string {
  const offered = offer.mechanisms.filter((m) => OAUTH_SASL.has(m)).map((m) => `AUTH=${m}`).join(' and ') || 'OAuth2';
  const how = offer.preset?.oauth
    ? `Add it with "Sign in with ${providerLabel(offer.preset.oauth)}" instead.`
    : 'If it is a Google or Microsoft account, add it with "Sign in with Google" or "Sign in with Microsoft"; otherwise ask its administrator for password access.';
  const why = offer.preset && offer.preset.password === 'not-accepted' ? ` ${offer.preset.note}` : '';
  return `${host} accepts only OAuth2 sign-in (it offers ${offered} and no password login): a password cannot work there. ${how}${why}`;
}

/** The CLI's way to the same (the `cli` part of an 'oauth-required' error). */
export function oauthOnlyCli(offer: Pick<ImapAuthOffer, 'preset'>): string {
  return offer.preset?.oauth ? `In the terminal: triage account add NAME --oauth ${offer.preset.oauth}.` : 'In the terminal: triage account add NAME --oauth google|microsoft.';
}
