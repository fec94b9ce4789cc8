// The first two jobs as lists over the store: sent mail awaiting a reply (with due dates and
// hints), and Junk mail from known contacts. This file loads the analysis input and caches the
// results; the analyses themselves are pure (unanswered.ts, due.ts, junk.ts).
// The whole lists come from a clock-free core (snapshot.ts), kept in this process by the store's
// version and on disk by the store's fingerprint, so a command or an app that starts reads it
// instead of loading every record; a query the core cannot answer (one account, the dismissed
// mail, a replay before the store's latest mail) is analysed from scratch as before.
import type { JunkEntry, UnansweredEntry, UnansweredHead, UnansweredOptions } from '../api.js';
import type { Clock } from '../deps/index.js';
import type { Store, Mailbox, MailboxLoader } from '../store/index.js';
import { readSnapshot, storeFingerprint, writeSnapshot } from '../store/index.js';
import { TriageError } from '../errors.js';
import { readSettings, settingsHours } from '../settings/index.js';
import { loadContactPrefs, trustOverrides } from '../contacts/index.js';
import type { AnalysisCache } from './analysis-cache.js';
import { dismissedAt } from './dismissed.js';
import { findUnanswered } from './unanswered.js';
import { annotateUnanswered } from './due.js';
import { junkVerdicts } from './junk.js';
import { coreCovers, horizonOf, junkCore, unansweredAt, unansweredCore, type JunkCore, type UnansweredCore } from './snapshot.js';

export interface TriageDeps {
  store: Store;
  mailboxes: MailboxLoader;
  now: Clock;
  cache: AnalysisCache;
  /** The zone of accounts that have none set (the machine's). */
  defaultTimeZone: string;
}

/**
 * The build of the code (scripts/build-cli.mjs defines it): a snapshot written by another build is
 * not read. Running from the sources there is none, and snapshots serve this process only.
 */
declare const __TRIAGE_BUILD__: string | undefined;
const BUILD = typeof __TRIAGE_BUILD__ === 'string' ? __TRIAGE_BUILD__ : `sources:${process.pid}:${Date.now()}`;

/** A snapshot's key: the store's state and what else the analyses depend on. */
function snapshotKey(deps: TriageDeps): Promise<string> {
  return storeFingerprint(deps.store, `${BUILD}\n${process.version}\n${deps.defaultTimeZone}`);
}

/** A list's core, or only the horizon when the clock of the query that found no core was before it. */
type CoreOrHorizon<T> = T | { horizon: string; entries: null };

/**
 * The clock-free core of a list: from the disk snapshot when it is the store's, else analysed and
 * kept. When the query's clock is before the store's latest mail (a replay, or mail dated in the
 * future) the core would not answer it: only the horizon is returned, and nothing is analysed
 * twice.
 */
async function coreOf<T extends { horizon: string }>(deps: TriageDeps, kind: 'unanswered' | 'junk', now: Date, analyse: (mailboxes: Mailbox[]) => Promise<T>): Promise<CoreOrHorizon<T>> {
  // The key first: what is read after it can only be newer, never older, than the key says.
  const key = await snapshotKey(deps);
  const saved = await readSnapshot<T>(deps.store, kind, key);
  if (saved) return saved;
  const mailboxes = await deps.mailboxes();
  const horizon = horizonOf(mailboxes);
  if (!coreCovers({ horizon }, now)) return { horizon, entries: null };
  deps.cache.ran(kind);
  const core = await analyse(mailboxes);
  await writeSnapshot(deps.store, kind, key, core);
  return core;
}

/** The core of a list if it answers a query at `now`, else null (the query is analysed from scratch). */
async function coveringCore<T extends { horizon: string; entries: unknown }>(deps: TriageDeps, kind: 'unanswered' | 'junk', now: Date, analyse: (mailboxes: Mailbox[]) => Promise<T>): Promise<T | null> {
  let core = await deps.cache.get(kind, 'core', deps.store.version(), () => coreOf(deps, kind, now, analyse));
  // Found before with only its horizon, and now a clock past it (the live clock moved on).
  if (core.entries === null && coreCovers(core, now)) core = await deps.cache.get(kind, `core@${now.toISOString()}`, deps.store.version(), () => coreOf(deps, kind, now, analyse));
  return core.entries !== null && coreCovers(core, now) ? (core as T) : null;
}

function unansweredCoreAt(deps: TriageDeps, now: Date): Promise<UnansweredCore | null> {
  return coveringCore(deps, 'unanswered', now, async (mailboxes) =>
    unansweredCore({
      mailboxes,
      bodies: bodiesOf(mailboxes),
      dismissed: new Set((await dismissedAt(deps.store)).keys()),
      prefs: await loadContactPrefs(deps.store),
      defaultHours: await settingsHours(deps.store),
      defaultTimeZone: deps.defaultTimeZone,
    }),
  );
}

function junkCoreAt(deps: TriageDeps, now: Date): Promise<JunkCore | null> {
  return coveringCore(deps, 'junk', now, async (mailboxes) => junkCore({ mailboxes, overrides: await trustOverrides(deps.store) }));
}

/** An ISO instant given by a caller (--now), checked. */
export function parseNow(value: string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(d.getTime())) throw new TriageError('bad-input', `now must be an ISO-8601 instant, not "${value}".`);
  return d;
}

/** The cache clock of a list: a caller's instant exactly, the live clock by the minute. */
function clockKey(given: string | undefined, now: Date): string {
  return given ?? `live@${Math.floor(now.getTime() / 60_000)}`;
}

/** Record bodies fetched during sync, by record id, for the analysis. */
function bodiesOf(mailboxes: Mailbox[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const mb of mailboxes) for (const r of mb.messages) if (r.bodyText) bodies.set(r._id, r.bodyText);
  return bodies;
}

/**
 * Awaiting mail with due dates and hints, due first; `due`: only what is due now. Without
 * `minAgeHours` the Settings' minimum age applies (24 h unless changed), in the CLI as in the app.
 */
export async function unansweredList(deps: TriageDeps, options: UnansweredOptions = {}): Promise<UnansweredEntry[]> {
  const now = parseNow(options.now, deps.now());
  const minAgeHours = options.minAgeHours ?? (await readSettings(deps.store)).minAgeHours;
  let all: UnansweredEntry[] | null = null;
  if (options.account === undefined && options.dismissed !== true) {
    // The version read before the core: a list is never kept under a version newer than its data.
    const version = deps.store.version();
    const core = await unansweredCoreAt(deps, now);
    // One list made from the core at a time: the app asks for the counts, the first rows and the
    // whole list within a second of each other (issue 13: 45-90 ms each at 100k messages).
    if (core) all = await deps.cache.get('unanswered', 'from-core', version, async () => unansweredAt(core, now, minAgeHours), `${minAgeHours}|${clockKey(options.now, now)}`);
  }
  if (!all) {
    // Each replay (--now) a list of its own; the live list of a new minute replaces the last one.
    const key = `${options.account ?? '*'}|${minAgeHours}|${options.now ?? 'live'}${options.dismissed === true ? '|dismissed' : ''}`;
    all = await deps.cache.get(
      'unanswered',
      key,
      deps.store.version(),
      () => {
        deps.cache.ran('unanswered');
        return unansweredFromScratch(deps, { ...options, minAgeHours }, now);
      },
      clockKey(options.now, now),
    );
  }
  return options.due ? all.filter((e) => e.due === true) : all;
}

/** The default size of each group of `unansweredHead`: a few screens of rows. */
export const HEAD_LIMIT = 100;

/**
 * The first `limit` entries of each group (bounced, awaiting), in the list's order, and the
 * groups' sizes: what the app draws first while the whole list is on its way.
 */
export function headOf(entries: readonly UnansweredEntry[], limit = HEAD_LIMIT): UnansweredHead {
  const head: UnansweredHead = { bounced: [], awaiting: [], bouncedTotal: 0, awaitingTotal: 0 };
  for (const e of entries) {
    if (e.status === 'bounced') {
      if (head.bouncedTotal++ < limit) head.bounced.push(e);
    } else if (head.awaitingTotal++ < limit) head.awaiting.push(e);
  }
  return head;
}

/** The whole analysis at `now`, every record read (no snapshot, no cache); `due` is not applied. */
export async function unansweredFromScratch(deps: TriageDeps, options: UnansweredOptions & { minAgeHours: number }, now: Date): Promise<UnansweredEntry[]> {
  const onlyDismissed = options.dismissed === true;
  const mailboxes = await deps.mailboxes(options.account);
  const bodies = bodiesOf(mailboxes);
  const dismissed = await dismissedAt(deps.store);
  const found = findUnanswered({ mailboxes, now, minAgeHours: options.minAgeHours, bodies, ...(onlyDismissed ? {} : { dismissed: new Set(dismissed.keys()) }) });
  // The dismissed ones: the same analysis without the filter, only what the user dismissed.
  const entries = onlyDismissed
    ? found.flatMap((e) => {
        const at = dismissed.get(e.id) ?? dismissed.get(e.messageId);
        return at === undefined ? [] : [{ ...e, dismissedAt: at }];
      })
    : found;
  return annotateUnanswered({
    entries,
    mailboxes,
    now,
    bodies,
    prefs: await loadContactPrefs(deps.store),
    defaultHours: await settingsHours(deps.store),
    defaultTimeZone: deps.defaultTimeZone,
  });
}

/**
 * Junk verdicts, known contacts as of `now` (a replay with --now sees the contacts of then). Every
 * mail in Junk is judged, whenever it arrived: the contract replays who was known, and a mail
 * seeded or copied later (its INTERNALDATE is the copy's) must not vanish from a replay.
 */
export async function junkList(deps: TriageDeps, options: { now?: string } = {}): Promise<JunkEntry[]> {
  const now = parseNow(options.now, deps.now());
  const core = await junkCoreAt(deps, now);
  if (core) return core.entries;
  // Known contacts as of the live clock are those of the store: no need to key it by the minute.
  const key = options.now ?? 'live';
  return deps.cache.get('junk', key, deps.store.version(), () => {
    deps.cache.ran('junk');
    return junkFromScratch(deps, now);
  });
}

/** The Junk verdicts at `now`, every record read (no snapshot, no cache). */
export async function junkFromScratch(deps: TriageDeps, now: Date): Promise<JunkEntry[]> {
  return junkVerdicts({ mailboxes: await deps.mailboxes(), overrides: await trustOverrides(deps.store), now: now.toISOString() });
}
