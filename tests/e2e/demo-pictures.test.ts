// Issue 12 items 2-4 in Chromium, on the first-run sample mailbox (no account, no server): the
// contact panel's pictures with their text alternatives, Resend in the thread's language (German
// for Lena, whose own mails are German) with the word count, the queued follow-up with its time
// (theirs and yours) placed on the week, Edit, "Send now" showing the exact mail with nothing sent,
// Cancel, and Not junk / Undo moving the sample mail. Screenshots, light and dark, go to
// test-results/screenshots/ (demo-contact-panel-*, demo-queued-followup-*).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import { ApiEvents } from '../../main/app/events.js';
import { bindApi } from '../../main/app/bind.js';
import type { AppApi } from '../../main/core/api.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { launchChromium, screenshot, watchConsole } from './browser.js';

// The service's clock: a Friday two days after the sample mail's newest message, so the same
// mail is listed whatever day the test runs (the sample mail is moved to the week of `now`).
const NOW = new Date('2026-11-20T10:00:00Z');

describe('the sample mailbox in Chromium: pictures, languages, all three jobs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'triage-demo-e2e-'));
  let store: Store;
  let api: AppApi;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    store = await Store.open(dataDir);
    const events = new ApiEvents();
    const service = new TriageService({ store, secrets: new EnvSecretStore({}), now: () => NOW });
    api = bindApi({ service, events });
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    problems = watchConsole(page);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const scheme = async (s: 'light' | 'dark') => {
    await page.emulateMedia({ colorScheme: s });
    await expect.poll(async () => page.locator('.app').getAttribute('data-theme-shown')).toBe(s);
    await page.waitForTimeout(150);
  };

  it('the banner says plainly that nothing leaves the machine', async () => {
    await page.getByTestId('welcome-demo').click();
    const banner = page.getByTestId('demo-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/Nothing leaves this computer/);
  });

  it("the contact panel draws Lena's week, reply delays and where a follow-up would go, with text alternatives", async () => {
    await page.getByTestId('unanswered-list').getByText('Logo files for the harbour signs').click();
    const pictures = page.getByTestId('rhythm-pictures');
    await pictures.waitFor();
    // Seven days, the business window on the working days, a planned mark.
    await expect.poll(async () => pictures.getByTestId('heatmap-wrote').locator('g[data-day]').count()).toBe(7);
    expect(await pictures.getByTestId('heatmap-wrote').getByTestId('business-window').count()).toBeGreaterThanOrEqual(5);
    await pictures.getByTestId('heatmap-wrote').getByTestId('planned-mark').waitFor();
    // Lena wrote 3 mails in the sample (outside Junk); the cells count them.
    const counts = await pictures.getByTestId('heatmap-wrote').locator('rect.rp-cell').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
    expect(counts.length).toBe(7 * 24);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    await pictures.getByTestId('delay-histogram').getByTestId('mark-median').waitFor();
    // Text alternatives: each picture is an image with a name, and the numbers are in words.
    const svgs = pictures.locator('svg[role="img"]');
    expect(await svgs.count()).toBe(3);
    for (const svg of await svgs.all()) {
      expect(await svg.getAttribute('aria-labelledby')).toBeTruthy();
      expect(await svg.getAttribute('aria-describedby')).toBeTruthy();
    }
    const summary = await pictures.getByTestId('rhythm-summary').innerText();
    expect(summary).toMatch(/Europe\/Berlin/);
    expect(summary).toMatch(/A follow-up queued now would go .+ their time, .+ your time \(.+\)/);
    await page.keyboard.press('Escape');
    await pictures.scrollIntoViewIfNeeded();
    await screenshot(page, 'demo-contact-panel-light');
    await scheme('dark');
    await screenshot(page, 'demo-contact-panel-dark');
    await scheme('light');
  });

  it('Resend previews the follow-up in German, with the word count; another language can be picked', async () => {
    await page.getByTestId('resend').click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    expect(await page.getByTestId('preview-lang').inputValue()).toBe('de');
    expect(await page.getByTestId('preview-lang-reason').innerText()).toMatch(/German/);
    expect(await page.getByTestId('preview-text').inputValue()).toMatch(/^Guten Tag Lena Vogel,/);
    const meter = page.getByTestId('nudge-meter');
    expect(Number(await meter.getAttribute('data-words'))).toBeLessThan(80);
    expect(await meter.getByTestId('nudge-no-question').count()).toBe(0);
    // A question removed and a long text: both flagged, as the user types.
    await page.getByTestId('preview-text').fill(`Guten Tag Lena Vogel,\n\n${'bitte um Rückmeldung '.repeat(30)}`);
    await meter.getByTestId('nudge-long').waitFor();
    await meter.getByTestId('nudge-no-question').waitFor();
    // Another language: the text is written again in it.
    await page.getByTestId('preview-lang').selectOption('fr');
    await expect.poll(async () => page.getByTestId('preview-text').inputValue()).toMatch(/^Bonjour Lena,/);
    await page.getByTestId('preview-lang').selectOption('de');
    await expect.poll(async () => page.getByTestId('preview-text').inputValue()).toMatch(/^Guten Tag Lena Vogel,/);
    await screenshot(page, 'demo-resend-preview-light');
    await page.getByTestId('preview-queue').click();
    const note = page.getByTestId('resend-result');
    await note.waitFor();
    expect(await note.innerText()).toMatch(/their\s+time.+\(yours\)/s);
  });

  it('the queued follow-up shows when it goes (their time and yours) on the week; Edit, Send now (shown, not sent), Cancel', async () => {
    await page.keyboard.press('3');
    const list = page.getByTestId('queue-list');
    await list.getByText('Re: Logo files for the harbour signs').click();
    await page.getByTestId('queue-demo').waitFor();
    expect(await page.getByTestId('queue-their-time').getAttribute('data-zone')).toBe('Europe/Berlin');
    expect(await page.getByTestId('queue-language').innerText()).toBe('German');
    const pictures = page.getByTestId('rhythm-pictures');
    await pictures.getByTestId('planned-mark').first().waitFor();
    expect(await pictures.getByTestId('rhythm-summary').innerText()).toMatch(/The follow-up goes .+ their time, .+ your time/);
    await page.keyboard.press('Escape');
    // Tall enough to show the follow-up's times and the week it is placed on in one picture.
    await page.setViewportSize({ width: 1360, height: 1640 });
    await screenshot(page, 'demo-queued-followup-light');
    await scheme('dark');
    await screenshot(page, 'demo-queued-followup-dark');
    await scheme('light');
    await page.setViewportSize({ width: 1360, height: 900 });

    // Edit: the new text is saved.
    await page.getByTestId('followup-text').fill('Guten Tag Lena Vogel,\n\nhaben Sie die Logo-Dateien bekommen?\n\nMit freundlichen Grüßen\nPat Lee');
    await page.getByTestId('save-text').click();
    await page.getByText('Text saved.').first().waitFor();

    // Send now: the exact mail, headers and text; nothing is sent, the follow-up still waits.
    await page.getByTestId('send-now').click();
    const mail = page.getByTestId('outgoing-mail');
    await mail.waitFor();
    expect(await page.getByTestId('outgoing-nothing-sent').innerText()).toMatch(/nothing was sent/i);
    const headers = await page.getByTestId('outgoing-headers').innerText();
    expect(headers).toMatch(/To\s+Lena Vogel <lena\.vogel@hafenblick\.de>/);
    expect(headers).toMatch(/Subject\s+Re: Logo files for the harbour signs/);
    expect(headers).toMatch(/In-Reply-To\s+<a1fd?[^>]*@northwind-studio\.com>|In-Reply-To\s+<.+>/);
    expect(await page.getByTestId('outgoing-text').innerText()).toContain('haben Sie die Logo-Dateien bekommen?');
    await screenshot(page, 'demo-send-now-light');
    await page.keyboard.press('Escape');
    expect((await api.queue()).find((q) => q.subject === 'Re: Logo files for the harbour signs')?.state).toBe('scheduled');

    // Cancel.
    await page.getByTestId('cancel').click();
    await page.getByText(/cancelled\./).first().waitFor();
    expect((await api.queue()).find((q) => q.subject === 'Re: Logo files for the harbour signs')?.state).toBe('cancelled');
  });

  it('Not junk moves the sample mail to the Inbox, and Undo moves it back', async () => {
    await page.keyboard.press('2');
    const junk = page.getByTestId('junk-list');
    await junk.getByText('Invitation: factory visit in December').click();
    await page.getByTestId('not-junk').click();
    await page.getByText(/moved to INBOX \(sample mail: moved on this computer only\)/).first().waitFor();
    await expect.poll(async () => (await junk.innerText()).includes('Invitation: factory visit in December')).toBe(false);
    await page.keyboard.press('z');
    await page.getByText(/Moved back to Junk/).first().waitFor();
    await junk.getByText('Invitation: factory visit in December').waitFor();
    expect(problems).toEqual([]);
  });
});
