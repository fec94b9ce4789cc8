// Background work while the app runs (window open or not): sync on start and every few minutes
// (polling: IMAP IDLE can silently stop reporting new mail, see ARCHITECTURE "Known pitfalls"),
// live updates between polls (core/live: a push runs that account's sync and the sender at once),
// the follow-up sender every minute, and desktop notifications of what changed (notifications.ts). Nothing runs while the machine is off or asleep: after a
// resume `catchUp()` sends what came due, at the next valid window (send-due decides).
import type { AppApi, JunkEntry, QueueEntry, SendDueResult } from '../core/api.js';
import { syncChanged } from '../core/imap/index.js';
import { toApiError } from '../core/errors.js';
import type { ApiEvents } from './events.js';
import { notificationsFor, type AppNotification, type NotifySnapshot } from './notifications.js';

/** Live updates as the background uses them (core/live via TriageService.watchMail). */
export interface LiveHandle {
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  api: AppApi;
  events: ApiEvents;
  /** A follow-up went out. */
  onSent?: (entry: QueueEntry) => void;
  /** A follow-up the server refused for good: it is not tried again until the user acts. */
  onFailed?: (entry: SendDueResult) => void;
  /** A known contact's mail was found in Junk (each message once per run). */
  onRescue?: (entry: JunkEntry) => void;
  /** How often the sender looks for due follow-ups. */
  sendEveryMs?: number;
  /** Starts live updates (IDLE/NOTIFY); `onNews(account)` syncs that account, then runs the
   *  sender (a reply cancels its conversation's follow-ups) and tells what changed. */
  live?: (onNews: (account: string) => Promise<void>) => LiveHandle;
  /** Shows a desktop notification (notifications.ts decides which, grouped; the setting can
   *  turn them off). */
  notify?: (n: AppNotification) => void;
  /** The first round (Junk, a sync, the sender) and the live connections wait for it: `triage
   *  serve` passes the page's first list, which they would slow down (issue 13). */
  startAfter?: Promise<unknown>;
}

export interface Background {
  /** Sync and send now (after a resume from sleep, or when asked). */
  catchUp(): Promise<void>;
  /** Stops the timers and closes the live connections. */
  stop(): Promise<void>;
}

export function startBackground({ api, events, onSent, onFailed, onRescue, sendEveryMs = 60_000, live, notify, startAfter = Promise.resolve() }: BackgroundOptions): Background {
  let stopped = false;
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let sendRun: Promise<void> | null = null;
  let sendAgain = false;
  const seenJunk = new Set<string>();
  let firstJunkLook = true;
  let lastLook: NotifySnapshot | null = null;
  let looking: Promise<void> = Promise.resolve();

  const warn = (what: string, e: unknown) => {
    const err = toApiError(e);
    // "Sign in again" was told once when it began (bind.ts signInRequiredEvents), not every round.
    if (err.code !== 'sign-in-required') events.emit({ type: 'notice', level: 'warn', message: `${what}: ${err.message}` });
  };

  // A send the server refused for good is said once, as an error (send-due does not try it again);
  // a temporary failure once, at its first failure (it is tried again after 1, 2, 4 … minutes).
  const failed = (q: SendDueResult) => {
    const what = `Follow-up to ${q.to.join(', ')} ("${q.subject}") not sent`;
    if (q.permanentFailure) {
      events.emit({ type: 'notice', level: 'error', message: `${what}: ${q.actionText}` });
      onFailed?.(q);
    } else if (q.failures === 1) events.emit({ type: 'notice', level: 'warn', message: `${what} yet: ${q.actionText}` });
  };

  const lookAtJunk = async () => {
    const entries = await api.junk();
    for (const j of entries) {
      if (j.verdict !== 'rescue' || seenJunk.has(j.id)) continue;
      seenJunk.add(j.id);
      // What was there before this run started is not news.
      if (!firstJunkLook) onRescue?.(j);
    }
    firstJunkLook = false;
  };

  const sync = async () => {
    const accounts = await api.listAccounts();
    if (!accounts.some((a) => !a.demo)) return;
    try {
      // Junk is looked at again only when the sync changed the store (else nothing is new there).
      if (syncChanged(await api.sync())) await lookAtJunk().catch(() => undefined);
    } catch (e) {
      warn('Sync', e);
    }
  };

  const sendOnce = async () => {
    try {
      for (const q of await api.sendDue()) {
        if (q.action === 'sent') onSent?.(q);
        else if (q.action === 'failed') failed(q);
      }
    } catch (e) {
      warn('Sending follow-ups', e);
    }
  };
  /** One sender run at a time; asked while one runs, it runs once more after it (a reply that a
   *  live sync just brought must not wait for the next minute), and the caller waits for that. */
  const send = (): Promise<void> => {
    if (sendRun) {
      sendAgain = true;
      return sendRun;
    }
    sendRun = (async () => {
      do {
        sendAgain = false;
        await sendOnce();
      } while (sendAgain && !stopped);
    })().finally(() => (sendRun = null));
    return sendRun;
  };

  /** A look at the queue and Junk; what changed since the last look becomes notifications. */
  const look = (): Promise<void> => {
    if (!notify) return Promise.resolve();
    looking = looking
      .then(async () => {
        const [queue, junk, settings, accounts] = await Promise.all([api.queue(), api.junk(), api.settings(), api.listAccounts()]);
        const after: NotifySnapshot = { queue, junk };
        const demoAccounts = new Set(accounts.filter((a) => a.demo).map((a) => a.name));
        for (const n of notificationsFor({ before: lastLook, after, enabled: settings.notifications !== false, demoAccounts })) notify(n);
        lastLook = after;
      })
      .catch(() => undefined);
    return looking;
  };

  /** Live news for an account: its sync (the poll's own path), the sender, a look. Errors are the
   *  poll's to report (once), not every push's. */
  const onNews = async (account: string) => {
    if (stopped) return;
    await api.sync({ account }).catch(() => undefined);
    await send();
    await look();
  };

  const scheduleSync = async () => {
    if (stopped) return;
    const minutes = (await api.settings().catch(() => null))?.syncMinutes ?? 10;
    syncTimer = setTimeout(async () => {
      await sync();
      await look();
      void scheduleSync();
    }, minutes * 60_000);
    syncTimer.unref?.();
  };

  const started = startAfter.then(
    () => undefined,
    () => undefined,
  );
  void (async () => {
    await started;
    if (stopped) return;
    await lookAtJunk().catch(() => undefined);
    await look();
    await sync();
    await send();
    await look();
    void scheduleSync();
  })();
  const sendTimer = setInterval(() => void send().then(look), sendEveryMs);
  sendTimer.unref?.();
  let liveHandle: LiveHandle | null = null;
  void started.then(() => {
    if (!stopped) liveHandle = live?.(onNews) ?? null;
  });
  // A new account, a changed or removed one: watch what there is now.
  const offEvents = events.on((e) => {
    if (e.type === 'changed' && e.what.includes('accounts')) void liveHandle?.refresh();
  });

  return {
    async catchUp() {
      await sync();
      await send();
      await look();
    },
    async stop() {
      stopped = true;
      offEvents();
      if (syncTimer) clearTimeout(syncTimer);
      clearInterval(sendTimer);
      await liveHandle?.stop();
    },
  };
}
