// The one service, as the apps see it (AppApi): the Electron IPC handlers and the `triage serve`
// HTTP routes both call this object, so both clients get the same checks, demo guards and change
// events. It adds nothing to the service's logic: every action is the service's own.
import type {
  AccountSummary,
  ContactInfo,
  ApiMethod,
  AppApi,
  AppSettings,
  JunkEntry,
  NewAccountInput,
  QueueEntry,
  ResendOptions,
  SyncSummary,
  UnansweredEntry,
} from '../core/api.js';
import { API_METHODS } from '../core/api.js';
import type { TriageService } from '../core/service.js';
import { TriageError, toApiError } from '../core/errors.js';
import { DEMO_HOST, demoUnavailable, isDemoAccount, loadDemo } from '../core/demo/sample-mailbox.js';
import { findUnanswered } from '../core/triage/unanswered.js';
import { junkVerdicts } from '../core/triage/junk.js';
import { inferTimeZone } from '../core/calendar/timezone.js';
import { ApiEvents } from './events.js';
import { readSettings, writeSettings } from '../core/settings/app-settings.js';
import { conversationOf, findMessage } from '../core/triage/conversation.js';
import { isApiMethod, validateArgs } from './validate.js';

export interface BindOptions {
  service: TriageService;
  events: ApiEvents;
  /** Start at login: only the desktop app can; null elsewhere. */
  loginItem?: { get(): boolean; set(on: boolean): void } | null;
  /** The bundled sample mailbox (the packaged app has it outside the checkout). */
  demoMbox?: string;
}

type Fn = (...args: unknown[]) => Promise<unknown>;

/** A service method if this build has it (colleagues add them feature by feature). */
function method(service: TriageService, name: string): Fn | null {
  const f = (service as unknown as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as Fn).bind(service) : null;
}

function notYet(name: string): TriageError {
  return new TriageError('unavailable', `"${name}" is not available in this version of the app yet.`);
}

export function bindApi({ service, events, loginItem = null, demoMbox }: BindOptions): AppApi {
  const store = service.store;
  const changed = (...what: ('accounts' | 'unanswered' | 'junk' | 'queue')[]) => {
    for (const w of what) events.emit({ type: 'changed', what: w });
  };
  const call = async <T>(name: string, ...args: unknown[]): Promise<T> => {
    const f = method(service, name);
    if (!f) throw notYet(name);
    return (await f(...args)) as T;
  };
  const settings = async (): Promise<AppSettings> => ({ ...(await readSettings(store)), startAtLogin: loginItem ? loginItem.get() : null });
  const demoGuard = async (id: string, action: string) => {
    const found = await findMessage(store, id);
    if (found && isDemoAccount(found.account)) throw demoUnavailable(action);
  };

  let syncing: Promise<SyncSummary[]> | null = null;
  const syncAll = async (account?: string): Promise<SyncSummary[]> => {
    const accounts = await store.listAccounts();
    if (account) {
      const a = accounts.find((x) => x.name === account);
      if (a && isDemoAccount(a)) throw demoUnavailable('Sync');
      return service.sync({ account });
    }
    const real = accounts.filter((a) => !isDemoAccount(a));
    if (!real.length && accounts.length) return [];
    if (!real.length) return service.sync({});
    const out: SyncSummary[] = [];
    let firstError: unknown = null;
    for (const a of real) {
      try {
        out.push(...(await service.sync({ account: a.name })));
      } catch (e) {
        // One account's wrong password must not stop the others from syncing.
        firstError ??= e;
        events.emit({ type: 'notice', level: 'error', message: `${a.name}: ${toApiError(e).message}` });
      }
    }
    if (!out.length && firstError) throw firstError;
    return out;
  };

  const api: AppApi = {
    async listAccounts() {
      const list = await service.listAccounts();
      return list.map((a) => (isDemoAccount(a) ? { ...a, demo: true } : a));
    },
    async addAccount(input: NewAccountInput) {
      if (input.imap.host === DEMO_HOST) throw new TriageError('bad-input', `"${DEMO_HOST}" is reserved for the sample mail.`);
      const a = await service.addAccount(input);
      changed('accounts');
      return a;
    },
    async removeAccount(name: string) {
      await service.removeAccount(name);
      changed('accounts', 'unanswered', 'junk', 'queue');
    },
    async testConnection(input: NewAccountInput) {
      if (input.imap.host === DEMO_HOST) throw demoUnavailable('A connection test');
      return service.testConnection(input);
    },
    status: () => service.status(),
    async sync(options = {}) {
      if (!options.account) {
        // One sync at a time: the timer and the user's click share the running one.
        syncing ??= syncAll().finally(() => (syncing = null));
        const results = await syncing;
        for (const s of results) events.emit({ type: 'sync-done', summary: s });
        changed('unanswered', 'junk', 'queue');
        return results;
      }
      const results = await syncAll(options.account);
      for (const s of results) events.emit({ type: 'sync-done', summary: s });
      changed('unanswered', 'junk', 'queue');
      return results;
    },
    async unanswered(options = {}) {
      const opts = { ...options, minAgeHours: options.minAgeHours ?? (await readSettings(store)).minAgeHours };
      const f = method(service, 'unanswered');
      if (f) return (await f(opts)) as UnansweredEntry[];
      // Before the service had the method: the same pure analysis over the store.
      return findUnanswered({ mailboxes: await service.mailboxes(), now: opts.now ? new Date(opts.now) : service.now(), minAgeHours: opts.minAgeHours });
    },
    async dismiss(id: string) {
      await call('dismiss', id);
      changed('unanswered');
    },
    async junk() {
      const f = method(service, 'junk');
      if (f) return (await f()) as JunkEntry[];
      return junkVerdicts({ mailboxes: await service.mailboxes(), now: service.now() });
    },
    async rescue(id: string, options = {}) {
      await demoGuard(id, '"Not junk"');
      const r = await call<{ id: string; folder: string }>('rescue', id, options);
      changed('junk', 'unanswered');
      return r;
    },
    async trust(target: string, kind) {
      await call('trust', target, kind);
      changed('junk');
    },
    async resend(id: string, options: ResendOptions = {}) {
      await demoGuard(id, 'Sending a follow-up');
      const r = await call<QueueEntry[]>('resend', id, options);
      changed('queue', 'unanswered');
      return r;
    },
    async queue() {
      const f = method(service, 'queue');
      return f ? ((await f()) as QueueEntry[]) : [];
    },
    async cancel(id: string, options) {
      const r = await call<QueueEntry>('cancel', id, ...(options ? [options] : []));
      changed('queue', 'unanswered');
      return r;
    },
    async sendDue(options = {}) {
      const r = await call<QueueEntry[]>('sendDue', options);
      if (r.length) changed('queue', 'unanswered');
      return r;
    },
    async contact(address, overrides) {
      if (method(service, 'contact')) return call<ContactInfo>('contact', address, ...(overrides ? [overrides] : []));
      if (overrides && Object.keys(overrides).length) throw notYet('contact (setting a contact’s zone or hours)');
      // Before the service had the method: the same pure inference over the person's own mail.
      const key = address.trim().toLowerCase();
      const mailboxes = await service.mailboxes();
      const dateHeaders: string[] = [];
      let name = '';
      let home = mailboxes[0]?.account;
      for (const mb of mailboxes) {
        for (const r of mb.messages) {
          const from = r.from.find((a) => a.address === key);
          if (!from) continue;
          home = mb.account;
          name ||= from.name;
          if (r.dateHeader) dateHeaders.push(r.dateHeader);
        }
      }
      const z = inferTimeZone({ address: key, dateHeaders, accountTimeZone: home?.timeZone ?? 'UTC', accountCountry: home?.country ?? null });
      return { address: key, name, timeZone: z.timeZone, timeZoneSource: z.source, country: z.country, overrides: {} };
    },
    async loadDemo() {
      const a = demoMbox ? await loadDemo({ store, now: service.now(), mboxPath: demoMbox }) : await call<AccountSummary>('loadDemo');
      changed('accounts', 'unanswered', 'junk', 'queue');
      return a;
    },
    settings,
    async saveSettings(patch) {
      const hours = patch.businessHours;
      if (hours && hours.start >= hours.end) throw new TriageError('bad-input', `Business hours must start before they end (${hours.start}–${hours.end}).`);
      if (patch.startAtLogin !== undefined && patch.startAtLogin !== null) {
        if (!loginItem) throw new TriageError('unavailable', 'Starting at login is a setting of the desktop app.');
        loginItem.set(patch.startAtLogin);
      }
      await writeSettings(store, patch);
      changed('unanswered', 'queue');
      return settings();
    },
    conversation: (id: string) => conversationOf({ store, secrets: service.deps.secrets, id }),
    async updateFollowUp(id: string, change) {
      const r = await call<QueueEntry>('updateFollowUp', id, change);
      changed('queue');
      return r;
    },
    async sendNow(id: string) {
      const r = await call<QueueEntry>('sendNow', id);
      changed('queue', 'unanswered');
      return r;
    },
  };
  return api;
}

/**
 * One call from a client: the method must be one of API_METHODS and its arguments pass the
 * checks; the result or an {code, message} error comes back, never a stack.
 */
export async function invoke(api: AppApi, name: string, args: unknown): Promise<{ result: unknown } | { error: { code: string; message: string } }> {
  try {
    if (!isApiMethod(name, API_METHODS)) throw new TriageError('not-found', `There is no method "${String(name).slice(0, 60)}".`);
    const clean = validateArgs(name, args);
    const f = api[name as ApiMethod] as unknown as Fn;
    const result = await f(...clean);
    return { result: result === undefined ? null : result };
  } catch (e) {
    return { error: toApiError(e) };
  }
}
