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
import { syncAccount } from '../main/core/imap/sync.js';
import { FETCHED_HEADERS } from '../main/core/mail/record.js';
import type { AccountConfig } from '../main/core/store/types.js';
import { runAnalysisBench } from './analysis.js';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 100_000);
const FOLDERS = ['INBOX', 'Sent', 'Junk', 'Archive'] as const;
const log = (s: string) => process.stderr.write(s + '\n');
const secs = (t: number) => (performance.now() - t) / 1000;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
sampler.unref();

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

  // 3. Our first full sync into an empty store.
  const account: AccountConfig = {
    name: 'bench',
    imap: { host: server.host, port: server.port, security: 'none', user: USER },
    addresses: [USER],
    createdAt: new Date().toISOString(),
  };
  let store = await Store.open(dataDir);
  await store.saveAccount(account);
  t = performance.now();
  const first = await syncAccount({ account, password: 'bench-pw', store });
  const syncS = secs(t);
  const added = first.folders.reduce((n, f) => n + f.added, 0);
  log(`first sync: ${added} messages in ${syncS.toFixed(2)} s (ratio ${(syncS / rawFetchS).toFixed(2)})`);

  // 4. Resync with nothing changed (median of 5).
  const noChange: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await syncAccount({ account, password: 'bench-pw', store });
    noChange.push(performance.now() - t);
  }
  const noChangeResyncMs = noChange.sort((a, b) => a - b)[2];
  log(`no-change resync: ${noChange.map((x) => x.toFixed(0)).join(', ')} ms (median ${noChangeResyncMs.toFixed(0)})`);

  // 5. 100 new messages and 100 flag changes, then a resync. New mail is APPENDed, as delivery
  // (LMTP/LDA) would add it: Dovecot's index knows it at once, no Maildir rescan.
  const c = await connect();
  for (let i = 0; i < 100; i++) await c.append('INBOX', buildMessage({ from: `new${i}@client.test`, to: USER, subject: `New ${i}` }));
  await c.mailboxOpen('Sent');
  await c.messageFlagsAdd('1:100', ['\\Flagged'], { uid: true });
  await c.logout();
  t = performance.now();
  const delta = await syncAccount({ account, password: 'bench-pw', store });
  const deltaResyncMs = performance.now() - t;
  const dAdded = delta.folders.reduce((n, f) => n + f.added, 0);
  const dUpdated = delta.folders.reduce((n, f) => n + f.updated, 0);
  log(`delta resync: +${dAdded} new, ${dUpdated} flag changes in ${deltaResyncMs.toFixed(0)} ms`);
  if (dAdded !== 100 || dUpdated !== 100) throw new Error(`delta resync saw +${dAdded} ~${dUpdated}, expected +100 ~100`);
  await store.close();

  // 6. Store load on start: open the data dir and load the account's messages.
  t = performance.now();
  store = await Store.open(dataDir);
  const messages = await store.messages('bench');
  const storeLoadMs = performance.now() - t;
  const stats = messages.stats();
  log(`store load: ${stats.records} records, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.lines} lines in ${storeLoadMs.toFixed(0)} ms`);

  // 7. Analysis over the same store.
  const analysis = await runAnalysisBench(store, log);
  await store.close();

  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
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
