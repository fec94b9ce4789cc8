// What a server's first words say it is (issue 15: "a protocol mismatch is named as such").
// Every line protocol greets first: IMAP "* OK" (RFC 9051 §7.1.1), SMTP "220" (RFC 5321 §4.2),
// POP3 "+OK" (RFC 1939 §4), SSH "SSH-2.0-" (RFC 4253 §4.2); a TLS server says nothing until the
// client's hello, and answers a plain-text line with a TLS alert record (content type 21, RFC 8446
// §5.1). So: a TLS port talked to in plain text is silent; a plain port talked to in TLS answers
// the handshake with text, which OpenSSL reports as "wrong version number".
import net from 'node:net';

export type ServiceKind = 'imap' | 'smtp' | 'pop3' | 'ssh' | 'http' | 'ftp' | 'tls' | 'unknown';

/** What the first bytes a server sent say it is. Reads at most the first 512 bytes. */
export function serviceOfGreeting(first: Buffer | string): ServiceKind {
  const bytes = (typeof first === 'string' ? Buffer.from(first.slice(0, 512), 'latin1') : first).subarray(0, 512);
  if (bytes.length >= 3 && (bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03) return 'tls';
  const text = bytes.toString('latin1');
  if (/^\* (OK|PREAUTH|BYE)\b/i.test(text)) return 'imap';
  if (/^\+OK\b/.test(text)) return 'pop3';
  if (/^SSH-\d/.test(text)) return 'ssh';
  if (/^HTTP\/\d/i.test(text)) return 'http';
  if (/^220[ -].*\bftp\b/i.test(text)) return 'ftp';
  if (/^220[ -]/.test(text)) return 'smtp';
  return 'unknown';
}

export const SERVICE_NAMES: Record<ServiceKind, string> = {
  imap: 'an IMAP server',
  smtp: 'an SMTP (sending) server',
  pop3: 'a POP3 server',
  ssh: 'an SSH server',
  http: 'a web server',
  ftp: 'an FTP server',
  tls: 'a TLS port',
  unknown: 'an unknown service',
};

/** The first line a server sent, short and printable, for a sentence: "220 mx ESMTP". */
export function greetingLine(first: Buffer | string): string {
  const text = (typeof first === 'string' ? first.slice(0, 200) : first.subarray(0, 200).toString('latin1')).split(/\r?\n/)[0] ?? '';
  const clean = text.replace(/[^\x20-\x7e]/g, '').trim();
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}

export interface Sniffed {
  /** 'silent': connected, but nothing came within the time (a TLS port waits for the client). */
  kind: ServiceKind | 'silent' | 'closed';
  line: string;
}

/** Connects in plain text and reads what the server says first, without sending anything. */
export function sniffGreeting(host: string, port: number, ms = 2500): Promise<Sniffed> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let done = false;
    const finish = (v: Sniffed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish({ kind: 'silent', line: '' }), ms);
    socket.on('data', (b: Buffer) => finish({ kind: serviceOfGreeting(b), line: greetingLine(b) }));
    socket.on('error', () => finish({ kind: 'closed', line: '' }));
    socket.on('close', () => finish({ kind: 'closed', line: '' }));
  });
}
