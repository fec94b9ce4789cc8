// The connection test's "this server accepts only OAuth2 sign-in": when a password login fails,
// the capabilities imapflow read before it (after STARTTLS, whose capabilities replace the ones
// sent in the clear: RFC 9051 §6.2.1) say whether a password could ever have worked.
import type { ImapFlow } from 'imapflow';
import type { ServerConfig } from '../model.js';
import { TriageError } from '../errors.js';
import { judgeImapAuth, oauthOnlyCli, oauthOnlyMessage } from '../auth/index.js';

/** The capabilities imapflow read before logging in (empty when it never got that far). */
export function capabilitiesOf(client: ImapFlow): string[] {
  const caps = (client as unknown as { capabilities?: Map<string, unknown> }).capabilities;
  return caps instanceof Map ? [...caps.keys()] : [];
}

/** After a refused password login: an 'oauth-required' error when the server takes only tokens. */
export function oauthOnlyRefusal(client: ImapFlow, server: ServerConfig): TriageError | null {
  const caps = capabilitiesOf(client);
  if (!caps.length) return null;
  const offer = judgeImapAuth(caps, server.host);
  return offer.oauthOnly ? new TriageError('oauth-required', oauthOnlyMessage(server.host, offer), { cli: oauthOnlyCli(offer) }) : null;
}
