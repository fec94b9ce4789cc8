// `triage serve`: the built renderer and the AppApi over HTTP on 127.0.0.1, for machines without
// the Electron binary (and for the e2e tests).
//
// Who may talk to it: only pages this process served. Any web page in the user's browser can send
// requests to 127.0.0.1, so three checks come before anything else:
// - Host must be 127.0.0.1:PORT or localhost:PORT (DNS rebinding: evil.example resolving to
//   127.0.0.1 still sends "Host: evil.example") → 403;
// - Origin, when the browser sends one, must be this server's own origin (a cross-site fetch or
//   form post carries the attacker's Origin) → 403;
// - /api/* needs the random per-run token from the printed URL, in the X-Triage-Token header
//   (SSE: ?token=, as EventSource cannot set headers) → 401.
// POST bodies must be application/json, which a cross-site <form> cannot send.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AppApi } from '../core/api.js';
import { CONTENT_SECURITY_POLICY, invoke, type ApiEvents } from '../app/index.js';

export const TOKEN_HEADER = 'x-triage-token';
const MAX_BODY = 1 << 20;

export interface ServeOptions {
  api: AppApi;
  events: ApiEvents;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** 0: any free port. */
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const STATUS_OF: Record<string, number> = { 'bad-input': 400, 'not-found': 404, 'needs-force': 409, locked: 409, unavailable: 503, internal: 500 };

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The token is in the page's URL: never send it anywhere as a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405 | 413 | 415 | 400, message: string): void {
  send(res, status, { error: { code: status === 401 ? 'auth-failed' : 'bad-input', message } });
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Answer 413 first (the caller closes the connection after it), then stop reading.
        req.removeAllListeners('data');
        req.resume();
        done(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export async function startServer({ api, events, staticDir, port = 0, token = randomBytes(24).toString('base64url') }: ServeOptions): Promise<RunningServer> {
  const root = resolve(staticDir);
  let actualPort = port;
  const clients = new Set<ServerResponse>();

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    const allowedHosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);
    const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
    if (!allowedHosts.has(String(req.headers.host ?? '').toLowerCase())) return refuse(res, 403, 'This server answers only on 127.0.0.1 and localhost.');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) return refuse(res, 403, 'Requests from other sites are refused.');
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(res, 403, 'Requests from other sites are refused.');

    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith('/api/')) {
      const given = req.headers[TOKEN_HEADER];
      const headerToken = Array.isArray(given) ? given[0] : given;
      const isEvents = url.pathname === '/api/events' && req.method === 'GET';
      if (!sameToken(headerToken ?? (isEvents ? url.searchParams.get('token') : null), token)) {
        return refuse(res, 401, 'Open the address with the token that "triage serve" printed.');
      }
      if (isEvents) return openEvents(res);
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST for API calls.');
      if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) return refuse(res, 415, 'API calls take application/json.');
      const body = await readBody(req);
      if (body === null) {
        res.setHeader('Connection', 'close');
        return refuse(res, 413, 'The request is too large.');
      }
      let args: unknown;
      try {
        args = body.trim() ? JSON.parse(body) : [];
      } catch {
        return refuse(res, 400, 'The request body is not JSON.');
      }
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        return refuse(res, 400, 'The method name is not valid.');
      }
      const out = await invoke(api, method, args);
      return 'error' in out ? send(res, STATUS_OF[out.error.code] ?? 502, out) : send(res, 200, out.result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET here.');
    return serveFile(url.pathname, req, res);
  };

  const openEvents = (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    clients.add(res);
    const off = events.on((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const beat = setInterval(() => res.write(': ping\n\n'), 25_000);
    res.on('close', () => {
      off();
      clearInterval(beat);
      clients.delete(res);
    });
  };

  const serveFile = async (pathname: string, req: IncomingMessage, res: ServerResponse) => {
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    } catch {
      return refuse(res, 400, 'Bad path.');
    }
    let file = resolve(root, rel || 'index.html');
    if (file !== root && !file.startsWith(root + sep)) return refuse(res, 404, 'Not found.');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info && !extname(file)) {
      file = join(root, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return refuse(res, 404, 'Not found.');
    const data = await readFile(file);
    const isHtml = extname(file) === '.html';
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Cache-Control': isHtml ? 'no-store' : 'max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  const server: Server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'The server failed to answer.' } });
      else res.end();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  actualPort = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const c of clients) c.end();
        server.close(() => done());
        server.closeAllConnections?.();
      }),
  };
}
