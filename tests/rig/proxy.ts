// A loopback TCP proxy for fault injection: put it between a client and Dovecot (or SMTP) and
// cut every connection at once to see how the client copes with a dropped link.
import { connect, createServer, type Socket } from 'node:net';
import { LOOPBACK } from './net.js';

export interface Proxy {
  port: number;
  /** Destroys every open client and upstream socket. The client side gets a TCP RST (what a
   *  NAT or middlebox timeout produces on the next packet), so it sees ECONNRESET rather than a
   *  polite close. New connections are accepted as before. */
  cutAll(): void;
  close(): Promise<void>;
  /** Connections open right now. */
  readonly connections: number;
  /** Connections accepted since start (tells whether a client reconnected). */
  readonly accepted: number;
}

export interface ProxyOptions {
  /** Rewrites what the server sends, to imitate a server that behaves differently (e.g. one that
   *  allows no keywords). Applied per chunk: keep rewrites to text that fits in one line. */
  fromServer?: (chunk: Buffer) => Buffer;
  /** Rewrites what the client sends (e.g. a command the server should refuse), per chunk too. */
  fromClient?: (chunk: Buffer) => Buffer;
}

export async function startProxy(targetPort: number, options: ProxyOptions = {}): Promise<Proxy> {
  const pairs = new Set<[Socket, Socket]>();
  let accepted = 0;

  const server = createServer((client) => {
    accepted += 1;
    const upstream = connect({ host: LOOPBACK, port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Errors are expected here (that is the point); either side failing ends both.
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    if (options.fromClient) client.on('data', (chunk: Buffer) => upstream.write(options.fromClient!(chunk)));
    else client.pipe(upstream);
    if (options.fromServer) upstream.on('data', (chunk: Buffer) => client.write(options.fromServer!(chunk)));
    else upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const cutAll = () => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      const [client, upstream] = pair;
      client.resetAndDestroy();
      upstream.destroy();
    }
  };

  return {
    port,
    cutAll,
    get connections() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
