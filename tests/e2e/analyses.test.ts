// How many analyses a sync causes in the app (issue "One house", item 6): the page open on
// Unanswered in Chromium, the service behind it counting the analyses that really ran
// (service.analyses.runs). A sync that changes nothing must cause none; a sync that brings one
// message at most one per list, with the badge numbers carried by the change event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { accountFor, imapClient, removeDir, tempDir } from '../integration/helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/index.js';
import { TriageService } from '../../main/core/service.js';
import type { ApiEvent } from '../../main/core/api.js';
import { ApiEvents, bindApi } from '../../main/app/index.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { launchChromium, watchConsole } from './browser.js';

const DAY = 86_400_000;

describe('analyses per sync in the app', () => {
  let dovecot: DovecotServer;
  let user: MailUser;
  let store: Store;
  let service: TriageService;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const seen: ApiEvent[] = [];
  const dataDir = tempDir('triage-analyses-');
  const me = 'Pat Doe <pat@acme.test>';
  const now = Date.now();

  const runs = () => ({ ...service.analyses.runs });
  /** The page and the service have settled: nothing in flight for a while. */
  const settle = () => page.waitForTimeout(1500);
  const clickSync = async () => {
    const before = seen.filter((e) => e.type === 'sync-done').length;
    await page.getByTestId('sync').click();
    await expect.poll(() => seen.filter((e) => e.type === 'sync-done').length, { timeout: 30_000 }).toBeGreaterThan(before);
    await settle();
  };

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    dovecot = await startDovecot();
    user = await dovecot.addUser('pat@acme.test', 'pw-pat', 'standard');
    await user.seed('Sent', [
      { raw: buildMessage({ from: me, to: 'Yuki Tanaka <yuki@tsubame.jp>', subject: 'Drawings for the Osaka order', date: new Date(now - 4 * DAY), messageId: '<osaka@acme.test>' }), flags: ['\\Seen'] },
      { raw: buildMessage({ from: me, to: 'Lena Vogel <lena@hafenblick.de>', subject: 'Contract v3', date: new Date(now - 6 * DAY), messageId: '<contract-v3@acme.test>' }), flags: ['\\Seen'] },
    ]);
    store = await Store.open(dataDir);
    await store.saveAccount(accountFor('pat', dovecot, user, { timeZone: 'Europe/London', country: 'GB' }));
    const events = new ApiEvents();
    events.on((e) => seen.push(e));
    service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pw-pat' }), onProgress: (progress) => events.emit({ type: 'sync-progress', progress }) });
    const api = bindApi({ service, events });
    await api.sync();
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchConsole(page);
    await page.goto(server.url);
    await page.locator('[data-testid="unanswered-list"][data-rows="2"]').waitFor();
    await settle();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await dovecot?.stop();
    removeDir(dataDir);
  });

  it('a sync that changes nothing runs no analysis and sends no change event', async () => {
    const before = runs();
    const changes = seen.filter((e) => e.type === 'changed').length;
    await clickSync();
    const after = runs();
    process.stdout.write(`[analyses] no-change sync: unanswered ${after.unanswered - before.unanswered}, junk ${after.junk - before.junk}\n`);
    expect(after).toEqual(before);
    expect(seen.filter((e) => e.type === 'changed').length).toBe(changes);
    expect(problems).toEqual([]);
  });

  it('a sync that brings one message runs each analysis at most once, and the event carries the counts', async () => {
    const client = await imapClient(dovecot, user);
    await client.append('Sent', buildMessage({ from: me, to: 'Omar Haddad <omar@qamar.sa>', subject: 'Quote for Riyadh', date: new Date(now - 3 * DAY), messageId: '<riyadh@acme.test>' }), ['\\Seen']);
    await client.logout();
    const before = runs();
    await clickSync();
    await expect.poll(async () => Number(await page.getByTestId('unanswered-list').getAttribute('data-rows'))).toBe(3);
    await settle();
    const after = runs();
    process.stdout.write(`[analyses] one-message sync: unanswered ${after.unanswered - before.unanswered}, junk ${after.junk - before.junk}\n`);
    expect(after.unanswered - before.unanswered).toBe(1);
    expect(after.junk - before.junk).toBeLessThanOrEqual(1);
    const change = seen.filter((e): e is Extract<ApiEvent, { type: 'changed' }> => e.type === 'changed').pop();
    expect(change?.what).toContain('unanswered');
    expect(change?.counts?.unanswered).toBe(3);
    // The badge shows the event's count without fetching a list for it.
    await expect.poll(async () => (await page.getByTestId('nav-unanswered').innerText()).replace(/\D+/g, ' ').trim()).toContain('3');
    expect(problems).toEqual([]);
  });
});
