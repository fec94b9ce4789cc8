// How an IMAP server lets people sign in, read before a password is asked for (the Accounts view's
// checkServer). No login is attempted: imapflow run without credentials stops right after the
// capabilities are known, STARTTLS included.
import type { ImapFlow } from 'imapflow';
import type { Security } from '../model.js';
import { judgeImapAuth, type ImapAuthOffer } from '../auth/index.js';
import { describeImapError } from './connect.js';
import { capabilitiesOf } from './auth-offer.js';

/** Connect without credentials and judge the server's login capabilities. */
export async function readImapAuthOffer({ host, port, security, timeoutMs = 10_000 }: { host: string; port: number; security: Security; timeoutMs?: number }): Promise<ImapAuthOffer> {
  const { ImapFlow: Client } = await import('imapflow');
  const client = new Client({
    host,
    port,
    secure: security === 'tls',
    doSTARTTLS: security === 'starttls' ? true : security === 'none' ? false : undefined,
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 10_000),
    disableAutoIdle: true,
  } as ConstructorParameters<typeof ImapFlow>[0]);
  client.on('error', () => undefined); // imapflow pitfall: an unhandled 'error' ends the process
  try {
    await client.connect();
  } catch (e) {
    const caps = capabilitiesOf(client);
    // No capabilities: it never got to the login step (refused, TLS, timeout): say why.
    if (!caps.length) throw describeImapError(e, { host, port, security, user: '' });
    return judgeImapAuth(caps, host);
  } finally {
    client.close();
  }
  // PREAUTH (RFC 3501 §7.1.4): already signed in, nothing to judge but the capabilities.
  return judgeImapAuth(capabilitiesOf(client), host);
}
