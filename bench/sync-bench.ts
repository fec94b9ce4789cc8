// `npm run bench`: sync and analysis at scale against a real Dovecot, printed as figures.
// The last line is one JSON object (see issue 3, item 7). Two kinds of figures:
// - in-process phases (one child process per phase: first sync, no-change and delta resync,
//   store load, analyses), against the raw imapflow FETCH floor of the same fields;
// - what a user meets: each CLI command as a whole process (node start, loading, the work), its
//   wall time and peak RSS from /usr/bin/time, median of several runs (`*ProcessMs`, `maxRssMB`).
// Goals (issue "Fast as the user feels it") are printed beside the figures, never asserted here.
// Options: --messages N (or env BENCH_MESSAGES, default 100000); --serve: also the app through
// `triage serve` in Chromium (bench/serve-bench.ts); env BENCH_KEEP=1 leaves the Dovecot dir and
// the data dir in place for a look.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '../tests/rig/dovecot.js';
import { ROOT, tempDir } from '../tests/integration/helpers.js';
import { buildMessage } from '../tests/rig/mail.js';
import { generateMailbox, USER, type GeneratedMessage } from './corpus.js';
import { Store } from '../main/core/store/store.js';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { FETCHED_HEADERS } from '../main/core/mail/record.js';
import type { AccountConfig } from '../main/core/model.js';

const argIndex = process.argv.indexOf('--messages');
const TOTAL = Number(argIndex > 0 ? process.argv[argIndex + 1] : (process.env.BENCH_MESSAGES ?? 100_000));
if (!Number.isInteger(TOTAL) || TOTAL < 100) throw new Error(`--messages takes a whole number of at least 100, not ${process.argv[argIndex + 1]}`);
const CLI = join(ROOT, 'bin', 'triage.js');
const SERVE = process.argv.includes('--serve');

/** One whole-process run: wall ms and peak RSS in MB (GNU time's %e and %M). */
function timed(args: string[], env: Record<string, string> = {}): { ms: number; rssMB: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'BENCH-TIME %e %M', process.execPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
  });
  const m = /BENCH-TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (!m) throw new Error(`could not time ${args.join(' ')}: ${r.stderr}`);
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
  return { ms: Number(m[1]) * 1000, rssMB: Number(m[2]) / 1024, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const FOLDERS = ['INBOX', 'Sent', 'Junk', 'Archive'] as const;
const log = (s: string) => process.stderr.write(s + '\n');
const secs = (t: number) => (performance.now() - t) / 1000;

let peakRss = 0;
const round = (x: number, d = 0) => Number(x.toFixed(d));

const server = await startDovecot();
const user = await server.addUser(USER, 'bench-pw', 'standard');
const dataDir = tempDir('triage-bench-');
try {
  // 1. Seed by writing Maildir files, in chunks so the generator never holds 100k raw messages.
  let t = performance.now();
  let chunk: GeneratedMessage[] = [];
  const counts: Record<string, number> = {};
  const flush = async () => {
    for (const folder of FOLDERS) {
      const part = chunk.filter((m) => m.folder === folder);
      if (part.length) await user.seed(folder, part);
    }
    chunk = [];
  };
  for (const m of generateMailbox(TOTAL)) {
    counts[m.folder] = (counts[m.folder] ?? 0) + 1;
    chunk.push(m);
    if (chunk.length >= 5000) await flush();
  }
  await flush();
  log(`seeded ${TOTAL} messages (${FOLDERS.map((f) => `${f} ${counts[f] ?? 0}`).join(', ')}) in ${secs(t).toFixed(1)} s`);

  const connect = async () => {
    const c = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user: USER, pass: 'bench-pw' }, logger: false, qresync: true });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  const query = { uid: true, flags: true, internalDate: true, size: true, headers: FETCHED_HEADERS };
  const rawFetch = async () => {
    const c = await connect();
    let n = 0;
    for (const folder of FOLDERS) {
      await c.mailboxOpen(folder, { readOnly: true });
      for await (const msg of c.fetch('1:*', query, { uid: true })) if (msg.uid) n++;
    }
    await c.logout();
    return n;
  };

  // 2. Warm-up: Dovecot builds its indexes and header cache on the first FETCH; both timed runs
  // below then read from the same warm server, so the ratio compares like with like.
  t = performance.now();
  await rawFetch();
  log(`warm-up fetch (Dovecot builds its indexes): ${secs(t).toFixed(1)} s`);

  t = performance.now();
  const fetched = await rawFetch();
  const rawFetchS = secs(t);
  log(`raw imapflow FETCH of the same fields: ${fetched} messages in ${rawFetchS.toFixed(2)} s`);

  // 3-7 run in child processes, as the app would: one process per phase, so each figure includes
  // what a fresh start costs and the peak RSS is the app's, not the bench's.
  const account: AccountConfig = {
    name: 'bench',
    imap: { host: server.host, port: server.port, security: 'none', user: USER },
    addresses: [USER],
    createdAt: new Date().toISOString(),
  };
  const store = await Store.open(dataDir);
  await store.saveAccount(account);
  await store.close();
  const childRss: number[] = [];
  const phase = (name: string): Record<string, any> => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/sync-child.ts', dataDir, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench phase ${name} failed (exit ${r.status})`);
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!);
    childRss.push(res.maxRssMB);
    return res;
  };

  // 3. Our first full sync into an empty store.
  const first = phase('first');
  const syncS = first.ms / 1000;
  log(`first sync: ${first.added} messages in ${syncS.toFixed(2)} s (ratio ${(syncS / rawFetchS).toFixed(2)}), peak RSS ${first.maxRssMB.toFixed(0)} MB`);

  // 4. Resync with nothing changed (median of 5, in one process).
  const noChange = phase('nochange').runs as number[];
  const noChangeResyncMs = [...noChange].sort((a, b) => a - b)[2];
  log(`no-change resync: ${noChange.map((x) => x.toFixed(0)).join(', ')} ms (median ${noChangeResyncMs.toFixed(0)})`);

  // 5. 100 new messages and 100 flag changes, then a resync. New mail is APPENDed, as delivery
  // (LMTP/LDA) would add it: Dovecot's index knows it at once, no Maildir rescan.
  const c = await connect();
  for (let i = 0; i < 100; i++) await c.append('INBOX', buildMessage({ from: `new${i}@client.test`, to: USER, subject: `New ${i}` }));
  await c.mailboxOpen('Sent');
  await c.messageFlagsAdd('1:100', ['\\Flagged'], { uid: true });
  await c.logout();
  const delta = phase('delta');
  const deltaResyncMs = delta.ms;
  log(`delta resync: +${delta.added} new, ${delta.updated} flag changes in ${deltaResyncMs.toFixed(0)} ms`);
  if (delta.added !== 100 || delta.updated !== 100) throw new Error(`delta resync saw +${delta.added} ~${delta.updated}, expected +100 ~100`);

  // 6. Store load on start: open the data dir and load the account's messages.
  const load = phase('load');
  const storeLoadMs = load.ms;
  log(`store load: ${load.stats.records} records, ${(load.stats.bytes / 1e6).toFixed(1)} MB, ${load.stats.lines} lines in ${storeLoadMs.toFixed(0)} ms`);

  // 7. Analysis over the same store.
  const { phase: _p, maxRssMB: _m, ...analysis } = phase('analysis');
  peakRss = Math.max(...childRss) * 2 ** 20;

  // 8. What a user meets: each command as a whole process.
  const env = { TRIAGE_PASSWORD_BENCH: 'bench-pw', TRIAGE_DATA_DIR: dataDir };
  const cli = (...args: string[]) => timed([CLI, '--data-dir', dataDir, ...args], env);
  cli('--help'); // a stale bundle is rebuilt once, outside the timings
  const nodeStart = median([0, 1, 2, 3, 4].map(() => timed(['-e', '0']).ms));
  const start = [0, 1, 2, 3, 4].map(() => cli('--help'));
  const noChangeSync = [0, 1, 2].map(() => cli('sync'));
  const deltaSync: ReturnType<typeof cli>[] = [];
  for (let round = 0; round < 3; round++) {
    const dc = await connect();
    for (let i = 0; i < 100; i++) await dc.append('INBOX', buildMessage({ from: `round${round}-${i}@client.test`, to: USER, subject: `Round ${round} #${i}` }));
    await dc.mailboxOpen('Sent');
    await dc.messageFlagsAdd(`${101 + round * 100}:${200 + round * 100}`, ['\\Flagged'], { uid: true });
    await dc.logout();
    deltaSync.push(cli('sync'));
  }
  // The first command after a sync analyses and keeps a snapshot (analysis/); the others read it.
  const unanswered = [0, 1, 2].map(() => cli('unanswered', '--json'));
  const junk = [0, 1, 2].map(() => cli('junk', '--json'));
  const status = [0, 1, 2].map(() => cli('status', '--json'));
  const all = [...start, ...noChangeSync, ...deltaSync, ...unanswered, ...junk, ...status];
  const proc = {
    nodeStartMs: round(nodeStart),
    cliStartMs: round(median(start.map((r) => r.ms))),
    noChangeSyncProcessMs: round(median(noChangeSync.map((r) => r.ms))),
    deltaSyncProcessMs: round(median(deltaSync.map((r) => r.ms))),
    unansweredProcessMs: round(median(unanswered.map((r) => r.ms))),
    junkProcessMs: round(median(junk.map((r) => r.ms))),
    unansweredFirstProcessMs: round(unanswered[0].ms),
    junkFirstProcessMs: round(junk[0].ms),
    statusProcessMs: round(median(status.map((r) => r.ms))),
    maxRssMB: round(Math.max(...all.map((r) => r.rssMB))),
  };
  const goals: Record<string, number> = { cliStartMs: 150, noChangeSyncProcessMs: 500, deltaSyncProcessMs: 800, unansweredProcessMs: 1000, junkProcessMs: 700, maxRssMB: 300 };
  log('whole processes (median; goal at 100k messages):');
  for (const [k, v] of Object.entries(proc)) log(`  ${k.padEnd(24)} ${String(v).padStart(7)}${goals[k] ? `   goal ≤ ${goals[k]}` : ''}`);
  log(`  first sync / raw FETCH   ${(syncS / rawFetchS).toFixed(2)}×   goal ≤ 1.0×`);
  let serve: Record<string, unknown> = {};
  if (SERVE) {
    const { measureServe } = await import('./serve-bench.js');
    const { switchRunsMs: _runs, ...figures } = await measureServe(dataDir, env);
    serve = figures;
    log(`the app (triage serve in Chromium): up in ${figures.serveUpMs} ms, first rows ${figures.firstListMs} ms after launch (${figures.firstListPageMs} ms after the page opened, ${figures.tabMs} ms of it Chromium opening a tab; goal ≤ 2000), the whole list ${figures.wholeListMs} ms, switching views ${figures.switchMs} ms (goal ≤ 100), "0 awaiting" shown while loading: ${figures.falseEmpty ? 'yes' : 'no'}, server peak RSS ${figures.serveRssMB} MB`);
  }
  const result = {
    messages: TOTAL,
    rawFetchS: round(rawFetchS, 2),
    syncS: round(syncS, 2),
    ratio: round(syncS / rawFetchS, 2),
    noChangeResyncMs: round(noChangeResyncMs),
    deltaResyncMs: round(deltaResyncMs),
    storeLoadMs: round(storeLoadMs),
    peakRssMB: round(peakRss / 2 ** 20),
    ...analysis,
    ...proc,
    loadAverage: round(os.loadavg()[0], 1),
    ...serve,
  };
  console.log(JSON.stringify(result));
} finally {
  await server.stop();
  if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
}
