// Opening an IMAP connection, and turning what can go wrong into one sentence a person can act on.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { AccountConfig, ServerConfig } from '../model.js';
import { TriageError } from '../errors.js';

export interface ConnectOptions {
  server: ServerConfig;
  password: string;
  /** Called with every UID the server reports as expunged (EXPUNGE or QRESYNC VANISHED). */
  onExpunge?: (payload: { path: string; uid?: number; seq?: number; vanished: boolean }) => void;
  timeoutMs?: number;
}

/** Hosts whose QRESYNC VANISHED responses are known to be wrong (see ARCHITECTURE.md). */
const NO_QRESYNC_HOSTS = /(^|\.)(imap\.mail\.me\.com|icloud\.com)$/i;

export async function connectImap({ server, password, onExpunge, timeoutMs = 15_000 }: ConnectOptions): Promise<ImapFlow> {
  const options: ImapFlowOptions = {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
    auth: { user: server.user, pass: password },
    logger: false,
    qresync: !NO_QRESYNC_HOSTS.test(server.host),
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 10_000),
    socketTimeout: 5 * 60_000,
    disableAutoIdle: true,
    // Loopback test servers and self-hosted ones may use self-signed certificates only when the
    // user chose no TLS at all; with TLS we verify (default).
    expungeHandler: onExpunge ? async (p) => onExpunge(p as never) : undefined,
  };
  const client = new ImapFlow(options);
  // imapflow pitfall: an unhandled 'error' event ends the whole process. Attach first.
  let lastError: unknown = null;
  client.on('error', (err) => {
    lastError = err;
  });
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw describeImapError(e ?? lastError, server);
  }
  return client;
}

type ErrLike = Error & {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  responseStatus?: string;
  /** imapflow: the whole tagged reply line as text, once the error was reported. */
  response?: unknown;
};

/**
 * The server's own words for a failed command, as a person can read them: "NO [TRYCREATE]
 * Mailbox doesn't exist: Sent", "NO Message contains bare newlines". imapflow throws "Command
 * failed" for every NO and BAD and keeps what the server said in `responseText` (the code in
 * `serverResponseCode`); the bare message only when the server said nothing (a lost connection).
 */
export function imapReason(e: unknown): string {
  const err = (e ?? {}) as ErrLike;
  if (e instanceof TriageError) return err.message;
  const said = (err.responseText ?? '').split('\n')[0].trim();
  if (said) {
    const code = err.serverResponseCode && !said.includes(`[${err.serverResponseCode}`) ? `[${err.serverResponseCode}] ` : '';
    return `${err.responseStatus ? `${err.responseStatus} ` : ''}${code}${said}`;
  }
  const line = typeof err.response === 'string' ? err.response.replace(/^\S+\s+/, '').split('\n')[0].trim() : '';
  if (line) return line;
  return (err.message || String(e)).split('\n')[0];
}

/** Map a connection/login failure to a TriageError with a one-line reason and a next step. */
export function describeImapError(e: unknown, server: ServerConfig): TriageError {
  if (e instanceof TriageError) return e;
  const err = (e ?? {}) as ErrLike;
  const code = err.code ?? '';
  const text = `${err.message ?? ''} ${err.responseText ?? ''}`;
  const where = `${server.host}:${server.port}`;
  if (err.authenticationFailed || err.serverResponseCode === 'AUTHENTICATIONFAILED' || /auth|login|credentials/i.test(err.responseText ?? '')) {
    return new TriageError(
      'auth-failed',
      `Wrong user name or password for ${server.user} at ${server.host}: check them, or create an app password if the account uses two-factor sign-in.`,
    );
  }
  if (code === 'ECONNREFUSED') return new TriageError('unreachable', `Cannot reach ${where}: the connection was refused. Check the host and port.`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TriageError('unreachable', `Cannot reach ${server.host}: no such host. Check the server name and your network.`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new TriageError('unreachable', `Cannot reach ${where}: the network is unreachable.`);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME|certificate/i.test(`${code} ${text}`)) {
    // A certificate problem is not a protocol mismatch: say which, and how to trust one's own CA.
    return new TriageError(
      'tls-mismatch',
      `The certificate of ${server.host} is not trusted (${(err.message ?? code).split('\n')[0]}). If it is your own server's certificate, trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
    );
  }
  if (/wrong version number|packet length too long|unknown protocol|SSL|TLS|ERR_SSL/i.test(`${code} ${text}`)) {
    return new TriageError(
      'tls-mismatch',
      `TLS handshake with ${where} failed (${(err.message ?? code).split('\n')[0]}): the port may expect ${server.security === 'tls' ? 'STARTTLS or no TLS' : 'TLS'}; check the security setting (993 is usually tls, 143 starttls).`,
    );
  }
  if (code === 'GREETING_TIMEOUT' || /greeting/i.test(text)) {
    return new TriageError(
      'tls-mismatch',
      `${where} sent no IMAP greeting: it may expect TLS (security tls) or not be an IMAP server.`,
    );
  }
  if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT' || /timed? ?out/i.test(text)) {
    return new TriageError('timeout', `${where} did not answer in time. Check the host and port, or try again later.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'NoConnection' || /closed|reset/i.test(text)) {
    return new TriageError('connection-lost', `The connection to ${where} was lost. What was copied is kept; run sync again to resume.`);
  }
  return new TriageError('server-refused', `IMAP error from ${where}: ${imapReason(err)}`);
}

export function imapServerOf(account: AccountConfig): ServerConfig {
  return account.imap;
}
