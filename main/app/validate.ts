// Validation of what crosses into the service from a client (Electron IPC, `triage serve` HTTP):
// every argument of every AppApi method, naming the field that is wrong. Anything from the
// renderer is untrusted input, whatever the renderer's TypeScript says. This checks shapes and
// sizes; the bounds of settings and contact settings are the core's (settings/, contacts/), one
// set for every client.
import { FOLLOW_UP_LANGUAGES, type ApiMethod } from '../core/api.js';
import { TriageError } from '../core/errors.js';
import { MAX_TEXT_CHARS } from '../core/followup/index.js';

type Check<T = unknown> = (value: unknown, field: string) => T;

const MAX_STRING = 20_000;
/** A follow-up's text: the service's own limit (followup/resend.ts). */
const MAX_FOLLOW_UP_TEXT = MAX_TEXT_CHARS;

function fail(field: string, what: string): never {
  throw new TriageError('bad-input', `"${field}" ${what}.`);
}

const string =
  ({ max = 1000, min = 0, pattern }: { max?: number; min?: number; pattern?: RegExp } = {}): Check<string> =>
  (v, field) => {
    if (typeof v !== 'string') fail(field, 'must be text');
    if (v.length < min) fail(field, min === 1 ? 'must not be empty' : `must have at least ${min} characters`);
    if (v.length > max) fail(field, `must be at most ${max} characters`);
    if (pattern && !pattern.test(v)) fail(field, 'has an unexpected form');
    return v;
  };

const id = string({ min: 1, max: 1000 });

const int =
  (lo: number, hi: number): Check<number> =>
  (v, field) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(field, `must be a whole number from ${lo} to ${hi}`);
    return v;
  };

const number =
  (lo: number, hi: number): Check<number> =>
  (v, field) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) fail(field, `must be a number from ${lo} to ${hi}`);
    return v;
  };

const anyNumber: Check<number> = (v, field) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a number');
  return v;
};

const bool: Check<boolean> = (v, field) => {
  if (typeof v !== 'boolean') fail(field, 'must be true or false');
  return v;
};

const oneOf =
  <T extends string>(...values: T[]): Check<T> =>
  (v, field) => {
    if (typeof v !== 'string' || !values.includes(v as T)) fail(field, `must be one of ${values.join(', ')}`);
    return v as T;
  };

const instant: Check<string> = (v, field) => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v) || !Number.isFinite(Date.parse(v))) {
    fail(field, 'must be an ISO-8601 instant like 2026-11-23T09:00:00Z');
  }
  return v;
};

const clock: Check<string> = (v, field) => {
  if (typeof v !== 'string' || !/^([01]\d|2[0-4]):[0-5]\d$/.test(v)) fail(field, 'must be a time of day like 09:00');
  return v;
};

const list =
  <T>(item: Check<T>, max = 100): Check<T[]> =>
  (v, field) => {
    if (!Array.isArray(v)) fail(field, 'must be a list');
    if (v.length > max) fail(field, `must have at most ${max} entries`);
    return v.map((x, i) => item(x, `${field}[${i}]`));
  };

type Shape = Record<string, { check: Check; optional?: boolean; keepNull?: boolean }>;

const req = (check: Check) => ({ check });
const opt = (check: Check) => ({ check, optional: true });
/** Optional, and null is kept (it clears the field). */
const clearable = (check: Check) => ({ check, optional: true, keepNull: true });

const object =
  (shape: Shape): Check<Record<string, unknown>> =>
  (v, field) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'must be an object');
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) if (!(key in shape)) fail(field ? `${field}.${key}` : key, 'is not a known field');
    const out: Record<string, unknown> = {};
    for (const [key, { check, optional, keepNull }] of Object.entries(shape)) {
      const name = field ? `${field}.${key}` : key;
      if (keepNull && o[key] === null) {
        out[key] = null;
        continue;
      }
      if (o[key] === undefined || (optional && o[key] === null)) {
        if (!optional) fail(name, 'is missing');
        continue;
      }
      out[key] = check(o[key], name);
    }
    return out;
  };

const security = oneOf('tls', 'starttls', 'none');
const host = string({ min: 1, max: 253, pattern: /^[A-Za-z0-9.\-:[\]]+$/ });

const newAccount = object({
  name: req(string({ min: 1, max: 64 })),
  imap: req(object({ host: req(host), port: req(int(1, 65535)), security: req(security), user: req(string({ min: 1, max: 320 })) })),
  smtp: opt(object({ host: req(host), port: req(int(1, 65535)), security: req(security), user: opt(string({ max: 320 })) })),
  addresses: opt(list(string({ min: 3, max: 320, pattern: /^[^\s@]+@[^\s@]+$/ }), 50)),
  timeZone: opt(string({ max: 64 })),
  country: opt(string({ max: 2, pattern: /^[A-Za-z]{2}$/ })),
  password: opt(string({ max: 1000 })),
});

/** A new OAuth2 account: like newAccount, but the servers may be left to the provider's. */
const newOAuthAccount = object({
  name: req(string({ min: 1, max: 64 })),
  imap: req(object({ host: opt(host), port: opt(int(1, 65535)), security: opt(security), user: req(string({ min: 1, max: 320 })) })),
  smtp: opt(object({ host: req(host), port: req(int(1, 65535)), security: req(security), user: opt(string({ max: 320 })) })),
  addresses: opt(list(string({ min: 3, max: 320, pattern: /^[^\s@]+@[^\s@]+$/ }), 50)),
  timeZone: opt(string({ max: 64 })),
  country: opt(string({ max: 2, pattern: /^[A-Za-z]{2}$/ })),
  oauth: req(object({ provider: req(oneOf('google', 'microsoft')), clientId: opt(string({ min: 3, max: 200 })), clientSecret: opt(string({ max: 200 })) })),
});

/** startSignIn: exactly one of a new account and an account to sign in again. */
const signInRequest: Check = (v, field) => {
  const o = object({ account: opt(newOAuthAccount), signInAgain: opt(id) })(v, field);
  if ((o.account === undefined) === (o.signInAgain === undefined)) fail(field, 'must have either "account" or "signInAgain"');
  return o;
};

const oauthClient = object({ clientId: req(string({ min: 3, max: 200 })), clientSecret: opt(string({ max: 200 })) });

/** Minutes to hold a follow-up (0–120), or true: the undo window set in Settings. */
const hold: Check<number | boolean> = (v, field) => (typeof v === 'boolean' ? v : int(0, 120)(v, field));

const settingsPatch = object({
  businessHours: opt(object({ start: req(clock), end: req(clock) })),
  minAgeHours: opt(anyNumber),
  template: opt(string({ max: MAX_STRING })),
  syncMinutes: opt(anyNumber),
  startAtLogin: opt(bool),
  // null clears a provider's client.
  oauthClients: opt(object({ google: clearable(oauthClient), microsoft: clearable(oauthClient) })),
  undoMinutes: opt(anyNumber),
  signOffName: opt(string({ max: 1000 })),
  connectionsPerAccount: opt(anyNumber),
  notifications: opt(bool),
});

const resendOptions = object({
  now: opt(instant),
  plan: opt(int(1, 5)),
  cap: opt(int(1, 10)),
  force: opt(bool),
  text: opt(string({ min: 1, max: MAX_FOLLOW_UP_TEXT })),
  hold: opt(hold),
  lang: opt(oneOf(...FOLLOW_UP_LANGUAGES.map((l) => l.code))),
});

/** Per method: the checks of its positional arguments; `optional` ones may be left out. */
const ARGS: Record<ApiMethod, { name: string; check: Check; optional?: boolean }[]> = {
  listAccounts: [{ name: 'options', optional: true, check: object({ check: opt(bool) }) }],
  addAccount: [{ name: 'account', check: newAccount }],
  removeAccount: [{ name: 'name', check: id }],
  testConnection: [
    { name: 'account', check: newAccount },
    { name: 'options', optional: true, check: object({ part: opt(oneOf('imap', 'smtp')) }) },
  ],
  updateAccount: [{ name: 'name', check: id }, { name: 'account', check: newAccount }],
  status: [],
  sync: [{ name: 'options', optional: true, check: object({ account: opt(id) }) }],
  unanswered: [
    { name: 'options', optional: true, check: object({ now: opt(instant), minAgeHours: opt(number(0, 24 * 365)), due: opt(bool), account: opt(id), dismissed: opt(bool) }) },
  ],
  unansweredHead: [{ name: 'options', optional: true, check: object({ limit: opt(int(1, 1000)) }) }],
  dismiss: [{ name: 'id', check: id }],
  undismiss: [{ name: 'id', check: id }],
  junk: [{ name: 'options', optional: true, check: object({ now: opt(instant) }) }],
  rescue: [{ name: 'id', check: id }, { name: 'options', optional: true, check: object({ undo: opt(bool), force: opt(bool) }) }],
  trust: [{ name: 'target', check: string({ min: 1, max: 320 }) }, { name: 'kind', check: oneOf('trusted', 'blocked') }],
  untrust: [{ name: 'target', check: string({ min: 1, max: 320 }) }],
  resend: [{ name: 'id', check: id }, { name: 'options', optional: true, check: resendOptions }],
  previewFollowUp: [{ name: 'id', check: id }, { name: 'options', optional: true, check: resendOptions }],
  queue: [],
  cancel: [{ name: 'id', check: id }, { name: 'options', optional: true, check: object({ plan: opt(bool) }) }],
  restoreFollowUp: [{ name: 'id', check: id }, { name: 'options', optional: true, check: object({ hold: opt(hold) }) }],
  sendDue: [{ name: 'options', optional: true, check: object({ now: opt(instant), confirm: opt(list(id, 100)) }) }],
  contact: [
    { name: 'address', check: string({ min: 3, max: 320 }) },
    {
      name: 'change',
      optional: true,
      check: object({
        timeZone: clearable(string({ max: 64 })),
        country: clearable(string({ max: 2 })),
        hours: clearable(string({ max: 11 })),
        waitDays: clearable(anyNumber),
        trust: clearable(oneOf('trusted', 'blocked')),
      }),
    },
  ],
  loadDemo: [],
  settings: [],
  saveSettings: [{ name: 'patch', check: settingsPatch }],
  conversation: [{ name: 'id', check: id }],
  updateFollowUp: [
    { name: 'id', check: id },
    { name: 'change', check: object({ text: opt(string({ min: 1, max: MAX_FOLLOW_UP_TEXT })), scheduledAt: opt(instant), hold: opt(hold) }) },
  ],
  sendNow: [{ name: 'id', check: id }],
  sendNowCheck: [{ name: 'id', check: id }],
  counts: [],
  providerPresets: [],
  oauthProviders: [],
  checkServer: [{ name: 'server', check: object({ host: req(host), port: req(int(1, 65535)), security: opt(security) }) }],
  startSignIn: [{ name: 'request', check: signInRequest }],
  finishSignIn: [{ name: 'flowId', check: string({ min: 1, max: 100 }) }],
  cancelSignIn: [{ name: 'flowId', check: string({ min: 1, max: 100 }) }],
  rhythmPicture: [
    { name: 'address', check: string({ min: 3, max: 320 }) },
    { name: 'options', optional: true, check: object({ followUpId: opt(id), now: opt(instant) }) },
  ],
  outgoingMail: [{ name: 'id', check: id }],
};

/** Checks the arguments of one call; returns them cleaned (unknown fields refused, not dropped). */
export function validateArgs(method: ApiMethod, args: unknown): unknown[] {
  const spec = ARGS[method];
  if (!Array.isArray(args)) throw new TriageError('bad-input', `The arguments of ${method} must be a list.`);
  if (args.length > spec.length) throw new TriageError('bad-input', `${method} takes at most ${spec.length} argument(s), got ${args.length}.`);
  const out: unknown[] = [];
  spec.forEach((a, i) => {
    const v = args[i];
    if (v === undefined || (a.optional && v === null)) {
      if (!a.optional) throw new TriageError('bad-input', `${method}: "${a.name}" is missing.`);
      out.push(undefined);
      return;
    }
    try {
      out.push(a.check(v, a.name));
    } catch (e) {
      if (e instanceof TriageError) throw new TriageError('bad-input', `${method}: ${e.message}`);
      throw e;
    }
  });
  while (out.length && out[out.length - 1] === undefined) out.pop();
  return out;
}

export function isApiMethod(name: string, methods: readonly string[]): name is ApiMethod {
  return methods.includes(name);
}
