// Desktop notifications in `triage serve` (issue 12 item 6): the page asks the browser's
// permission only when the user allows it in Settings (a click), never on load, and then shows
// each notification the server sends with the browser's Notification API. The browser's
// Notification is replaced by a recorder (an init script), so the test sees what the page asked
// for; which notifications the server sends is tests/unit/app/notifications.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureRendererBuilt, runServe, type ServeRun } from '../../main/serve/index.js';
import type { AppNotification } from '../../main/core/api.js';
import { launchChromium, watchConsole } from './browser.js';

const RECORDER = `
  window.__asked = 0;
  window.__shown = [];
  class RecordedNotification {
    static permission = 'default';
    static async requestPermission() { window.__asked += 1; RecordedNotification.permission = 'granted'; return 'granted'; }
    constructor(title, options) { window.__shown.push({ title, ...options }); }
    close() {}
  }
  window.Notification = RecordedNotification;
`;

const cancelled: AppNotification = { kind: 'cancelled', count: 1, ids: ['f1'], title: 'They replied: follow-up cancelled', body: 'bob@client.de answered “Budget”; the follow-up will not be sent.' };

describe('notifications in the browser (triage serve)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'triage-notify-'));
  let run: ServeRun;
  let browser: Browser;
  let page: Page;
  const asked = () => page.evaluate(() => (globalThis as unknown as { __asked: number }).__asked);
  const shown = () => page.evaluate(() => (globalThis as unknown as { __shown: unknown[] }).__shown);

  beforeAll(async () => {
    await ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    run = await runServe({ dataDir, port: 0, background: false });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(RECORDER);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await run?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never asks on load; shows nothing before the user allowed it; asks on the click in Settings; then shows what the server sends', async () => {
    const problems = watchConsole(page);
    await page.goto(run.server.url);
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('welcome-demo').click();
    await page.getByTestId('demo-banner').waitFor();
    expect(await asked()).toBe(0);

    run.events.emit({ type: 'notification', notification: cancelled });
    await page.waitForTimeout(300);
    expect(await shown()).toEqual([]);

    await page.getByTestId('nav-settings').click();
    expect(await page.locator('#set-notify').isChecked()).toBe(true);
    expect(await asked()).toBe(0);
    await page.getByTestId('allow-notifications').click();
    expect(await asked()).toBe(1);
    await page.getByTestId('allow-notifications').waitFor({ state: 'detached' });

    run.events.emit({ type: 'notification', notification: cancelled });
    await page.waitForFunction(() => (globalThis as unknown as { __shown: unknown[] }).__shown.length === 1);
    expect(await shown()).toEqual([{ title: cancelled.title, body: cancelled.body, tag: 'inbox-triage-cancelled' }]);

    // Off in Settings: saved for the server, which then sends none (the background's decision).
    await page.locator('#set-notify').uncheck();
    await page.getByTestId('save-settings').click();
    await page.getByText('Settings saved.').waitFor();
    expect((await run.service.settings()).notifications).toBe(false);
    expect(await asked()).toBe(1);
    expect(problems).toEqual([]);
  }, 120_000);
});
