/// <reference lib="dom" />
// The app as a user meets it: `triage serve` on a synced store, the page in Debian's Chromium
// (issue 13, item 7). Figures:
//   serveUpMs          from starting `triage serve` to its address on stdout
//   firstListMs        from starting `triage serve` to the first Unanswered rows on screen
//   firstListPageMs    from opening the page to the first rows
//   tabMs              of firstListMs, the time Chromium took to open a tab (not the app's: the
//                      bench's browser opens its first tab only once the address is printed)
//   wholeListMs        from starting `triage serve` to the whole list in the page (its first rows
//                      come first, from unansweredHead; the rest says "Loading…" until then)
//   switchMs           median of Unanswered → Junk → Unanswered, each until the rows are back
//   falseEmpty         whether the count ever read "0 awaiting" before the rows came
//   serveRssMB         the server's peak RSS (VmHWM) at the end
// Used by `npm run bench -- --serve`, or alone on a data dir a bench kept (BENCH_KEEP=1):
//   node --import tsx bench/serve-bench.ts DATA_DIR
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../tests/e2e/browser.js';
import { ensureRendererBuilt } from '../main/serve/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface ServeFigures {
  serveUpMs: number;
  firstListMs: number;
  firstListPageMs: number;
  tabMs: number;
  wholeListMs: number;
  rows: number;
  switchMs: number;
  switchRunsMs: number[];
  falseEmpty: boolean;
  serveRssMB: number;
}

export async function measureServe(dataDir: string, env: Record<string, string> = {}): Promise<ServeFigures> {
  await ensureRendererBuilt(); // a stale build is rebuilt here, outside the timings
  const browser = await launchChromium();
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'triage.js'), '--data-dir', dataDir, 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out);
        if (m) done(m[1]);
      });
      child.on('exit', (code) => fail(new Error(`triage serve exited ${code}: ${stderr}`)));
    });
    const serveUpMs = performance.now() - started;
    const tabAsked = performance.now();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const tabMs = performance.now() - tabAsked;
    // Every text the count shows, to catch a false "0 awaiting" while the list loads.
    await page.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __counts: string[] }).__counts = []);
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="unanswered-count"]');
        if (el && seen[seen.length - 1] !== el.textContent) seen.push(el.textContent ?? '');
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const opened = performance.now();
    await page.goto(url);
    const rowsOf = (list: string) => page.locator(`[data-testid="${list}"]`).getAttribute('data-rows', { timeout: 120_000 }).then(Number);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="unanswered-list"]')?.getAttribute('data-rows') ?? 0) > 0, undefined, { timeout: 120_000, polling: 10 });
    const shown = performance.now();
    const rows = await rowsOf('unanswered-list');
    await page.waitForFunction(() => !document.querySelector('[data-testid="unanswered-pane"][aria-busy="true"]'), undefined, { timeout: 120_000, polling: 10 });
    const whole = performance.now();
    const switchRunsMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await page.getByTestId('nav-junk').click();
      await page.waitForFunction(() => !/Loading/.test(document.querySelector('[data-testid="junk-count"]')?.textContent ?? 'Loading'), undefined, { timeout: 60_000, polling: 5 });
      await page.getByTestId('nav-unanswered').click();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="unanswered-list"]')?.getAttribute('data-rows') ?? 0) === n, rows, { timeout: 60_000, polling: 5 });
      switchRunsMs.push((performance.now() - t) / 2);
    }
    const counts = await page.evaluate(() => (window as unknown as { __counts: string[] }).__counts);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return {
      serveUpMs: Math.round(serveUpMs),
      firstListMs: Math.round(shown - started),
      firstListPageMs: Math.round(shown - opened),
      tabMs: Math.round(tabMs),
      wholeListMs: Math.round(whole - started),
      rows,
      switchMs: Math.round(median(switchRunsMs)),
      switchRunsMs: switchRunsMs.map(Math.round),
      falseEmpty: counts.some((c) => /^0 awaiting/.test(c)),
      serveRssMB: Math.round(hwm / 1024),
    };
  } finally {
    child.kill('SIGTERM');
    await browser.close();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node --import tsx bench/serve-bench.ts DATA_DIR');
  const figures = await measureServe(dir, { TRIAGE_PASSWORD: process.env.TRIAGE_PASSWORD ?? 'bench-pw' });
  console.log(JSON.stringify(figures));
}
