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
  /** When the server accepted it, on this process's clock (ms): the rig's own view of "arrived". */
  at: number;
  /** The Message-ID header as written, angle brackets included; null when there is none. */
  messageId: string | null;
}

/** One AUTH attempt as the server judged it. */
export interface AuthAttempt {
  method: string; // PLAIN, LOGIN, XOAUTH2
  user: string;
  ok: boolean;
}

/** What the SMTP rig needs to judge a bearer token: OAuthServer from tests/rig/oauth.ts fits. */
export interface TokenIntrospector {
  introspect(token: string): { active: boolean; username?: string };
}

export interface SmtpServer {
  host: '127.0.0.1';
  port: number;
  /** Every accepted message, in order, whether or not a recipient was a user of the IMAP server. */
  received: ReceivedMessage[];
  /** Every AUTH attempt, in order (e.g. a refused token followed by a refreshed one). */
  auths: AuthAttempt[];
  setRefuse(fn: RefuseFn | null): void;
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** The IMAP server's LMTP port (`server.lmtpPort` of startDovecot or startCyrus); without it
   *  messages are only kept in `received`. */
  lmtpPort?: number;
  /** user → password; when set, AUTH PLAIN/LOGIN is required before MAIL FROM. */
  auth?: Record<string, string>;
  /** When set, AUTH XOAUTH2 is offered and required before MAIL FROM: the token must be active
   *  for the same user (as the authorization server's introspection says). A refused token gets
   *  smtp-server's XOAUTH2 failure: 334 with a base64 JSON status (Gmail's format), then 535
   *  after the client's empty line. With `auth` too, PLAIN and LOGIN are offered as well. */
  oauth2?: TokenIntrospector;
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
  const oauth2 = opts.oauth2;
  const needAuth = !!users || !!oauth2;
  const auths: AuthAttempt[] = [];

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
    received.push({ from, to, raw, messageId: headerMessageId(raw), at: Date.now() });
  }

  const server = new SmtpServerImpl({
    secure: false,
    // No TLS on loopback: don't advertise STARTTLS, allow AUTH in clear text.
    allowInsecureAuth: true,
    disabledCommands: needAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !needAuth,
    authMethods: [...(users || !oauth2 ? ['PLAIN', 'LOGIN'] : []), ...(oauth2 ? ['XOAUTH2'] : [])],
    logger: false,
    // close() otherwise waits up to 30 s for idle clients (e.g. a pooled nodemailer transport).
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const user = auth.username ?? '';
      const note = (ok: boolean) => auths.push({ method: auth.method, user, ok });
      if (auth.method === 'XOAUTH2') {
        const answer = oauth2 && auth.accessToken ? oauth2.introspect(auth.accessToken) : { active: false };
        const ok = answer.active && answer.username?.toLowerCase() === user.toLowerCase();
        note(ok);
        // No `user` in the answer = failed XOAUTH2: smtp-server sends 334 + this JSON, then 535.
        if (ok) callback(null, { user });
        else callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
        return;
      }
      const ok = !!users && auth.username !== undefined && users[auth.username] === auth.password;
      note(ok);
      if (ok) {
        callback(null, { user });
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
    auths,
    setRefuse(fn) {
      refuse = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
