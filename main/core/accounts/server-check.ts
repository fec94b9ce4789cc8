// "Before a password is asked for": what an IMAP server says about signing in, and what we know of
// its provider. The Accounts view calls this when the user has typed a host, so it can offer
// "Sign in with Microsoft" instead of a password field that can never work, or say that the
// provider wants an app password and where to create one.
import type { Security, ServerCheck } from '../api.js';
import { TriageError } from '../errors.js';
import { probeImapSecurity, readImapAuthOffer } from '../imap/index.js';
import { oauthOnlyMessage } from '../auth/index.js';

export async function checkServer({ host, port, security }: { host: string; port: number; security?: Security }): Promise<ServerCheck> {
  const h = String(host ?? '').trim();
  if (!h) throw new TriageError('bad-input', 'The IMAP host is missing.');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TriageError('bad-input', `IMAP port "${port}" is not a port number.`);
  const sec = security ?? (await probeImapSecurity(h, port));
  const offer = await readImapAuthOffer({ host: h, port, security: sec });
  const preset = offer.preset;
  let message: string;
  if (offer.oauthOnly) message = oauthOnlyMessage(h, offer);
  else if (!offer.passwordLogin) message = `${h} offers no login this app knows (${offer.mechanisms.map((m) => `AUTH=${m}`).join(' ') || 'none'}).`;
  else if (preset?.password === 'app-password') {
    message = `${h} takes a password, and ${preset.label} wants an app password rather than your usual one: ${preset.appPasswordUrl ? `create one at ${preset.appPasswordUrl}. ` : ''}${preset.note}`;
  } else message = `${h} takes a password${offer.oauth2 ? ' (and OAuth2 sign-in)' : ''}.`;
  return { host: h, port, security: sec, mechanisms: offer.mechanisms, passwordLogin: offer.passwordLogin, oauth2: offer.oauth2, oauthOnly: offer.oauthOnly, preset, message };
}
