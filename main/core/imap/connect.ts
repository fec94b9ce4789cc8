// Opening an IMAP connection, and turning what can go wrong into one sentence a person can act on.
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AccountConfig, ServerConfig } from '../model.js';
import { TriageError } from '../errors.js';
import { isLoopback } from '../deps/index.js';
import { oauthOnlyRefusal } from './auth-offer.js';
import { SERVICE_NAMES, sniffGreeting, type ServiceKind, type Sniffed } from '../net/index.js';

export interface ConnectOptions {
  server: ServerConfig;
  password: string;
  /** An OAuth2 access token: used instead of the password (OAUTHBEARER, else XOAUTH2). */
  accessToken?: string;
  /** Called with every UID the server reports as expunged (EXPUNGE or QRESYNC VANISHED). */
  onExpunge?: (payload: { path: string; uid?: number; seq?: number; vanished: boolean }) => void;
  timeoutMs?: number;
  /** How long the socket may be silent before it counts as dead (default 5 minutes); a watch
   *  connection in IDLE is silent longer (imap/watch.ts). */
  socketTimeoutMs?: number;
}

/** Hosts whose QRESYNC VANISHED responses are known to be wrong (see ARCHITECTURE.md). */
const NO_QRESYNC_HOSTS = /(^|\.)(imap\.mail\.me\.com|icloud\.com)$/i;

export async function connectImap({ server, password, accessToken, onExpunge, timeoutMs = 15_000, socketTimeoutMs = 5 * 60_000 }: ConnectOptions): Promise<ImapFlow> {
  // An account saved before plain text was refused (accounts/accounts.ts) still never sends its
  // password unencrypted across a network.
  if (server.security === 'none' && !isLoopback(server.host)) {
    throw new TriageError('tls-mismatch', `Not connecting to ${server.host} without TLS: the password would cross the network unencrypted. Set the account's security to tls or starttls.`);
  }
  const options: ImapFlowOptions = {
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    doSTARTTLS: server.security === 'starttls' ? true : server.security === 'none' ? false : undefined,
    auth: accessToken ? { user: server.user, accessToken } : { user: server.user, pass: password },
    logger: false,
    qresync: !NO_QRESYNC_HOSTS.test(server.host),
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 10_000),
    socketTimeout: socketTimeoutMs,
    disableAutoIdle: true,
    // Loopback test servers and self-hosted ones may use self-signed certificates only when the
    // user chose no TLS at all; with TLS we verify (default).
    expungeHandler: onExpunge ? async (p) => onExpunge(p as never) : undefined,
  };
  // Loaded when a connection is made: a command that only reads the store never pays for it.
  const { ImapFlow } = await import('imapflow');
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
    const cause = e ?? lastError;
    // A password refused by a server that takes only tokens: say that, not "wrong password".
    const oauthOnly = accessToken ? null : oauthOnlyRefusal(client, server);
    if (oauthOnly) throw oauthOnly;
    // What listens there decides the sentence (an SMTP port, a TLS port): one plain look.
    const heard = worthSniffing(cause) ? await sniffGreeting(server.host, server.port).catch(() => null) : null;
    throw describeImapError(cause, server, heard);
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

/** OpenSSL's words for a TLS hello answered by plain text (RFC 8446 §5.1: not a record at all). */
const PLAIN_ANSWER = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;

const IMAP_PORTS = 'IMAP is usually port 993 with TLS, or 143 with STARTTLS';

/** "is not an IMAP server: it answered like an SMTP (sending) server ("220 mx ESMTP")". */
function notImap(where: string, heard: Sniffed): string {
  const said = heard.line ? ` ("${heard.line}")` : '';
  return `${where} is not an IMAP server: it answered like ${SERVICE_NAMES[heard.kind as ServiceKind]}${said}. Check the port: ${IMAP_PORTS}.`;
}

/**
 * Map a connection/login failure to a TriageError with a one-line reason and a next step, never a
 * library's raw text. `heard`: what the port said first in plain text (sniffGreeting), when the
 * failure leaves open what is listening there.
 */
export function describeImapError(e: unknown, server: ServerConfig, heard?: Sniffed | null): TriageError {
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
      `The certificate of ${server.host} is not trusted (${certificateWords(code)}). If it is your own server's certificate, trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`,
    );
  }
  // TLS was asked for and the port answered the hello in plain text: it does not speak TLS.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || PLAIN_ANSWER.test(text)) {
    if (heard && heard.kind !== 'imap' && heard.kind !== 'silent' && heard.kind !== 'closed' && heard.kind !== 'tls') return new TriageError('tls-mismatch', notImap(where, heard));
    return new TriageError(
      'tls-mismatch',
      `${where} does not use TLS: it answered in plain text. Choose STARTTLS (or none, on a trusted local server) for this port, or use the TLS port (usually 993).`,
    );
  }
  if (/does not support STARTTLS/i.test(text)) {
    return new TriageError(
      'tls-mismatch',
      `${where} does not offer STARTTLS. Choose TLS if this is a TLS port (usually 993), or none only on a trusted local server: the password would cross the network in plain text.`,
    );
  }
  if (code === 'GREETING_TIMEOUT' || /greeting/i.test(text)) {
    if (heard && heard.kind !== 'imap' && heard.kind !== 'silent' && heard.kind !== 'closed') {
      if (heard.kind === 'tls' && server.security !== 'tls') return new TriageError('tls-mismatch', `${where} expects TLS from the start: choose TLS for this port.`);
      return new TriageError('tls-mismatch', notImap(where, heard));
    }
    if (server.security === 'tls') return new TriageError('tls-mismatch', `${where} sent no IMAP greeting over TLS: it may not be an IMAP server. Check the port: ${IMAP_PORTS}.`);
    // Silent in plain text: what a TLS port does (it waits for the client's hello).
    return new TriageError('tls-mismatch', `${where} sent no IMAP greeting in plain text: it may expect TLS from the start (choose TLS), or not be an IMAP server.`);
  }
  if (/SSL|TLS/.test(`${code} ${text}`)) {
    return new TriageError('tls-mismatch', `The secure connection to ${where} failed: check the security setting (${IMAP_PORTS}).`);
  }
  if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT' || /timed? ?out/i.test(text)) {
    return new TriageError('timeout', `${where} did not answer in time. Check the host and port, or try again later.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'NoConnection' || /closed|reset/i.test(text)) {
    return new TriageError('connection-lost', `The connection to ${where} was lost. What was copied is kept; run sync again to resume.`);
  }
  return new TriageError('server-refused', `The IMAP server ${where} refused: ${imapReason(err).slice(0, 200)}`);
}

/** Node's certificate error codes in words (the code itself means little to a person). */
function certificateWords(code: string): string {
  if (/SELF_SIGNED/.test(code)) return 'it is self-signed';
  if (/EXPIRED/.test(code)) return 'it has expired';
  if (/ALTNAME/.test(code)) return 'it is for another host name';
  return 'no trusted authority signed it';
}

const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0].trim();

/** A failure whose cause depends on what listens on the port: worth one look at its greeting. */
function worthSniffing(e: unknown): boolean {
  const err = (e ?? {}) as ErrLike;
  return err.code === 'GREETING_TIMEOUT' || err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || PLAIN_ANSWER.test(err.message ?? '');
}

export function imapServerOf(account: AccountConfig): ServerConfig {
  return account.imap;
}
