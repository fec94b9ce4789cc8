// Loopback helpers shared by the rig: free ports and tiny line-protocol probes.
import { createServer, connect, type Socket } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A port the kernel just considered free: bind port 0, read it, close. Another process can
 *  grab it before we use it, so callers that can retry on EADDRINUSE should. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Reads CRLF lines from a socket until `done(line)` says stop; resolves with all lines read.
 *  Bytes after the last line are pushed back and the socket paused, so the next call gets them
 *  (a flowing socket with no 'data' listener would drop them). */
export function readLines(socket: Socket, done: (line: string) => boolean, timeoutMs = 5000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buffer = '';
    const cleanup = () => {
      socket.pause();
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        lines.push(line);
        if (done(line)) {
          cleanup();
          if (buffer) socket.unshift(Buffer.from(buffer, 'latin1'));
          resolve(lines);
          return;
        }
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error(`connection closed after: ${lines.slice(-3).join(' | ') || '(nothing)'}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for a reply; got: ${lines.slice(-3).join(' | ') || '(nothing)'}`));
    }, timeoutMs);
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.resume();
  });
}

export function openSocket(port: number, timeoutMs = 2000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: LOOPBACK, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${port} timed out`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The first line a server on `port` sends (an IMAP "* OK ...", an LMTP "220 ..."), or null when
 *  nothing answers within a second or two. */
export async function greetingOf(port: number): Promise<string | null> {
  let socket: Socket | undefined;
  try {
    socket = await openSocket(port, 1000);
    const [greeting] = await readLines(socket, () => true, 2000);
    return greeting;
  } catch {
    return null;
  } finally {
    socket?.destroy();
  }
}

/** True when the port answers with an IMAP greeting ("* OK ..."). */
export async function imapGreets(port: number): Promise<boolean> {
  return (await greetingOf(port))?.startsWith('* OK') ?? false;
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** True when LOGIN with these credentials succeeds (RFC 3501 6.2.3). */
export async function imapLoginWorks(port: number, user: string, password: string): Promise<boolean> {
  const socket = await openSocket(port);
  try {
    await readLines(socket, () => true);
    socket.write(`a LOGIN ${quote(user)} ${quote(password)}\r\n`);
    const lines = await readLines(socket, (l) => l.startsWith('a '));
    const ok = lines[lines.length - 1].startsWith('a OK');
    socket.write('b LOGOUT\r\n');
    return ok;
  } finally {
    socket.destroy();
  }
}
