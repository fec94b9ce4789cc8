// The one-shot listener the browser comes back to (RFC 8252 §7.3): http on 127.0.0.1 (not
// "localhost", which a resolver may send to ::1 or elsewhere: §8.3), on a port the OS picks. It
// takes exactly one answer that carries our `state`, shows a page saying the tab may be closed,
// and closes. A request without our state (a stale tab, a forged redirect) gets a 400 page and
// changes nothing: only the answer to our own request can end the wait.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the authorization server sent back (RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207). */
export interface AuthorizationResponse {
  code: string | null;
  error: string | null;
  errorDescription: string | null;
  /** RFC 9207: the issuer of the response, when the server says it. */
  iss: string | null;
}

export interface LoopbackListener {
  /** http://127.0.0.1:<port>/ */
  redirectUri: string;
  port: number;
  /** The answer that carried our state; rejects when closed before one came. */
  response: Promise<AuthorizationResponse>;
  close(): void;
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  // A page with no script, no style from elsewhere, nothing to frame or to leak.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  Connection: 'close',
};

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font:16px system-ui,sans-serif;max-width:36em;margin:4em auto"><h1 style="font-size:1.3em">${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export async function openLoopbackListener({ state, appName = 'Inbox Triage' }: { state: string; appName?: string }): Promise<LoopbackListener> {
  let settle: { resolve: (r: AuthorizationResponse) => void; reject: (e: Error) => void } | null = null;
  const response = new Promise<AuthorizationResponse>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be waiting yet; an unobserved rejection must not end the process.
  response.catch(() => undefined);
  let done = false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/') {
      page(res, 404, 'Not found', `This address only takes the answer of a sign-in that ${appName} started.`);
      return;
    }
    const q = url.searchParams;
    if (done || q.get('state') !== state) {
      page(res, 400, 'Not the expected sign-in', `This is not the answer to the sign-in ${appName} is waiting for (its state does not match). Start the sign-in again from ${appName}.`);
      return;
    }
    done = true;
    const answer: AuthorizationResponse = { code: q.get('code'), error: q.get('error'), errorDescription: q.get('error_description'), iss: q.get('iss') };
    if (answer.error) page(res, 200, 'Sign-in not completed', `The provider answered "${answer.error}"${answer.errorDescription ? `: ${answer.errorDescription}` : ''}. You may close this tab and try again in ${appName}.`);
    else page(res, 200, 'Signed in', `${appName} has your answer. You may close this tab now.`);
    // Answer first, then close: the one response this listener is for has been given.
    res.once('finish', () => close());
    settle?.resolve(answer);
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  const close = () => {
    if (server.listening) server.close();
    server.closeAllConnections();
    if (!done) {
      done = true;
      settle?.reject(new Error('closed'));
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Port 0: the OS picks a free port (RFC 8252 §7.3: the server must allow any port).
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}/`, port, response, close };
}
