// One phase of the benchmark in a process of its own, as the app would run it, so its peak RSS
// is the app's and not the bench's (seeding, raw fetch). Prints one JSON line.
//   node --import tsx bench/sync-child.ts <dataDir> <phase: first|nochange|delta|load|analysis>
import { Store } from '../main/core/store/store.js';
import { syncAccount } from '../main/core/imap/sync.js';
import { runAnalysisBench } from './analysis.js';

const [dataDir, phase] = process.argv.slice(2);
const t0 = performance.now();
const store = await Store.open(dataDir);
const account = (await store.getAccount('bench'))!;
const sync = async () => {
  const t = performance.now();
  const s = await syncAccount({ account, password: 'bench-pw', store });
  return {
    ms: performance.now() - t,
    added: s.folders.reduce((n, f) => n + f.added, 0),
    updated: s.folders.reduce((n, f) => n + f.updated, 0),
    removed: s.folders.reduce((n, f) => n + f.removed, 0),
  };
};
const out: Record<string, unknown> = { phase };
if (phase === 'load') {
  const log = await store.messages('bench');
  out.ms = performance.now() - t0;
  out.stats = log.stats();
} else if (phase === 'analysis') {
  await store.messages('bench');
  Object.assign(out, await runAnalysisBench(store, (s) => process.stderr.write(s + '\n')));
} else {
  // A sync opens what it needs of the log itself (from its index, store/log-index.ts): loading
  // every record first would hide what a sync reads and what a first sync holds.
  if (phase === 'nochange') {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push((await sync()).ms);
    out.runs = runs;
  } else Object.assign(out, await sync());
}
await store.close();
out.maxRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
