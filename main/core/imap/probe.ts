// Which transport security an IMAP port speaks, for an account added without --security.
// No login: only the greeting and CAPABILITY are read. Preference: implicit TLS (RFC 8314
// recommends it), then STARTTLS (RFC 3501 §6.2.1), and plain text only on a loopback address,
// where nothing crosses a network.
import net from 'node:net';
import tls from 'node:tls';
import type { Security } from '../model.js';
import { TriageError } from '../errors.js';
import { isLoopback } from '../deps/index.js';
import { SERVICE_NAMES, sniffGreeting } from '../net/index.js';

export { isLoopback };

/** Reads until a line matching `done` arrives, or gives up after `ms`. */
function readUntil(socket: net.Socket, done: RegExp, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const finish = (v: string | null) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('error', onEnd);
      socket.removeListener('close', onEnd);
      resolve(v);
    };
    const onData = (b: Buffer) => {
      text += b.toString('latin1');
      if (done.test(text)) finish(text);
    };
    const onEnd = () => finish(null);
    const timer = setTimeout(() => finish(null), ms);
    socket.on('data', onData).once('error', onEnd).once('close', onEnd);
  });
}

async function greetsOverTls(host: string, port: number, ms: number): Promise<boolean> {
  const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false });
  socket.on('error', () => undefined);
  try {
    return (await readUntil(socket, /^\* (OK|PREAUTH)/m, ms)) !== null;
  } finally {
    socket.destroy();
  }
}

async function plainCapabilities(host: string, port: number, ms: number): Promise<string | null> {
  const socket = net.connect({ host, port });
  socket.on('error', () => undefined);
  try {
    const greeting = await readUntil(socket, /^\* (OK|PREAUTH).*\r?\n/m, ms);
    if (!greeting) return null;
    // Each [CAPABILITY …] code up to its ']' (a pattern ending in STARTTLS rescanned each one).
    if ([...greeting.matchAll(/\[CAPABILITY [^\]]*/gi)].some((m) => /STARTTLS/i.test(m[0]))) return greeting;
    socket.write('p1 CAPABILITY\r\n');
    return await readUntil(socket, /^p1 (OK|NO|BAD)/m, ms);
  } finally {
    socket.destroy();
  }
}

export async function probeImapSecurity(host: string, port: number, ms = 4000): Promise<Security> {
  if (port === 993) return 'tls';
  if (await greetsOverTls(host, port, ms)) return 'tls';
  const caps = await plainCapabilities(host, port, ms);
  if (caps === null) {
    // Nothing IMAP there: say what is (an SMTP port, a closed one), not just "cannot reach".
    const heard = await sniffGreeting(host, port, ms);
    if (heard.kind !== 'closed' && heard.kind !== 'silent' && heard.kind !== 'imap') {
      throw new TriageError(
        'tls-mismatch',
        `${host}:${port} is not an IMAP server: it answered like ${SERVICE_NAMES[heard.kind]}${heard.line ? ` ("${heard.line}")` : ''}. Check the port: IMAP is usually 993 with TLS, or 143 with STARTTLS.`,
      );
    }
    throw new TriageError(
      'unreachable',
      heard.kind === 'silent'
        ? `${host}:${port} accepted the connection but sent no IMAP greeting, in plain text or over TLS. Check the host and port.`
        : `Cannot reach an IMAP server at ${host}:${port}. Check the host and port, or choose the security yourself.`,
      { cli: 'Or give --security.' },
    );
  }
  if (/STARTTLS/i.test(caps)) return 'starttls';
  if (isLoopback(host)) return 'none';
  throw new TriageError(
    'tls-mismatch',
    `${host}:${port} offers neither TLS nor STARTTLS: your password would cross the network in plain text. Choose no security only if you accept that.`,
    { cli: 'Use --security none only if you accept that.' },
  );
}
