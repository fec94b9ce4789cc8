// Issue 15, "a UI that holds at every size and for every user", in Chromium against Dovecot:
// every advertised shortcut is pressed and does something; "?" lists them all; lists show a focus
// ring and follow their selection for screen readers; axe-core finds no serious or critical
// violation in any view, light or dark; and at 900×700, 1280×800 and 1920×1080, in both themes,
// nothing scrolls sideways and no control is clipped. Screenshots go to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { accountFor, removeDir, tempDir } from '../integration/helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import type { AppApi } from '../../main/core/api.js';
import { ApiEvents, bindApi } from '../../main/app/index.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { GLOBAL_KEYS, VIEW_KEYS } from '../../renderer/src/shortcuts.js';
import { launchChromium, screenshot, watchConsole } from './browser.js';

const DAY = 86_400_000;
const me = 'Pat Doe <pat@acme.test>';
const AR = (d: string) => `mx.acme.test; spf=pass smtp.mailfrom=${d}; dkim=pass header.d=${d}; dmarc=pass header.from=${d}`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = [
  ['1', 'unanswered'],
  ['2', 'junk'],
  ['3', 'queue'],
  ['4', 'accounts'],
  ['5', 'settings'],
] as const;

/** Evaluated in the page (strings: the tests' TypeScript has no DOM types). */
const IN_PAGE = {
  focusedId: "document.activeElement && (document.activeElement.id || document.activeElement.getAttribute('data-testid'))",
  activeOption:
    "(() => { const l = document.querySelector('[role=listbox]'); const id = l && l.getAttribute('aria-activedescendant'); const o = id && document.getElementById(id); return o ? { id, selected: o.getAttribute('aria-selected'), text: o.innerText } : null; })()",
  horizontalOverflow: '(() => { const s = document.scrollingElement; return s.scrollWidth - s.clientWidth; })()',
  /** Visible controls whose own content is wider than their box (a clipped "09:0(" or label). */
  clipped: `(() => [...document.querySelectorAll('button, input, select, textarea, .badge, kbd')]
      .filter((el) => el.offsetParent !== null && el.type !== 'checkbox' && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).textOverflow !== 'ellipsis')
      .map((el) => (el.id || el.getAttribute('aria-label') || el.innerText || el.value || el.tagName).slice(0, 40) + ' ' + el.scrollWidth + '>' + el.clientWidth)
      // A pane whose content runs past its edge (badges off the side of the details).
      .concat([...document.querySelectorAll('.nav, .topbar, .footer, .list-pane, .list-tools, .detail, .page, .card, .dialog, .section-row')]
        .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map((el) => 'pane ' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)))()`,
};

describe('the UI for every user, at every size (issue 15)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let user: MailUser;
  let store: Store;
  let api: AppApi;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const dataDir = tempDir('triage-ui-');
  const now = Date.now();
  const at = (ago: number) => new Date(now - ago);

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    dovecot = await startDovecot();
    user = await dovecot.addUser('pat@acme.test', 'pw-pat', 'standard');
    const sent = (to: string, subject: string, id: string, ago: number) => ({ raw: buildMessage({ from: me, to, subject, date: at(ago), messageId: `<${id}@acme.test>` }), flags: ['\\Seen'] });
    await user.seed('Sent', [
      sent('Yuki Tanaka <yuki@tsubame.jp>', 'Drawings for the Osaka order, revised after the site visit with the engineers', 'osaka', 4 * DAY),
      sent('Lena Vogel <lena@hafenblick.de>', 'Contract v3', 'contract', 6 * DAY),
      sent('Omar Haddad <omar@qamar.sa>', 'Quote for Riyadh', 'riyadh', 3 * DAY),
      sent('Erin Park <erin@park.test>', 'Lunch?', 'lunch', 20 * DAY),
    ]);
    await user.seed('INBOX', [
      { raw: buildMessage({ from: 'Yuki Tanaka <yuki@tsubame.jp>', to: me, subject: 'Bracket order', date: at(12 * DAY), headers: { 'Authentication-Results': AR('tsubame.jp') } }) },
      { raw: buildMessage({ from: 'Erin Park <erin@park.test>', to: me, subject: 'Re: Lunch?', date: at(19 * DAY), inReplyTo: '<lunch@acme.test>', references: '<lunch@acme.test>' }) },
    ]);
    await user.seed('Junk', [
      { raw: buildMessage({ from: 'Erin Park <erin@park.test>', to: me, subject: 'Photos from the lunch', date: at(DAY), headers: { 'Authentication-Results': AR('park.test') } }) },
      {
        raw: buildMessage({
          from: 'Yuki Tanaka <yuki.tanaka.jp@gmail.com>',
          to: me,
          subject: 'Urgent: wire the deposit for the Osaka order to our new bank account today',
          date: at(DAY),
          headers: { 'Authentication-Results': AR('gmail.com') },
        }),
      },
    ]);
    store = await Store.open(dataDir);
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort });
    await store.saveAccount(accountFor('pat', dovecot, user, { timeZone: 'Europe/London', country: 'GB', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: user.user } }));
    const events = new ApiEvents();
    api = bindApi({ service: new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pw-pat' }), onProgress: (progress) => events.emit({ type: 'sync-progress', progress }) }), events });
    await api.sync();
    const osaka = (await api.unanswered()).find((e) => e.subject.startsWith('Drawings'))!;
    await api.resend(osaka.id, { hold: 60 }); // something in Follow-ups, far from leaving
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
    // en-US: the locale whose "09:00 AM" time fields were clipped.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    page = await context.newPage();
    problems = watchConsole(page);
    await page.goto(server.url);
    await page.getByTestId('unanswered-list').locator('[role="option"]').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dataDir);
  });

  const go = async (key: string, view: string) => {
    await page.keyboard.press(key);
    await expect.poll(() => page.locator('.app').getAttribute('data-view')).toBe(view);
  };
  const toast = (text: string | RegExp) => page.locator('.toast').filter({ hasText: text }).first();
  /** Esc closes the toasts (and leaves a text field). */
  const clearToasts = async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.toast').count()).toBe(0);
  };
  const active = () => page.evaluate<{ id: string; selected: string; text: string } | null>(IN_PAGE.activeOption);
  const focusedId = () => page.evaluate<string | null>(IN_PAGE.focusedId);
  const theme = () => page.locator('.app').getAttribute('data-theme-shown');

  it('"?" shows every shortcut: everywhere and each view\'s, and Esc closes it', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts');
    await dialog.waitFor();
    expect(await dialog.getAttribute('role')).toBe('dialog');
    const listed = async (section: string) => dialog.getByTestId(`shortcuts-${section}`).locator('tr[data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(await listed('everywhere')).toEqual(GLOBAL_KEYS.map((k) => k.key));
    for (const [view, keys] of Object.entries(VIEW_KEYS)) expect(await listed(view)).toEqual(keys.map((k) => k.key));
    await screenshot(page, 'shortcuts-light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('Shift+T twice in one breath leaves the theme as it was (the second press sees the first)', async () => {
    // Two key presses before React has re-rendered: a toggle that read the last shown theme from a
    // render's closure set "dark" twice (seen in CI as a flaky shortcut test).
    await go('1', 'unanswered');
    const before = await theme();
    await page.evaluate(() => {
      for (let i = 0; i < 2; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: 'T', shiftKey: true, bubbles: true }));
    });
    await page.waitForTimeout(200);
    expect(await theme()).toBe(before);
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'T', shiftKey: true, bubbles: true })));
    await expect.poll(theme).not.toBe(before);
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'T', shiftKey: true, bubbles: true })));
    await expect.poll(theme).toBe(before);
  });

  it('every advertised shortcut does what it says', async () => {
    const pressed = new Set<string>();
    const press = async (view: string, key: string) => {
      if (process.env.TRIAGE_TEST_TRACE) process.stdout.write(`press ${view}:${key}\n`);
      pressed.add(`${view}:${key}`);
      await page.keyboard.press(key === 'Ctrl+s' ? 'Control+s' : key);
    };
    const moves = async (view: string, next: string, prev: string) => {
      const first = await active();
      await press(view, next);
      await expect.poll(async () => (await active())?.id).not.toBe(first?.id);
      expect((await active())?.selected).toBe('true');
      await press(view, prev);
      await expect.poll(async () => (await active())?.id).toBe(first?.id);
    };

    // Everywhere (from Unanswered).
    await go('1', 'unanswered');
    for (const [k, v] of VIEWS) {
      await press('global', k);
      await expect.poll(() => page.locator('.app').getAttribute('data-view')).toBe(v);
    }
    await press('global', '1');
    const before = await theme();
    await press('global', 'Shift+T');
    await expect.poll(theme).not.toBe(before);
    await press('global', 'Shift+T');
    await expect.poll(theme).toBe(before);
    await press('global', 'Shift+S');
    await toast(/^Synced pat\./).waitFor({ timeout: 30_000 });
    await press('global', '?');
    await page.getByTestId('shortcuts').waitFor();
    await press('global', 'Escape');
    await page.getByTestId('shortcuts').waitFor({ state: 'detached' });
    await moves('global', 'ArrowDown', 'ArrowUp');
    await press('global', 'Enter');
    await page.getByTestId('conversation').waitFor();

    // Unanswered.
    await moves('unanswered', 'j', 'k');
    await press('unanswered', 'o');
    await page.getByTestId('conversation').waitFor({ state: 'detached' });
    await press('unanswered', 'r');
    await page.getByTestId('preview').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('preview').waitFor({ state: 'detached' });
    const subject = await page.locator('.detail h2').innerText();
    await press('unanswered', 'd');
    await toast('dismissed').waitFor();
    await expect.poll(() => page.getByTestId('unanswered-list').innerText()).not.toContain(subject);
    await press('unanswered', 'z');
    await toast('is back in the list').waitFor();
    await press('unanswered', 'c');
    await toast(/^Copied /).waitFor();
    await press('unanswered', 'f');
    await expect.poll(() => page.getByTestId('unanswered-count').innerText()).toMatch(/dismissed$/);
    await page.keyboard.press('f');
    await expect.poll(() => page.getByTestId('unanswered-count').innerText()).toMatch(/awaiting a reply/);
    await clearToasts();

    // Rescued from Junk.
    await go('2', 'junk');
    await page.getByTestId('junk-list').getByText('Photos from the lunch').click();
    await moves('junk', 'j', 'k');
    await press('junk', 'o');
    await page.getByTestId('conversation').waitFor();
    await press('junk', 't');
    await toast('is trusted').waitFor();
    await press('junk', 'z');
    await toast('is no longer trusted').waitFor();
    await press('junk', 'n');
    await toast(/moved to INBOX/).waitFor({ timeout: 20_000 });
    await page.keyboard.press('z');
    await toast(/Moved back to Junk/).waitFor({ timeout: 20_000 });
    await clearToasts();

    // Follow-ups.
    await go('3', 'queue');
    await page.getByTestId('queue-list').locator('[role="option"]').first().click();
    await press('queue', 's');
    await page.getByTestId('confirm-send-now').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm-send-now').waitFor({ state: 'detached' });
    await press('queue', 'e');
    await expect.poll(focusedId).toBe('fu-text');
    await page.keyboard.press('Escape');
    await press('queue', 'l');
    await expect.poll(focusedId).toBe('fu-when');
    await page.keyboard.press('Escape');
    await press('queue', 'p');
    await toast('not part of a plan').waitFor();
    await press('queue', 'y');
    await toast('Only a follow-up held').waitFor();
    await press('queue', 'c');
    await toast('cancelled').waitFor();
    await press('queue', 'z');
    await toast('put back').waitFor();
    // j/k with one entry per section: the selection stays on the only option, and says so.
    await press('queue', 'j');
    await press('queue', 'k');
    expect((await active())?.selected).toBe('true');
    await clearToasts();

    // Accounts and Settings.
    await go('4', 'accounts');
    await press('accounts', 'a');
    await expect.poll(focusedId).toBe('acc-preset');
    await page.keyboard.press('Escape');
    await go('5', 'settings');
    // Ctrl+S saves the form once it is there (it loads the settings first).
    await page.getByRole('form', { name: 'Settings' }).waitFor();
    await press('settings', 'Ctrl+s');
    await toast('Settings saved.').waitFor();

    const advertised = [...GLOBAL_KEYS.map((k) => `global:${k.key}`), ...Object.entries(VIEW_KEYS).flatMap(([v, keys]) => keys.map((k) => `${v}:${k.key}`))];
    expect(advertised.filter((k) => !pressed.has(k))).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);

  it('Esc closes the suspicious-mail dialog too; "Keep it in Junk" is its default and the mail stays', async () => {
    await go('2', 'junk');
    await page.getByTestId('junk-list').getByText(/^Urgent: wire/).click();
    await page.keyboard.press('n');
    const dialog = page.getByTestId('confirm-suspicious');
    await dialog.waitFor();
    expect(await focusedId()).toBe('keep-in-junk');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await api.junk()).some((j) => j.subject.startsWith('Urgent: wire'))).toBe(true);
  });

  it('names carry no key hints or counts; the listbox follows its selection; headers are not options; lists show focus', async () => {
    await go('1', 'unanswered');
    await page.getByRole('button', { name: 'Unanswered', exact: true }).waitFor();
    expect(await page.getByTestId('nav-unanswered').getAttribute('aria-keyshortcuts')).toBe('1');
    expect(await page.getByRole('button', { name: 'Sync now', exact: true }).getAttribute('aria-keyshortcuts')).toBe('Shift+S');
    await go('5', 'settings');
    expect(await page.getByRole('button', { name: 'Save', exact: true }).getAttribute('aria-keyshortcuts')).toBe('Control+S');
    await go('2', 'junk');
    const junk = page.getByTestId('junk-list');
    await junk.getByText('Photos from the lunch').waitFor();
    expect(await junk.getByRole('option').count()).toBe((await api.junk()).length);
    const option = await active();
    expect(option).toMatchObject({ selected: 'true' });
    expect(option?.text).toContain('Photos from the lunch');
    await junk.focus();
    expect(await junk.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { boxShadow: string } }).getComputedStyle(el).boxShadow)).not.toBe('none');
    await screenshot(page, 'junk-list-focused-light');
  });

  it('axe-core: no serious or critical violation in any view, light and dark (dialogs too)', async () => {
    const report: string[] = [];
    const audit = async (what: string) => {
      await page.evaluate(AXE);
      const violations = await page.evaluate<{ id: string; impact: string; nodes: { target: string[] }[] }[]>(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
      );
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') report.push(`${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    };
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate("localStorage.setItem('triage-theme', 'system')");
      await page.reload();
      await expect.poll(theme).toBe(scheme);
      for (const [key, view] of VIEWS) {
        await go(key, view);
        await page.waitForTimeout(200);
        await audit(`${view} ${scheme}`);
      }
      await go('1', 'unanswered');
      // After the reload, r acts on the selected mail: wait until the list has one.
      await expect.poll(async () => (await active())?.selected).toBe('true');
      await page.keyboard.press('r');
      await page.getByTestId('preview').waitFor();
      await audit(`preview dialog ${scheme}`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('?');
      await audit(`shortcuts dialog ${scheme}`);
      await page.keyboard.press('Escape');
    }
    expect(report).toEqual([]);
  }, 120_000);

  it('at 900×700, 1280×800 and 1920×1080, light and dark: no sideways scroll, no clipped control', async () => {
    const failures: string[] = [];
    for (const [width, height] of [
      [900, 700],
      [1280, 800],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expect.poll(theme).toBe(scheme);
        for (const [key, view] of VIEWS) {
          await go(key, view);
          if (view === 'junk') await page.getByTestId('junk-list').getByText(/^Urgent: wire/).click();
          await page.keyboard.press('Escape');
          await clearToasts();
          await page.waitForTimeout(150);
          const overflow = await page.evaluate<number>(IN_PAGE.horizontalOverflow);
          if (overflow > 0) failures.push(`${view} ${width}x${height} ${scheme}: scrolls sideways by ${overflow}px`);
          for (const c of await page.evaluate<string[]>(IN_PAGE.clipped)) failures.push(`${view} ${width}x${height} ${scheme}: clipped ${c}`);
          await screenshot(page, `${view}-${width}x${height}-${scheme}`);
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(failures).toEqual([]);
  }, 180_000);

  it('a reason is cut by the width with an ellipsis, and read in full in the details', async () => {
    await go('2', 'junk');
    const row = page.getByTestId('junk-list').locator('[role="option"]').filter({ hasText: 'Urgent: wire' });
    const reason = row.locator('.meta.reason');
    const full = await reason.getAttribute('title');
    expect(full && full.length).toBeGreaterThan(0);
    expect(await reason.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textOverflow: string } }).getComputedStyle(el).textOverflow)).toBe('ellipsis');
    await row.click();
    const details = await page.locator('.detail .reasons').innerText();
    for (const r of full!.split('; ')) expect(details).toContain(r);
  });
});
