// `npm run bench`: sync and analysis at scale against a real Dovecot, printed as figures.
// The last line is one JSON object (see issue 3, item 7). Options (env):
//   BENCH_MESSAGES=100000   how many messages to seed
//   BENCH_KEEP=1            leave the Dovecot dir and data dir in place for a look
import { rmSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { startDovecot } from '../tests/rig/dovecot.js';
import { tempDir } from '../tests/integration/helpers.js';
import { buildMessage } from '../tests/rig/mail.js';
import { generateMailbox, USER, type GeneratedMessage } from './corpus.js';
import { Store } from '../main/core/store/store.js';
import { spawnSync } from 'node:child_process';
import { FETCHED_HEADERS } from '../main/core/mail/record.js';
import type { AccountConfig } from '../main/core/model.js';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 100_000);
const FOLDERS = ['INBOX', 'Sent', 'Junk', 'Archive'] as const;
const log = (s: string) => process.stderr.write(s + '\n');
const secs = (t: number) => (performance.now() - t) / 1000;

let peakRss = 0;

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
  const round = (x: number, d = 0) => Number(x.toFixed(d));
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
  };
  console.log(JSON.stringify(result));
} finally {
  await server.stop();
  if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
}
