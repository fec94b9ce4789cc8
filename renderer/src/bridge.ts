// Where window.api comes from. In Electron the preload has put it there; in a browser opened by
// `triage serve` it is made here over HTTP: POST /api/<method> with the token as a header, and
// change events over SSE. Both are the same WindowApi, so the views never know which.
import { API_METHODS, type ApiErrorShape, type ApiEvent, type WindowApi } from '../../main/core/api';

const TOKEN_KEY = 'triage-token';

/** An error as the views see it: always a code and a sentence. */
export function errorOf(e: unknown): ApiErrorShape {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const { code, message } = e as ApiErrorShape;
    return { code, message: String(message) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** The token from the printed URL, kept for this tab only and taken out of the address bar. */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function httpApi(token: string): WindowApi {
  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Triage-Token': token },
        body: JSON.stringify(args),
      });
    } catch {
      throw { code: 'unreachable', message: 'The app server does not answer. Is "triage serve" still running?' } satisfies ApiErrorShape;
    }
    const body = (await res.json().catch(() => null)) as { error?: ApiErrorShape } | null;
    if (!res.ok) throw body?.error ?? ({ code: 'internal', message: `The app server answered ${res.status}.` } satisfies ApiErrorShape);
    return body;
  };
  const listeners = new Set<(e: ApiEvent) => void>();
  let source: EventSource | null = null;
  const api: Record<string, unknown> = {};
  for (const m of API_METHODS) {
    api[m] = (...args: unknown[]) => {
      while (args.length && args[args.length - 1] === undefined) args.pop();
      return call(m, args);
    };
  }
  api.onEvent = (listener: (e: ApiEvent) => void) => {
    listeners.add(listener);
    if (!source) {
      source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (msg) => {
        let event: ApiEvent;
        try {
          event = JSON.parse(msg.data) as ApiEvent;
        } catch {
          return;
        }
        for (const l of listeners) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (!listeners.size && source) {
        source.close();
        source = null;
      }
    };
  };
  return api as unknown as WindowApi;
}

/** window.api, installed over HTTP when no preload put it there; null without a token. */
export function installApi(): WindowApi | null {
  if (window.api) return window.api;
  const token = takeToken();
  if (!token) return null;
  window.api = httpApi(token);
  return window.api;
}
