// The one service as the apps see it (AppApi): the Electron IPC handlers and the `triage serve`
// HTTP routes both call this object. It adds only what a long-running app needs on top of the
// service: change events (with the new badge numbers, so no client refetches a list to count
// it), and the desktop's start-at-login setting. Every check, guard and setting is the service's.
import { API_METHODS, type AppApi, type AppSettings, type ChangeKind, type SignInRequest, type SyncSummary } from '../core/api.js';
import type { TriageService } from '../core/service.js';
import type { OpenBrowser } from '../core/accounts/index.js';
import { toApiError } from '../core/errors.js';
import { syncChanged } from '../core/imap/index.js';
import { preloadLanguageDetector } from '../core/mail/index.js';
import type { ApiEvents } from './events.js';
import { aroundCalls, whenQuiet } from './quiet.js';

export interface BindOptions {
  service: TriageService;
  events: ApiEvents;
  /** Start at login: only the desktop app can; null elsewhere. */
  loginItem?: { get(): boolean; set(on: boolean): void } | null;
  /** Opens a provider's authorization URL in the system browser (the desktop app's main
   *  process, after its check); absent, `startSignIn` returns the URL for the page to open. */
  openBrowser?: OpenBrowser | null;
}

/** What ServiceDeps.onSignInRequired should be in an app: the event (once), a notice, and the
 *  Accounts list changed. */
export function signInRequiredEvents(events: ApiEvents): (account: string, message: string) => void {
  return (account, message) => {
    events.emit({ type: 'sign-in-required', account, message });
    events.emit({ type: 'notice', level: 'error', message });
    events.emit({ type: 'changed', what: ['accounts'], counts: null });
  };
}

const ALL: ChangeKind[] = ['accounts', 'unanswered', 'junk', 'queue'];

export function bindApi({ service, events, loginItem = null, openBrowser = null }: BindOptions): AppApi {
  // The language detector's data takes ~1.5 s to load: a long-running app loads it soon after
  // start, so the first Resend preview does not wait for it (the CLI loads it only when needed);
  // not while the page's first requests wait (quiet.ts).
  const preload = whenQuiet(preloadLanguageDetector);
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
      // One account's wrong password must not hide behind the others' success. An account that
      // must sign in again was told once, when that began (signInRequiredEvents).
      if (s.error && !s.signInRequired) events.emit({ type: 'notice', level: 'error', message: `${s.account}: ${s.error}` });
      // Texts of bounces the server would not give: the lists may miss a bounce; say so.
      for (const e of s.bodies?.errors ?? []) events.emit({ type: 'notice', level: 'warn', message: `${s.account}: ${e}` });
    }
    return results;
  };
  const withLogin = (s: AppSettings): AppSettings => ({ ...s, startAtLogin: loginItem ? loginItem.get() : null });

  /** A sign-in runs on after startSignIn returns: its end is an event (and an Accounts change). */
  const startSignIn = async (request: SignInRequest) => {
    const start = await service.startSignIn(request, openBrowser ? { open: openBrowser } : {});
    service.finishSignIn(start.flowId).then(
      async (r) => {
        events.emit({ type: 'sign-in', flowId: start.flowId, ok: true, account: r.account.name, message: r.outcome === 'added' ? `Added ${r.account.name}.` : `${r.account.name} is signed in again.` });
        await changed(['accounts']);
      },
      (e) => events.emit({ type: 'sign-in', flowId: start.flowId, ok: false, account: 'signInAgain' in request ? request.signInAgain : request.account.name, message: toApiError(e).message }),
    );
    return start;
  };

  const api: AppApi = {
    listAccounts: (options?: { check?: boolean }) => service.listAccounts(options),
    addAccount: after((input) => service.addAccount(input), ['accounts']),
    removeAccount: after((name: string) => service.removeAccount(name), ALL),
    testConnection: (input, options) => service.testConnection(input, options),
    updateAccount: after((name: string, input) => service.updateAccount(name, input), ['accounts', 'unanswered', 'junk']),
    status: () => service.status(),
    // A sync that changed nothing changes no list: no event, no analysis.
    sync: after(
      async (options?: { account?: string }) => reported(await service.sync(options)),
      (results) => (syncChanged(results) ? ['unanswered', 'junk'] : []),
    ),
    unanswered: (options) => service.unanswered(options),
    unansweredHead: (options) => service.unansweredHead(options),
    dismiss: after((id: string) => service.dismiss(id), ['unanswered']),
    undismiss: after((id: string) => service.undismiss(id), ['unanswered']),
    junk: (options) => service.junk(options),
    rescue: after((id: string, options?: { undo?: boolean; force?: boolean }) => service.rescue(id, options), ['junk', 'unanswered']),
    trust: after((target: string, kind: 'trusted' | 'blocked') => service.trust(target, kind), ['junk']),
    untrust: after((target: string) => service.untrust(target), ['junk']),
    resend: after((id: string, options?) => service.resend(id, options), ['queue', 'unanswered']),
    previewFollowUp: (id: string, options?) => service.previewFollowUp(id, options),
    queue: () => service.queue(),
    restoreFollowUp: after((id: string, options?: { hold?: number | boolean }) => service.restoreFollowUp(id, options), ['queue', 'unanswered']),
    cancel: after((id: string, options?: { plan?: boolean }) => service.cancel(id, options), ['queue', 'unanswered']),
    updateFollowUp: after((id: string, change) => service.updateFollowUp(id, change), ['queue', 'unanswered']),
    sendNow: after((id: string) => service.sendNow(id), ['queue', 'unanswered']),
    sendNowCheck: (id: string) => service.sendNowCheck(id),
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
    providerPresets: () => service.providerPresets(),
    oauthProviders: () => service.oauthProviders(),
    checkServer: (server) => service.checkServer(server),
    startSignIn,
    finishSignIn: (flowId: string) => service.finishSignIn(flowId),
    cancelSignIn: (flowId: string) => service.cancelSignIn(flowId),
    rhythmPicture: (address: string, options?: { followUpId?: string; now?: string }) => service.rhythmPicture(address, options),
    outgoingMail: (id: string) => service.outgoingMail(id),
  };
  // Every call is activity the preload waits out.
  aroundCalls(api, API_METHODS, (call) => preload.track(call));
  return api;
}
