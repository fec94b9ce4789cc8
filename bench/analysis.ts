// Analysis timings over the benchmark's store; each feature adds its figure here.
// Each analysis runs RUNS times in this process (bench/sync-child.ts, phase "analysis"): the
// figure is the best run, as the unanswered and Junk speed evals report it (the machine is
// shared), and `…FirstMs` is the first run, caches cold (the follow-up module's holiday and zone
// caches, the JIT), which is what one CLI command pays.
import type { Store } from '../main/core/store/store.js';
import type { Mailbox } from '../main/core/store/mailbox.js';
import { findUnanswered } from '../main/core/triage/unanswered.js';
import { junkVerdicts } from '../main/core/triage/junk.js';
import { computeRhythms } from '../main/core/contacts/rhythm.js';
import { annotateUnanswered } from '../main/core/triage/due.js';
import { horizonOf, junkCore, unansweredAt, unansweredCore } from '../main/core/triage/snapshot.js';

const RUNS = 3;

/** The store's accounts as the service hands them to the analysis (TriageService.mailboxes). */
async function mailboxesOf(store: Store): Promise<Mailbox[]> {
  const out: Mailbox[] = [];
  for (const account of await store.listAccounts()) {
    const [folders, log] = await Promise.all([store.foldersOf(account.name), store.messages(account.name)]);
    out.push({ account, folders, messages: log.all() });
  }
  return out;
}

function timed<T>(f: () => T): { first: number; best: number; result: T } {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = f();
    times.push(performance.now() - t);
  }
  return { first: times[0], best: Math.min(...times), result };
}

export async function runAnalysisBench(store: Store, log: (s: string) => void): Promise<Record<string, number>> {
  const mailboxes = await mailboxesOf(store);
  const messages = mailboxes.reduce((n, mb) => n + mb.messages.length, 0);
  // The corpus runs to 2026-11-01 (bench/corpus.ts); a week later everything is old enough.
  const now = new Date(Date.UTC(2026, 10, 8));
  const bodies = new Map<string, string>();
  for (const mb of mailboxes) for (const r of mb.messages) if (r.bodyText) bodies.set(r._id, r.bodyText);

  const unanswered = timed(() => findUnanswered({ mailboxes, now, bodies }));
  const junk = timed(() => junkVerdicts({ mailboxes, now: now.toISOString() }));
  const rhythms = timed(() => computeRhythms({ mailboxes, now, bodies }));
  const r = [...rhythms.result.values()];
  const measured = r.filter((x) => x.answered > 0).length;
  const replies = r.reduce((n, x) => n + x.answered, 0);
  log(
    `analysis over ${messages} messages (best of ${RUNS}, first run in brackets): ` +
      `unanswered ${unanswered.best.toFixed(0)} ms [${unanswered.first.toFixed(0)}] (${unanswered.result.length} entries), ` +
      `junk ${junk.best.toFixed(0)} ms [${junk.first.toFixed(0)}] (${junk.result.length} verdicts), ` +
      `rhythms ${rhythms.best.toFixed(0)} ms [${rhythms.first.toFixed(0)}] (${r.length} contacts, ${measured} with replies, ${replies} replies measured)`,
  );
  // The lists from their clock-free core (what `unanswered` and `junk` read from a snapshot) must
  // equal the analysis from scratch, at a clock after the store's latest mail.
  const at = new Date(Math.max(Date.parse(horizonOf(mailboxes)) + 86_400_000, now.getTime()));
  const common = { mailboxes, bodies, prefs: new Map(), defaultHours: null, defaultTimeZone: 'UTC' };
  let t = performance.now();
  const core = unansweredCore({ ...common, dismissed: new Set() });
  const coreMs = performance.now() - t;
  const fromCore = unansweredAt(core, at, 24);
  const fresh = annotateUnanswered({ ...common, now: at, entries: findUnanswered({ mailboxes, now: at, minAgeHours: 24, bodies, dismissed: new Set() }) });
  const junkSame = JSON.stringify(junkCore({ mailboxes, overrides: {} }).entries) === JSON.stringify(junkVerdicts({ mailboxes, overrides: {}, now: at.toISOString() }));
  const snapshotSame = JSON.stringify(fromCore) === JSON.stringify(fresh) && junkSame;
  t = performance.now();
  unansweredAt(core, at, 24);
  const fromCoreMs = performance.now() - t;
  log(`lists from the clock-free core: ${snapshotSame ? 'the same' : 'NOT THE SAME'} as from scratch (${fresh.length} entries); core ${coreMs.toFixed(0)} ms, a query from it ${fromCoreMs.toFixed(1)} ms`);
  if (!snapshotSame) process.exitCode = 1;

  const round = (x: number) => Math.round(x);
  return {
    snapshotSame: snapshotSame ? 1 : 0,
    unansweredMs: round(unanswered.best),
    unansweredFirstMs: round(unanswered.first),
    junkMs: round(junk.best),
    junkFirstMs: round(junk.first),
    rhythmMs: round(rhythms.best),
    rhythmFirstMs: round(rhythms.first),
    rhythmContacts: r.length,
  };
}
