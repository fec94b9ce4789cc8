// Background work while the app runs (window open or not): sync on start and every few minutes
// (polling: IMAP IDLE can silently stop reporting new mail, see ARCHITECTURE "Known pitfalls"),
// and the follow-up sender every minute. Nothing runs while the machine is off or asleep: after a
// resume `catchUp()` sends what came due, at the next valid window (send-due decides).
import type { AppApi, JunkEntry, QueueEntry, SendDueResult } from '../core/api.js';
import { syncChanged } from '../core/imap/index.js';
import { toApiError } from '../core/errors.js';
import type { ApiEvents } from './events.js';

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
}

export interface Background {
  /** Sync and send now (after a resume from sleep, or when asked). */
  catchUp(): Promise<void>;
  stop(): void;
}

export function startBackground({ api, events, onSent, onFailed, onRescue, sendEveryMs = 60_000 }: BackgroundOptions): Background {
  let stopped = false;
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let sending = false;
  const seenJunk = new Set<string>();
  let firstJunkLook = true;

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

  const send = async () => {
    if (sending) return;
    sending = true;
    try {
      for (const q of await api.sendDue()) {
        if (q.action === 'sent') onSent?.(q);
        else if (q.action === 'failed') failed(q);
      }
    } catch (e) {
      warn('Sending follow-ups', e);
    } finally {
      sending = false;
    }
  };

  const scheduleSync = async () => {
    if (stopped) return;
    const minutes = (await api.settings().catch(() => null))?.syncMinutes ?? 10;
    syncTimer = setTimeout(async () => {
      await sync();
      void scheduleSync();
    }, minutes * 60_000);
    syncTimer.unref?.();
  };

  void (async () => {
    await lookAtJunk().catch(() => undefined);
    await sync();
    await send();
    void scheduleSync();
  })();
  const sendTimer = setInterval(() => void send(), sendEveryMs);
  sendTimer.unref?.();

  return {
    async catchUp() {
      await sync();
      await send();
    },
    stop() {
      stopped = true;
      if (syncTimer) clearTimeout(syncTimer);
      clearInterval(sendTimer);
    },
  };
}
