// "Test connection" for the sending side (issue 15: a wrong SMTP port must not say "Connected"):
// connect, EHLO (nodemailer's connect says it), and AUTH with the password when the server
// offers it (RFC 4954). Nothing is sent. Every failure is one sentence naming what is wrong: the
// port, the security setting, the protocol at the other end, or the password.
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ServerConfig } from '../model.js';
import { TriageError } from '../errors.js';
import { SERVICE_NAMES, greetingLine, serviceOfGreeting, sniffGreeting, type Sniffed } from '../net/index.js';

export interface SmtpCheck {
  /** The server took the user name and password (false: it asks for none). */
  authenticated: boolean;
  /** Its EHLO answer's first line. */
  greeting: string;
}

interface SmtpError extends Error {
  code?: string;
  response?: string;
  command?: string;
}

const SMTP_PORTS = 'SMTP is usually port 465 with TLS, or 587 with STARTTLS';

function connection(server: ServerConfig, timeoutMs: number): SMTPConnection {
  return new SMTPConnection({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 10_000),
    socketTimeout: timeoutMs,
    logger: false,
  });
}

export async function checkSmtp({ server, password, timeoutMs = 15_000 }: { server: ServerConfig; password: string | null; timeoutMs?: number }): Promise<SmtpCheck> {
  const conn = connection(server, timeoutMs);
  conn.on('error', () => undefined); // reported through the promises below; an unhandled 'error' ends the process
  try {
    await new Promise<void>((resolve, reject) => {
      conn.once('error', reject);
      conn.once('end', () => reject(Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' })));
      conn.connect((err) => (err ? reject(err) : resolve()));
    });
    const greeting = greetingLine(String((conn as unknown as { lastServerResponse?: string }).lastServerResponse ?? ''));
    let authenticated = false;
    if (password && conn.allowsAuth) {
      await new Promise<void>((resolve, reject) => conn.login({ user: server.user, pass: password }, (err) => (err ? reject(err) : resolve())));
      authenticated = true;
    }
    conn.quit();
    return { authenticated, greeting };
  } catch (e) {
    conn.close();
    const err = e as SmtpError;
    const heard = worthSniffing(err) ? await sniffGreeting(server.host, server.port).catch(() => null) : null;
    throw describeSmtpError(err, server, heard);
  }
}

const PLAIN_ANSWER = /wrong version number|packet length too long|unknown protocol|http request/i;

function worthSniffing(err: SmtpError): boolean {
  return err.code === 'ETIMEDOUT' || err.code === 'EPROTOCOL' || PLAIN_ANSWER.test(err.message ?? '');
}

/** One sentence for a failed SMTP check, never a library's raw text. */
export function describeSmtpError(err: SmtpError, server: ServerConfig, heard?: Sniffed | null): TriageError {
  const where = `${server.host}:${server.port}`;
  const message = err.message ?? '';
  const other = (kind: Sniffed['kind'], line: string) =>
    new TriageError('tls-mismatch', `${where} is not an SMTP server: it answered like ${SERVICE_NAMES[kind as keyof typeof SERVICE_NAMES]}${line ? ` ("${line}")` : ''}. Check the port: ${SMTP_PORTS}.`);
  if (err.code === 'EAUTH') {
    return new TriageError('auth-failed', `The SMTP server ${server.host} refused the user name or password for ${server.user}${err.response ? ` (${greetingLine(err.response)})` : ''}: check them, or create an app password.`);
  }
  if (/ECONNREFUSED/.test(message)) return new TriageError('unreachable', `Cannot reach the SMTP server ${where}: the connection was refused. Check the host and port.`);
  if (/ENOTFOUND|EAI_AGAIN/.test(message) || err.code === 'EDNS') return new TriageError('unreachable', `Cannot reach ${server.host}: no such host. Check the SMTP server's name.`);
  if (/certificate|CERT_|SELF_SIGNED/i.test(message)) {
    return new TriageError('tls-mismatch', `The certificate of ${server.host} is not trusted. If it is your own server's certificate, trust it with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`);
  }
  if (PLAIN_ANSWER.test(message)) {
    if (heard && heard.kind !== 'smtp' && heard.kind !== 'silent' && heard.kind !== 'closed' && heard.kind !== 'tls') return other(heard.kind, heard.line);
    return new TriageError('tls-mismatch', `${where} does not use TLS: it answered in plain text. Choose STARTTLS for this port, or use the TLS port (usually 465).`);
  }
  if (err.code === 'ETLS' || err.command === 'STARTTLS') {
    return new TriageError('tls-mismatch', `${where} does not offer STARTTLS. Choose TLS if this is a TLS port (usually 465), or none only on a trusted local server.`);
  }
  if (err.code === 'EPROTOCOL') {
    const kind = serviceOfGreeting(err.response ?? '');
    return other(kind === 'smtp' ? 'unknown' : kind, greetingLine(err.response ?? ''));
  }
  if (err.code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    if (heard && heard.kind !== 'smtp' && heard.kind !== 'silent' && heard.kind !== 'closed') {
      if (heard.kind === 'tls') return new TriageError('tls-mismatch', `${where} expects TLS from the start: choose TLS for this port.`);
      return other(heard.kind, heard.line);
    }
    if (heard?.kind === 'silent' && server.security !== 'tls') return new TriageError('tls-mismatch', `${where} sent no SMTP greeting in plain text: it may expect TLS from the start (choose TLS).`);
    return new TriageError('timeout', `The SMTP server ${where} did not answer in time. Check the host and port.`);
  }
  if (err.code === 'ECONNRESET' || /closed|reset|socket hang up/i.test(message)) {
    return new TriageError('connection-lost', `The SMTP server ${where} closed the connection: check the port and the security setting (${SMTP_PORTS}).`);
  }
  return new TriageError('server-refused', `The SMTP server ${where} refused: ${greetingLine(err.response ?? message) || 'no reason given'}.`);
}
