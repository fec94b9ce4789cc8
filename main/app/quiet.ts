// Work a long-running app does for later (loading the language detector's data: ~1.5 s of one
// core, the event loop blocked throughout) must not land on the user's first requests. At a fixed
// 3 s after start it did: on a loaded 2-core machine the page asks for its first list 3-5 s after
// `triage serve` starts, and the first rows waited ~2 s for it (issue 13, measured with
// --cpu-prof). So it waits until the api has been quiet: no call in flight and none for `quietMs`.
// The background's first round (a sync, the live connections) waits for the page's first list
// (afterFirstAnswer), which it would otherwise share the CPU with.
import type { ApiMethod, AppApi } from '../core/api.js';

export interface QuietOptions {
  /** Not before this long after start. */
  afterMs?: number;
  /** No call in flight, and none ended or began for this long. */
  quietMs?: number;
  /** Run by then whatever the calls (an app polled without pause). */
  latestMs?: number;
}

export interface QuietTask {
  /** Counts a call as activity from now until it settles. */
  track<T>(call: Promise<T>): Promise<T>;
  /** Never runs the task (the app stops). */
  cancel(): void;
}

export function whenQuiet(task: () => void, { afterMs = 3000, quietMs = 2000, latestMs = 60_000 }: QuietOptions = {}): QuietTask {
  const started = Date.now();
  let inFlight = 0;
  let lastActivity = started;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const check = () => {
    if (done) return;
    const now = Date.now();
    const quietFor = inFlight ? 0 : now - lastActivity;
    if (now - started >= latestMs || (now - started >= afterMs && quietFor >= quietMs)) {
      done = true;
      task();
      return;
    }
    const wait = Math.max(afterMs - (now - started), quietMs - quietFor, 50);
    timer = setTimeout(check, Math.min(wait, Math.max(latestMs - (now - started), 0)));
    timer.unref?.();
  };
  check();
  return {
    track(call) {
      inFlight++;
      lastActivity = Date.now();
      const settle = () => {
        inFlight--;
        lastActivity = Date.now();
      };
      call.then(settle, settle);
      return call;
    },
    cancel() {
      done = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Settles once one of `methods` of `api` has first answered (or failed), or after `latestMs`
 * (no page was opened). Wraps those methods of `api` in place.
 */
export function afterFirstAnswer(api: AppApi, methods: readonly ApiMethod[], latestMs: number): Promise<void> {
  return new Promise<void>((settle) => {
    const timer = setTimeout(settle, latestMs);
    timer.unref?.();
    const done = () => {
      clearTimeout(timer);
      settle();
    };
    aroundCalls(api, methods, (call) => {
      call.then(done, done);
      return call;
    });
  });
}

/** Replaces `methods` of `api` in place: each call's promise goes through `around`. */
export function aroundCalls(api: AppApi, methods: readonly ApiMethod[], around: (call: Promise<unknown>) => Promise<unknown>): void {
  for (const name of methods) {
    const f = api[name] as (...args: unknown[]) => Promise<unknown>;
    (api as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => around(f(...args));
  }
}
