// One SMTP transaction for one message, with the hooks exactly-once sending needs: the last bytes
// of DATA held back until the caller has recorded that the server may accept from now on, an
// extra envelope recipient (the witness) that never turns a refused send into a delivery, and
// every failure as an outcome with the server's own words.
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { ServerConfig } from '../model.js';
import { isLoopback } from '../deps/index.js';
import type { TokenLogin } from '../auth/index.js';


export type SmtpOutcome =
  | { ok: true; accepted: string[]; refused: string[]; refusedReasons: string[]; response: string }
  /** `permanent`: the server said no for good (see permanentRefusal); trying again changes nothing. */
  | { ok: false; reason: string; maybeAccepted: boolean; permanent: boolean; witnessOnly?: boolean; signInRequired?: boolean };

interface SmtpError extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  rejectedErrors?: SmtpError[];
  originalCode?: string;
}

/** The server's own words where there are some ('550 5.1.1 mailbox unavailable'), else a sentence. */
export function smtpReason(e: unknown, server: Pick<ServerConfig, 'host' | 'port'>): string {
  const err = (e ?? {}) as SmtpError;
  const response = (err.rejectedErrors?.find((r) => r.response)?.response ?? err.response ?? '').split('\n')[0].trim();
  const where = `${server.host}:${server.port}`;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return `authentication failed${response ? ` (${response})` : ''}`;
  if (response) return response;
  const original = err.originalCode ?? '';
  if (original === 'ECONNREFUSED' || /ECONNREFUSED/.test(err.message ?? '')) return `cannot reach ${where}: connection refused`;
  if (original === 'ENOTFOUND' || err.code === 'EDNS') return `cannot reach ${err.message?.includes(server.host) ? server.host : where}: no such host`;
  if (err.code === 'ETLS') return `TLS with ${where} failed: check the SMTP security setting`;
  // OpenSSL's words for a TLS hello answered in plain text: never shown raw.
  if (/wrong version number|packet length too long|unknown protocol/i.test(err.message ?? '')) return `${where} does not use TLS (it answered in plain text): check the SMTP security setting`;
  if (err.code === 'ETIMEDOUT') return `${where} did not answer in time`;
  return (err.message ?? String(e)).split('\n')[0];
}

/**
 * Whether trying again is pointless until someone changes something: RFC 5321 §4.2.1, a 5yz
 * reply is a permanent negative completion ("the same request ... will fail again"), whether to
 * MAIL, every RCPT or the data; a failed login (RFC 4954 535, or no credentials the server takes)
 * too, except RFC 4954's 454 "temporary authentication failure". A 4yz reply, a connection that
 * failed or was lost, a timeout: temporary.
 */
export function permanentRefusal(errors: SmtpError[]): boolean {
  if (!errors.length) return false;
  return errors.every((err) => {
    const code = Number(err.responseCode) || 0;
    if (err.code === 'EAUTH' || err.code === 'ENOAUTH') return !(code >= 400 && code < 500);
    return code >= 500 && code < 600;
  });
}

/** Codes of failures that certainly happened before any data could be accepted. */
const BEFORE_DATA = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EDNS', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EPROXY']);

export interface SmtpTransactionInput {
  server: ServerConfig;
  password: string | null;
  /** An OAuth2 account: XOAUTH2 with this token source instead of the password. */
  oauth2?: TokenLogin | null;
  envelopeFrom: string;
  recipients: string[];
  /** The user's own address as the last RCPT (see the top of this file), or null. */
  witness: string | null;
  raw: Buffer;
  /** Called (and awaited) before the last bytes go out; from then on the server may accept. */
  onDataEnd: () => Promise<void>;
}

function smtpConnection(server: ServerConfig): SMTPConnection {
  return new SMTPConnection({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    logger: false,
  });
}

/** One SMTP transaction for one message. Never throws: every failure is an outcome. */
export async function smtpTransaction(input: SmtpTransactionInput): Promise<SmtpOutcome> {
  const { server } = input;
  if (server.security === 'none' && !isLoopback(server.host) && (input.password || input.oauth2)) {
    return { ok: false, reason: `not sending to ${server.host} without TLS: the password would cross the network unencrypted (set the SMTP security to tls or starttls)`, maybeAccepted: false, permanent: false };
  }
  const conn = smtpConnection(server);
  conn.on('error', () => undefined); // reported through the callbacks; an unhandled 'error' would end the process
  const real = new Set(input.recipients.map((a) => a.toLowerCase()));
  let dataEnded = false;
  let abortedRefused: SmtpError[] | null = null;
  /** Why the token source gave no token (e.g. the provider wants a new sign-in), copied when it
   *  happened: nodemailer rewrites the error's code to EAUTH on its way out. */
  let tokenFailure: { message: string; code?: string } | null = null;
  try {
    // nodemailer reports a failed connect (refused, unreachable, TLS) only as an 'error' event,
    // never through connect()'s callback: without this listener the await would never end.
    await new Promise<void>((resolve, reject) => {
      const failed = (err: Error) => reject(err);
      conn.once('error', failed);
      conn.once('end', () => reject(new Error('the connection closed before the server greeted us')));
      conn.connect((err) => {
        conn.removeListener('error', failed);
        if (err) reject(err);
        else resolve();
      });
    });
    if (input.oauth2) {
      // XOAUTH2 (developers.google.com/gmail/imap/xoauth2-protocol): nodemailer asks for a token,
      // and after the server's 334 failure answer asks once more with renew=true.
      const login = input.oauth2;
      const oauth2 = new XOAuth2({
        user: login.user,
        provisionCallback: (_user, renew, done) =>
          login.token(renew).then(
            (token) => done(null, token),
            (e: Error & { code?: string }) => {
              tokenFailure = { message: e.message, code: e.code };
              done(e);
            },
          ),
      });
      await new Promise<void>((resolve, reject) => conn.login({ user: login.user, oauth2 } as never, (err) => (err ? reject(err) : resolve())));
    } else if (conn.allowsAuth && input.password) {
      await new Promise<void>((resolve, reject) =>
        conn.login({ user: server.user, pass: input.password! }, (err) => (err ? reject(err) : resolve())),
      );
    }
    const tail = Math.min(2, input.raw.length);
    let stage = 0;
    const message = new Readable({
      read() {
        if (stage === 0) {
          stage = 1;
          // The RCPT replies are all in by now (DATA got its 354). Not one real recipient
          // accepted: drop the transaction before the data, or the witness alone would get it.
          const envelope = (conn as unknown as { _envelope?: { accepted?: string[]; rejectedErrors?: SmtpError[] } })._envelope;
          if (envelope && Array.isArray(envelope.accepted) && !envelope.accepted.some((a) => real.has(a.toLowerCase()))) {
            abortedRefused = envelope.rejectedErrors ?? [];
            this.destroy(new Error('every recipient was refused'));
            return;
          }
          this.push(input.raw.subarray(0, input.raw.length - tail));
          return;
        }
        if (stage === 1) {
          stage = 2;
          input.onDataEnd().then(
            () => {
              dataEnded = true;
              this.push(input.raw.subarray(input.raw.length - tail));
              this.push(null);
            },
            (e) => this.destroy(e instanceof Error ? e : new Error(String(e))),
          );
        }
      },
    });
    const to = [...input.recipients, ...(input.witness ? [input.witness] : [])];
    const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
      conn.send({ from: input.envelopeFrom, to }, message, (err, result) => (err ? reject(err) : resolve(result as SMTPConnection.SentMessageInfo))),
    );
    conn.quit();
    const accepted = info.accepted.filter((a) => real.has(a.toLowerCase()));
    const refused = info.rejected.filter((a) => real.has(a.toLowerCase()));
    const refusedReasons = (info.rejectedErrors ?? []).map((e) => smtpReason(e, server));
    if (!accepted.length) {
      const rejected = (info.rejectedErrors ?? []) as SmtpError[];
      return { ok: false, reason: refusedReasons[0] ?? 'every recipient was refused', maybeAccepted: false, permanent: permanentRefusal(rejected), witnessOnly: true };
    }
    return { ok: true, accepted, refused, refusedReasons, response: info.response };
  } catch (e) {
    conn.close();
    if (abortedRefused) {
      const errs = abortedRefused as SmtpError[];
      return { ok: false, reason: errs.length ? smtpReason({ rejectedErrors: errs }, server) : 'every recipient was refused', maybeAccepted: false, permanent: permanentRefusal(errs) };
    }
    const failure = tokenFailure as { message: string; code?: string } | null;
    if (failure) {
      // No token, so no AUTH, so nothing was sent: the follow-up waits for the sign-in.
      return { ok: false, reason: failure.message.split('\n')[0], maybeAccepted: false, permanent: false, signInRequired: failure.code === 'sign-in-required' };
    }
    const err = e as SmtpError;
    // A reply to the data (EMESSAGE with a response) is a refusal: nothing was accepted.
    const definite = BEFORE_DATA.has(err.code ?? '') || (err.code === 'EMESSAGE' && !!err.response) || !dataEnded;
    // nodemailer's EENVELOPE for "every recipient refused" carries them in rejectedErrors.
    const replies = err.code === 'EENVELOPE' && err.rejectedErrors?.length ? err.rejectedErrors : [err];
    return { ok: false, reason: smtpReason(e, server), maybeAccepted: !definite, permanent: definite && permanentRefusal(replies) };
  }
}
