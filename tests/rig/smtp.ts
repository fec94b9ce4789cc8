// A real SMTP server on loopback (the `smtp-server` package) that hands every accepted message
// to a rig IMAP server over LMTP (Dovecot's LMTP listener or Cyrus' lmtpd: pass the server's
// `lmtpPort`), so a follow-up sent by the app really lands in a mailbox.
import { SMTPServer as SmtpServerImpl, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { deliverLmtp } from './lmtp.js';
import { LOOPBACK } from './net.js';

export type RefuseFn = (rcpt: string) => string | null;

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The Message-ID header as written, angle brackets included; null when there is none. */
  messageId: string | null;
}

export interface SmtpServer {
  host: '127.0.0.1';
  port: number;
  /** Every accepted message, in order, whether or not a recipient was a user of the IMAP server. */
  received: ReceivedMessage[];
  setRefuse(fn: RefuseFn | null): void;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** The IMAP server's LMTP port (`server.lmtpPort` of startDovecot or startCyrus); without it
   *  messages are only kept in `received`. */
  lmtpPort?: number;
  /** user → password; when set, AUTH PLAIN/LOGIN is required before MAIL FROM. */
  auth?: Record<string, string>;
  /** Returns a reason to refuse a recipient at RCPT TO ("550 5.1.1 No such user" or just a text,
   *  which gets 550), or null to accept. */
  refuse?: RefuseFn;
}

class SmtpReplyError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

function refusal(reason: string): SmtpReplyError {
  const m = /^([45]\d\d)\s+(.*)$/s.exec(reason);
  return m ? new SmtpReplyError(m[2], Number(m[1])) : new SmtpReplyError(reason, 550);
}

/** The Message-ID header of a raw message (headers end at the first empty line; RFC 5322
 *  folding joined). */
export function headerMessageId(raw: Buffer): string | null {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const header = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:\s*(.*)$/im.exec(header);
  return m ? m[1].trim() || null : null;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startSmtp(opts: SmtpOptions = {}): Promise<SmtpServer> {
  const received: ReceivedMessage[] = [];
  let refuse: RefuseFn | null = opts.refuse ?? null;
  const users = opts.auth;

  async function accept(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readAll(stream);
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const to = session.envelope.rcptTo.map((r) => r.address);
    // Deliver before answering DATA: a test that got 250 can look in the mailbox right away.
    if (opts.lmtpPort) {
      const { replies } = await deliverLmtp(opts.lmtpPort, from, to, raw);
      // 5xx = not a user there: kept in `received` only. 4xx = the server could not store it.
      // (Cyrus' lmtpd, unlike its IMAP APPEND, takes bare LF line ends and stores CRLF.)
      const failed = [...replies].filter(([, r]) => r.code >= 400 && r.code < 500);
      if (failed.length > 0) {
        throw new SmtpReplyError(`LMTP delivery failed: ${failed.map(([a, r]) => `${a}: ${r.code} ${r.text}`).join('; ')}`, 451);
      }
    }
    received.push({ from, to, raw, messageId: headerMessageId(raw) });
  }

  const server = new SmtpServerImpl({
    secure: false,
    // No TLS on loopback: don't advertise STARTTLS, allow AUTH in clear text.
    allowInsecureAuth: true,
    disabledCommands: users ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !users,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    // close() otherwise waits up to 30 s for idle clients (e.g. a pooled nodemailer transport).
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      if (users && auth.username !== undefined && users[auth.username] === auth.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new SmtpReplyError('Authentication credentials invalid', 535));
      }
    },
    onRcptTo(address, _session, callback) {
      const reason = refuse?.(address.address) ?? null;
      callback(reason ? refusal(reason) : null);
    },
    onData(stream, session, callback) {
      accept(stream, session).then(
        () => callback(null),
        (err: Error) => callback(err instanceof SmtpReplyError ? err : new SmtpReplyError(err.message, 451)),
      );
    },
  });
  server.on('error', () => {}); // per-connection errors (a client hanging up) are not test failures

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    host: LOOPBACK,
    port,
    received,
    setRefuse(fn) {
      refuse = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
