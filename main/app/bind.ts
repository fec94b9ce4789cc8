// The one service as the apps see it (AppApi): the Electron IPC handlers and the `triage serve`
// HTTP routes both call this object. It adds only what a long-running app needs on top of the
// service: change events (with the new badge numbers, so no client refetches a list to count
// it), and the desktop's start-at-login setting. Every check, guard and setting is the service's.
import type { AppApi, AppSettings, ChangeKind, SyncSummary } from '../core/api.js';
import type { TriageService } from '../core/service.js';
import { syncChanged } from '../core/imap/index.js';
import type { ApiEvents } from './events.js';

export interface BindOptions {
  service: TriageService;
  events: ApiEvents;
  /** Start at login: only the desktop app can; null elsewhere. */
  loginItem?: { get(): boolean; set(on: boolean): void } | null;
}

const ALL: ChangeKind[] = ['accounts', 'unanswered', 'junk', 'queue'];

export function bindApi({ service, events, loginItem = null }: BindOptions): AppApi {
  /** One change event per action, after it: the lists that changed and the new counts. */
  const changed = async (what: ChangeKind[]) => {
    const counts = what.some((w) => w !== 'accounts') ? await service.counts().catch(() => null) : null;
    events.emit({ type: 'changed', what, counts });
  };
  const after =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>, what: ChangeKind[] | ((result: R, ...args: A) => ChangeKind[])) =>
    async (...args: A): Promise<R> => {
      const result = await run(...args);
      const kinds = typeof what === 'function' ? what(result, ...args) : what;
      if (kinds.length) await changed(kinds);
      return result;
    };
  const reported = (results: SyncSummary[]) => {
    for (const s of results) {
      events.emit({ type: 'sync-done', summary: s });
      // One account's wrong password must not hide behind the others' success.
      if (s.error) events.emit({ type: 'notice', level: 'error', message: `${s.account}: ${s.error}` });
      // Texts of bounces the server would not give: the lists may miss a bounce; say so.
      for (const e of s.bodies?.errors ?? []) events.emit({ type: 'notice', level: 'warn', message: `${s.account}: ${e}` });
    }
    return results;
  };
  const withLogin = (s: AppSettings): AppSettings => ({ ...s, startAtLogin: loginItem ? loginItem.get() : null });

  return {
    listAccounts: () => service.listAccounts(),
    addAccount: after((input) => service.addAccount(input), ['accounts']),
    removeAccount: after((name: string) => service.removeAccount(name), ALL),
    testConnection: (input) => service.testConnection(input),
    status: () => service.status(),
    // A sync that changed nothing changes no list: no event, no analysis.
    sync: after(
      async (options?: { account?: string }) => reported(await service.sync(options)),
      (results) => (syncChanged(results) ? ['unanswered', 'junk'] : []),
    ),
    unanswered: (options) => service.unanswered(options),
    dismiss: after((id: string) => service.dismiss(id), ['unanswered']),
    junk: (options) => service.junk(options),
    rescue: after((id: string, options?: { undo?: boolean; force?: boolean }) => service.rescue(id, options), ['junk', 'unanswered']),
    trust: after((target: string, kind: 'trusted' | 'blocked') => service.trust(target, kind), ['junk']),
    resend: after((id: string, options?) => service.resend(id, options), ['queue', 'unanswered']),
    queue: () => service.queue(),
    cancel: after((id: string, options?: { plan?: boolean }) => service.cancel(id, options), ['queue', 'unanswered']),
    updateFollowUp: after((id: string, change) => service.updateFollowUp(id, change), ['queue']),
    sendNow: after((id: string) => service.sendNow(id), ['queue', 'unanswered']),
    sendDue: after(
      (options?: { now?: string; confirm?: string[] }) => service.sendDue(options),
      (results) => (results.length ? ['queue', 'unanswered'] : []),
    ),
    contact: after(
      (address: string, change?) => service.contact(address, change),
      (_r, _a, change) => (change && Object.values(change).some((v) => v !== undefined) ? ['unanswered', 'junk'] : []),
    ),
    loadDemo: after(() => service.loadDemo(), ALL),
    counts: () => service.counts(),
    settings: async () => withLogin(await service.settings()),
    saveSettings: after(async (patch: Partial<AppSettings>) => {
      const { startAtLogin, ...rest } = patch;
      if (startAtLogin !== undefined && startAtLogin !== null) {
        // Only the desktop app has a login item; the service says so for everyone else.
        if (!loginItem) return service.saveSettings(patch);
        loginItem.set(startAtLogin);
      }
      return withLogin(await service.saveSettings(rest));
    }, ['unanswered', 'queue']),
    conversation: (id: string) => service.conversation(id),
  };
}
