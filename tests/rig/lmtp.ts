// A minimal LMTP client (RFC 2033) for handing mail to a rig server's LMTP listener (Dovecot's
// LMTP service, Cyrus' lmtpd).
// LMTP is SMTP with LHLO instead of EHLO and one DATA reply per accepted recipient.
import type { Socket } from 'node:net';
import { openSocket, readLines } from './net.js';

export interface LmtpReply {
  code: number;
  text: string;
}

export interface LmtpResult {
  /** Per recipient: the server's reply to RCPT TO, or to DATA when RCPT was accepted. */
  replies: Map<string, LmtpReply>;
}

/** RFC 5321 4.5.2: a line that starts with '.' gets one more '.'. Works on bytes (latin1 keeps
 *  every byte), and also after a bare LF, which Dovecot and Cyrus' lmtpd accept as a line end. */
export function dotStuff(raw: Buffer): Buffer {
  let text = raw.toString('latin1').replace(/(^|\n)\./g, '$1..');
  if (!text.endsWith('\n')) text += '\r\n';
  return Buffer.from(`${text}.\r\n`, 'latin1');
}

async function reply(socket: Socket): Promise<LmtpReply> {
  // Multi-line replies are "250-..." lines ending with "250 ...".
  const lines = await readLines(socket, (line) => /^\d{3}( |$)/.test(line), 15_000);
  const last = lines[lines.length - 1];
  return { code: Number(last.slice(0, 3)), text: last.slice(4) };
}

async function command(socket: Socket, line: string, expect: number): Promise<LmtpReply> {
  socket.write(`${line}\r\n`);
  const r = await reply(socket);
  if (Math.floor(r.code / 100) !== expect) throw new Error(`LMTP "${line}" failed: ${r.code} ${r.text}`);
  return r;
}

/** Delivers one message to the recipients the server knows. Unknown users get a 5xx in `replies`
 *  and do not fail the call; a broken session does. */
export async function deliverLmtp(port: number, from: string, recipients: string[], raw: Buffer): Promise<LmtpResult> {
  const replies = new Map<string, LmtpReply>();
  const socket = await openSocket(port);
  try {
    const greeting = await reply(socket);
    if (greeting.code !== 220) throw new Error(`LMTP greeting: ${greeting.code} ${greeting.text}`);
    await command(socket, 'LHLO rig.localhost', 2);
    await command(socket, `MAIL FROM:<${from}>`, 2);
    const accepted: string[] = [];
    for (const rcpt of recipients) {
      socket.write(`RCPT TO:<${rcpt}>\r\n`);
      const r = await reply(socket);
      replies.set(rcpt, r);
      if (r.code < 300) accepted.push(rcpt);
    }
    if (accepted.length > 0) {
      await command(socket, 'DATA', 3);
      socket.write(dotStuff(raw));
      // RFC 2033 4.2: one reply for each recipient accepted at RCPT, in that order.
      for (const rcpt of accepted) replies.set(rcpt, await reply(socket));
    }
    socket.write('QUIT\r\n');
    return { replies };
  } finally {
    socket.end();
  }
}

/** True when Dovecot's LMTP accepts the user as a recipient, i.e. its userdb knows the user (a
 *  readiness probe that needs no password mechanism). */
export async function lmtpKnowsUser(port: number, user: string): Promise<boolean> {
  const socket = await openSocket(port);
  try {
    const greeting = await reply(socket);
    if (greeting.code !== 220) return false;
    await command(socket, 'LHLO rig.localhost', 2);
    await command(socket, 'MAIL FROM:<>', 2);
    socket.write(`RCPT TO:<${user}>\r\n`);
    const r = await reply(socket);
    socket.write('QUIT\r\n');
    return r.code >= 200 && r.code < 300;
  } finally {
    socket.end();
  }
}
