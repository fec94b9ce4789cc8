// What every view shares: the api, toasts, the shortcut registry and the account list.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AccountSummary, ApiEvent, ChangeKind, WindowApi } from '../../main/core/api';
import { errorOf } from './bridge';
import { VIEW_KEYS, type ViewId, type ViewKey } from './shortcuts';

export interface Shortcut {
  /** KeyboardEvent.key ("r", "Enter", "ArrowDown"), with "Ctrl+" / "Shift+" prefixes when needed. */
  key: string;
  label: string;
  run(): void;
  /** Shown in the footer (the most used ones); all are in the ? overlay. */
  footer?: boolean;
}

export interface Toast {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  action?: { label: string; run(): void };
}

interface Shared {
  api: WindowApi;
  accounts: AccountSummary[] | null;
  reloadAccounts(): Promise<void>;
  toast(t: Omit<Toast, 'id'>): void;
  /** Runs an action; its error becomes a toast with the service's sentence. */
  attempt<T>(what: () => Promise<T>): Promise<T | undefined>;
  setViewShortcuts(list: Shortcut[]): void;
  viewShortcuts: Shortcut[];
  toasts: Toast[];
  dismissToast(id: number): void;
  /** A view shows this browser sign-in's end itself; until the returned release, its 'sign-in'
   *  event makes no toast (one that nobody watches any more, e.g. after leaving Accounts, does). */
  claimSignIn(flowId: string): () => void;
}

const Ctx = createContext<Shared | null>(null);

export function useShared(): Shared {
  const s = useContext(Ctx);
  if (!s) throw new Error('outside <SharedProvider>');
  return s;
}

export function SharedProvider({ api, children }: { api: WindowApi; children: ReactNode }) {
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [viewShortcuts, setViewShortcuts] = useState<Shortcut[]>([]);
  const nextId = useRef(1);
  const claimedSignIns = useRef(new Set<string>());
  const claimSignIn = useCallback((flowId: string) => {
    claimedSignIns.current.add(flowId);
    return () => void claimedSignIns.current.delete(flowId);
  }, []);

  const dismissToast = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (t: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      // The same words twice at once say nothing new (a notice and the failed click that caused
      // it, e.g. the moment an account must sign in again): one toast.
      setToasts((ts) => (ts.some((x) => x.level === t.level && x.message === t.message) ? ts : [...ts.slice(-3), { ...t, id }]));
      setTimeout(() => dismissToast(id), t.level === 'error' ? 12_000 : t.action ? 10_000 : 6_000);
    },
    [dismissToast],
  );
  const attempt = useCallback(
    async <T,>(what: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await what();
      } catch (e) {
        const err = errorOf(e);
        toast({ level: err.code === 'unavailable' ? 'warn' : 'error', message: err.message });
        return undefined;
      }
    },
    [toast],
  );
  const reloadAccounts = useCallback(async () => {
    try {
      setAccounts(await api.listAccounts());
    } catch (e) {
      toast({ level: 'error', message: errorOf(e).message });
      setAccounts((a) => a ?? []);
    }
  }, [api, toast]);

  useEffect(() => {
    void reloadAccounts();
    return api.onEvent((e: ApiEvent) => {
      if (e.type === 'changed' && e.what.includes('accounts')) void reloadAccounts();
      if (e.type === 'notice') toast({ level: e.level, message: e.message });
      if (e.type === 'sign-in' && !claimedSignIns.current.has(e.flowId)) toast({ level: e.ok ? 'info' : 'error', message: e.message });
    });
  }, [api, reloadAccounts, toast]);

  return (
    <Ctx.Provider value={{ api, accounts, reloadAccounts, toast, attempt, setViewShortcuts, viewShortcuts, toasts, dismissToast, claimSignIn }}>
      {children}
    </Ctx.Provider>
  );
}

export type { ChangeKind };

/**
 * The last data of each list, named by what it listens to and its arguments (two lists with the
 * same ones would share it): a view opened again shows it at once instead of an empty "Loading…",
 * and asks again only when it may have changed since: a change event named it (heard even while
 * the view was closed), or it is older than FRESH_MS (ages and due dates move with the clock).
 * Issue 13: switching views within 100 ms at 100k messages, never a false empty list.
 */
const lastData = new Map<string, { value: unknown; at: number; what: ChangeKind[] }>();
/** Lists asked for before their view was shown (prefetchApiData), by the same key. */
const prefetching = new Map<string, Promise<unknown>>();
const FRESH_MS = 30_000;
const dataKey = (what: ChangeKind[], deps: unknown[]) => `${what.join(',')}|${JSON.stringify(deps)}`;
/** The last data under `key` if younger than FRESH_MS. */
const freshData = (key: string) => {
  const hit = lastData.get(key);
  return hit && Date.now() - hit.at <= FRESH_MS ? hit : undefined;
};

/**
 * Ask for a list before its view is shown, under the key its useApiData will use (the same
 * `what` and `deps`): the first list is asked for while the accounts load, not after (one round
 * trip less before the first rows).
 */
export function prefetchApiData<T>(api: ReturnType<typeof useShared>['api'], load: () => Promise<T>, what: ChangeKind[], deps: unknown[] = []): Promise<unknown> {
  forgetChanged(api);
  const key = dataKey(what, deps);
  const asked = prefetching.get(key);
  if (asked) return asked;
  if (lastData.has(key)) return Promise.resolve();
  const at = Date.now();
  const since = changes;
  const p = load()
    // An answer older than a change event is not kept (the view asks again).
    .then((value) => void (changes === since && lastData.set(key, { value, at, what })))
    .catch(() => undefined)
    .finally(() => prefetching.delete(key));
  prefetching.set(key, p);
  return p;
}
const watchedApis = new WeakSet<object>();
/** Change events heard so far. */
let changes = 0;

function forgetChanged(api: ReturnType<typeof useShared>['api']): void {
  if (watchedApis.has(api)) return;
  watchedApis.add(api);
  api.onEvent((e) => {
    if (e.type !== 'changed') return;
    changes++;
    for (const [k, v] of lastData) if (e.what.some((w) => v.what.includes(w))) lastData.delete(k);
  });
}

/** Data from the api that reloads when the service says `what` changed. */
export function useApiData<T>(load: () => Promise<T>, what: ChangeKind[], deps: unknown[] = []) {
  const { api } = useShared();
  forgetChanged(api);
  const key = dataKey(what, deps);
  const [data, setData] = useState<T | null>(() => (lastData.get(key)?.value as T | undefined) ?? null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const reload = useCallback(async () => {
    try {
      const value = await loadRef.current();
      lastData.set(keyRef.current, { value, at: Date.now(), what });
      setData(value);
      setError(null);
    } catch (e) {
      setError(errorOf(e).message);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const hit = lastData.get(key);
    setData((hit?.value as T | undefined) ?? null);
    const pending = prefetching.get(key);
    if (!hit && pending) {
      // Asked for already: take that answer (or ask again if it failed).
      void pending.then(() => {
        const got = lastData.get(key);
        if (got && keyRef.current === key) setData(got.value as T);
        else void reload();
      });
    } else if (!freshData(key)) void reload();
    return api.onEvent((e) => {
      if (e.type === 'changed' && e.what.some((w) => what.includes(w))) void reload();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, reload, ...deps]);
  return { data, error, reload };
}

/**
 * A first part of a list (its first rows and counts) while `wanted`, i.e. while the whole list has
 * not come: taken from prefetchApiData when it asked already, from lastData while fresh, else
 * asked for; asked again on a change event. Null when not wanted (issue 13: the first rows of
 * 100k messages' list on screen before the whole list's megabytes have come).
 */
export function useApiHead<T>(wanted: boolean, load: () => Promise<T>, what: ChangeKind[], deps: unknown[] = []): T | null {
  const { api } = useShared();
  forgetChanged(api);
  const key = dataKey(what, deps);
  // Already here (prefetched): drawn by the first render, not one effect later.
  const [head, setHead] = useState<{ key: string; value: T } | null>(() => {
    const hit = freshData(key);
    return wanted && hit ? { key, value: hit.value as T } : null;
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const take = () => {
      const got = lastData.get(key);
      if (live && got) setHead({ key, value: got.value as T });
    };
    const ask = () =>
      loadRef.current().then(
        (value) => {
          lastData.set(key, { value, at: Date.now(), what });
          take();
        },
        () => undefined, // the whole list's error is the one shown
      );
    const pending = prefetching.get(key);
    if (freshData(key)) take();
    else if (pending) void pending.then(() => (lastData.has(key) ? take() : ask()));
    else void ask();
    const off = api.onEvent((e) => {
      if (e.type === 'changed' && e.what.some((w) => what.includes(w))) void ask();
    });
    return () => {
      live = false;
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, wanted, key]);
  return wanted && head?.key === key ? head.value : null;
}

/** Binds a function to each key of the view's list in shortcuts.ts (the one list "?" shows). */
export function useViewKeys<V extends ViewId>(view: V, run: Record<ViewKey<V>, () => void>): void {
  useViewShortcuts((VIEW_KEYS[view] as readonly { key: ViewKey<V>; label: string; footer?: boolean }[]).map((s) => ({ ...s, run: () => run[s.key]() })));
}

/** The current time, again every `ms` (countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Registers the current view's shortcuts (shown in the footer and the ? overlay). */
export function useViewShortcuts(list: Shortcut[]): void {
  const { setViewShortcuts } = useShared();
  const ref = useRef(list);
  ref.current = list;
  const signature = list.map((s) => `${s.key}:${s.label}`).join('|');
  useEffect(() => {
    // Wrap so the latest closures run without re-registering on every render.
    setViewShortcuts(ref.current.map((s, i) => ({ ...s, run: () => ref.current[i]?.run() })));
    return () => setViewShortcuts([]);
  }, [signature, setViewShortcuts]);
}
