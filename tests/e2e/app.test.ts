// The app in Chromium against a real service on a seeded Dovecot, over the same loopback bridge
// `triage serve` uses: the three views list the seeded cases; Not junk moves the mail on the
// server; Resend queues a follow-up shown in the recipient's zone; Cancel cancels. Screenshots of
// every view, light and dark, go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { buildMessage } from '../rig/mail.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { accountFor, imapClient, removeDir, tempDir } from '../integration/helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import type { AppApi, QueueEntry } from '../../main/core/api.js';
import { ApiEvents } from '../../main/app/events.js';
import { bindApi } from '../../main/app/bind.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { launchChromium, screenshot, watchConsole } from './browser.js';

const DAY = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RFC 5322 date written in a fixed offset ("+0900"): what zone inference reads. */
function dateIn(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(off / 60))}${pad(off % 60)}`;
}
const AR = (domain: string) => `mx.acme.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;

/** HH:MM of an instant in a zone, as the app shows it. */
const clock = (iso: string, zone: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(new Date(iso));

describe('the app on a seeded Dovecot', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let user: MailUser;
  let store: Store;
  let api: AppApi;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const dataDir = tempDir('triage-e2e-');
  const now = Date.now();
  const me = 'Pat Doe <pat@acme.test>';

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    dovecot = await startDovecot();
    user = await dovecot.addUser('pat@acme.test', 'pw-pat', 'standard');
    await user.seed('INBOX', [
      { raw: buildMessage({ from: 'Yuki Tanaka <yuki@tsubame.jp>', to: me, subject: 'Bracket order', date: dateIn(now - 12 * DAY, 540), messageId: '<y1@tsubame.jp>', headers: { 'Authentication-Results': AR('tsubame.jp') } }) },
      { raw: buildMessage({ from: 'Lena Vogel <lena@hafenblick.de>', to: me, subject: 'Harbour signs', date: dateIn(now - 15 * DAY, 60), messageId: '<l1@hafenblick.de>', headers: { 'Authentication-Results': AR('hafenblick.de') } }) },
      { raw: buildMessage({ from: 'Omar Haddad <omar@qamar.sa>', to: me, subject: 'Distribution', date: dateIn(now - 9 * DAY, 180), messageId: '<o1@qamar.sa>', headers: { 'Authentication-Results': AR('qamar.sa') } }) },
      { raw: buildMessage({ from: 'Chloé Martin <chloe@lumiere.fr>', to: me, subject: 'Re: Lunch?', date: dateIn(now - 5 * DAY + 3_600_000, 60), messageId: '<c2@lumiere.fr>', inReplyTo: '<lunch@acme.test>', references: '<lunch@acme.test>', headers: { 'Authentication-Results': AR('lumiere.fr') } }) },
    ]);
    await user.seed('Sent', [
      { raw: buildMessage({ from: me, to: 'Yuki Tanaka <yuki@tsubame.jp>', subject: 'Drawings for the Osaka order', date: new Date(now - 4 * DAY), messageId: '<osaka@acme.test>' }), flags: ['\\Seen'] },
      { raw: buildMessage({ from: me, to: 'Lena Vogel <lena@hafenblick.de>', subject: 'Contract v3', date: new Date(now - 6 * DAY), messageId: '<contract-v3@acme.test>' }), flags: ['\\Seen'] },
      { raw: buildMessage({ from: me, to: 'Omar Haddad <omar@qamar.sa>', subject: 'Quote for Riyadh', date: new Date(now - 3 * DAY), messageId: '<riyadh@acme.test>' }), flags: ['\\Seen'] },
      { raw: buildMessage({ from: me, to: 'Chloé Martin <chloe@lumiere.fr>', subject: 'Lunch?', date: new Date(now - 5 * DAY), messageId: '<lunch@acme.test>' }), flags: ['\\Seen'] },
    ]);
    await user.seed('Junk', [
      { raw: buildMessage({ from: 'Lena Vogel <lena@hafenblick.de>', to: me, subject: 'Re: Contract v3', date: dateIn(now - 2 * DAY, 60), messageId: '<l2@hafenblick.de>', inReplyTo: '<contract-v3@acme.test>', references: '<contract-v3@acme.test>', headers: { 'Authentication-Results': AR('hafenblick.de') } }) },
      { raw: buildMessage({ from: 'Yuki Tanaka <yuki.tanaka.jp@gmail.com>', to: me, subject: 'New bank details', date: new Date(now - DAY), messageId: '<spoof@mail.gmail.com>', headers: { 'Authentication-Results': AR('gmail.com') } }) },
      { raw: buildMessage({ from: 'Prizes <win@prizes.test>', to: me, subject: 'You won!!!', date: new Date(now - DAY), messageId: '<spam@prizes.test>' }) },
    ]);

    store = await Store.open(dataDir);
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort });
    await store.saveAccount(accountFor('pat', dovecot, user, { timeZone: 'Europe/London', country: 'GB', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: user.user } }));
    const events = new ApiEvents();
    const service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pw-pat' }), onProgress: (progress) => events.emit({ type: 'sync-progress', progress }) });
    api = bindApi({ service, events });
    await api.sync();
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    problems = watchConsole(page);
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dataDir);
  });

  const view = async (key: string, testId: string) => {
    await page.keyboard.press(key);
    await page.getByTestId(testId).waitFor();
  };

  it('Unanswered lists the seeded mail awaiting a reply, and not the answered one', async () => {
    const list = page.getByTestId('unanswered-list');
    await list.getByText('Drawings for the Osaka order').waitFor();
    const text = await list.innerText();
    expect(text).toContain('Quote for Riyadh');
    expect(text).not.toContain('Lunch?');
    expect(text).not.toContain('Contract v3'); // its answer sits in Junk: answered all the same
  });

  it('Rescued from Junk lists the known contact, and the impersonation apart as suspicious', async () => {
    await view('2', 'junk-list');
    const list = page.getByTestId('junk-list');
    await list.getByText('Re: Contract v3').waitFor();
    await list.getByTestId('section-suspicious').waitFor();
    const text = await list.innerText();
    const section = text.toLowerCase().indexOf('suspicious: pretends');
    expect(section).toBeGreaterThan(0);
    expect(text.indexOf('Re: Contract v3')).toBeLessThan(section);
    expect(text.indexOf('New bank details')).toBeGreaterThan(section);
    expect(text).not.toContain('You won');
  });

  it('Not junk moves the mail to the Inbox on the server', async () => {
    const list = page.getByTestId('junk-list');
    await list.getByText('Re: Contract v3').click();
    await page.getByTestId('not-junk').click();
    await page.getByText(/moved to INBOX/).first().waitFor();
    const imap = await imapClient(dovecot, user);
    try {
      const find = async (folder: string) => {
        await imap.mailboxOpen(folder);
        return (await imap.search({ header: { 'message-id': '<l2@hafenblick.de>' } }, { uid: true })) || [];
      };
      expect(await find('INBOX')).toHaveLength(1);
      expect(await find('Junk')).toHaveLength(0);
    } finally {
      await imap.logout();
    }
    await expect.poll(async () => list.innerText()).not.toContain('Re: Contract v3');
  });

  let queued: QueueEntry;
  it("Resend queues a follow-up whose shown time is the recipient's (Asia/Tokyo)", async () => {
    await view('1', 'unanswered-list');
    await page.getByTestId('unanswered-list').getByText('Drawings for the Osaka order').click();
    await expect.poll(async () => page.getByTestId('recipient-time').innerText()).toContain('Tokyo');
    await page.getByTestId('resend').click();
    // The preview of the exact mail first; Queue queues it (held for the undo window).
    await page.getByTestId('preview').waitFor();
    await page.getByTestId('preview-queue').click();
    const note = page.getByTestId('resend-result');
    // The note, or the service's sentence if it refused (shown in the failure).
    await page.locator('[data-testid="resend-result"], .toast.error, .toast.warn').first().waitFor();
    const refused = await page.locator('.toast.error, .toast.warn').allInnerTexts();
    expect(refused).toEqual([]);
    const scheduledAt = (await note.getAttribute('data-scheduled'))!;
    expect(await note.getAttribute('data-zone')).toBe('Asia/Tokyo');
    const shown = await page.getByTestId('resend-their-time').innerText();
    expect(shown).toContain(clock(scheduledAt, 'Asia/Tokyo'));
    const hour = Number(clock(scheduledAt, 'Asia/Tokyo').slice(0, 2));
    expect(hour).toBeGreaterThanOrEqual(9);
    expect(hour).toBeLessThan(17);
    [queued] = (await api.queue()).filter((q) => q.status === 'scheduled');
    expect(queued).toMatchObject({ recipientTimeZone: 'Asia/Tokyo', scheduledAt, to: ['yuki@tsubame.jp'] });
    expect(scheduledAt).toMatch(/\+09:00$/);
  });

  it('its text can be edited and it can be rescheduled (shown in both zones)', async () => {
    await view('3', 'queue-list');
    await expect.poll(async () => page.getByTestId('queue-their-time').innerText()).toContain(clock(queued.scheduledAt, 'Asia/Tokyo'));
    const text = 'Hi Yuki,\n\ndid the revised drawings work for your engineers?\n\nPat';
    await page.getByTestId('followup-text').fill(text);
    await page.getByRole('button', { name: /Save text/ }).click();
    await page.getByText('Text saved.').first().waitFor();
    let [current] = (await api.queue()).filter((q) => q.status === 'scheduled');
    expect(current.text).toBe(text);
    // Not before a week later, 10:00 in the browser's zone: the next Tokyo business hour after it.
    const later = new Date(Date.now() + 7 * DAY);
    const local = `${later.getFullYear()}-${pad(later.getMonth() + 1)}-${pad(later.getDate())}T10:00`;
    await page.locator('#fu-when').fill(local);
    await page.getByTestId('reschedule').click();
    await page.getByText(/^Rescheduled/).first().waitFor();
    [current] = (await api.queue()).filter((q) => q.status === 'scheduled');
    expect(Date.parse(current.scheduledAt)).toBeGreaterThanOrEqual(new Date(local).getTime());
    expect(current).toMatchObject({ recipientTimeZone: 'Asia/Tokyo', text });
    await expect.poll(async () => page.getByTestId('queue-their-time').innerText()).toContain(clock(current.scheduledAt, 'Asia/Tokyo'));
    queued = current;
  });

  it('Cancel cancels it, and the queue keeps it in its history', async () => {
    await expect.poll(async () => page.getByTestId('queue-their-time').innerText()).toContain(clock(queued.scheduledAt, 'Asia/Tokyo'));
    await page.getByTestId('cancel').click();
    await page.getByText(/cancelled\./).first().waitFor();
    await expect.poll(async () => (await api.queue()).find((q) => q.id === queued.id)?.status).toBe('cancelled');
    const statuses = page.getByTestId('queue-list').getByTestId('queue-status');
    await statuses.filter({ hasText: 'cancelled' }).first().waitFor();
    expect(await statuses.filter({ hasText: 'scheduled' }).count()).toBe(0);
  });

  it('Accounts: the connection test says plainly when the password is wrong', async () => {
    await view('4', 'add-account');
    await page.getByLabel('Provider').selectOption('custom');
    await page.getByLabel('Email address').fill('pat@acme.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('IMAP server').fill('127.0.0.1');
    await page.getByLabel('IMAP port').fill(String(dovecot.port));
    await page.getByLabel('IMAP security').selectOption('none');
    await page.getByLabel('SMTP server').fill('');
    await page.getByTestId('test-connection').click();
    const imap = page.getByTestId('connection-imap');
    await expect.poll(async () => imap.getAttribute('data-state'), { timeout: 20_000 }).toBe('failed');
    expect(await imap.innerText()).toMatch(/password/i);
    await page.getByLabel('Password').fill('pw-pat');
    await page.getByTestId('test-connection').click();
    await expect.poll(async () => imap.getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    expect(await imap.innerText()).toMatch(/^IMAP: Connected/);
  });

  it('screenshots of every view, light and dark', async () => {
    const views: [string, string][] = [
      ['1', 'unanswered'],
      ['2', 'junk'],
      ['3', 'queue'],
      ['4', 'accounts'],
      ['5', 'settings'],
    ];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [key, name] of views) {
        await page.keyboard.press(key);
        await expect.poll(async () => page.locator('.app').getAttribute('data-view')).toBe(name);
        await expect.poll(async () => page.locator('.app').getAttribute('data-theme-shown')).toBe(scheme);
        if (name === 'unanswered') {
          await page.getByTestId('unanswered-list').getByText('Drawings for the Osaka order').click();
          await page.keyboard.press('o');
          await page.getByTestId('conversation').locator('pre').first().waitFor();
        }
        await page.keyboard.press('Escape'); // closes the toasts
        await page.waitForTimeout(150);
        await screenshot(page, `${name}-${scheme}`);
        if (name === 'unanswered') await page.keyboard.press('o');
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('a list of 10,000 mails', () => {
  let dovecot: DovecotServer;
  let store: Store;
  let server: RunningServer;
  let browser: Browser;
  const dataDir = tempDir('triage-e2e-bulk-');
  const N = 10_000;

  beforeAll(async () => {
    const built = ensureRendererBuilt();
    dovecot = await startDovecot();
    const user = await dovecot.addUser('bulk@acme.test', 'pw-bulk', 'standard');
    const start = Date.now() - 40 * DAY;
    await user.seed(
      'Sent',
      Array.from({ length: N }, (_, i) => ({
        raw: buildMessage({ from: 'bulk@acme.test', to: `client${i}@client${i % 50}.test`, subject: `Offer ${String(i).padStart(5, '0')}`, date: new Date(start + i * 60_000), messageId: `<offer-${i}@acme.test>` }),
        flags: ['\\Seen'],
      })),
    );
    store = await Store.open(dataDir);
    await store.saveAccount(accountFor('bulk', dovecot, user));
    const events = new ApiEvents();
    const api = bindApi({ service: new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_BULK: 'pw-bulk' }) }), events });
    await api.sync();
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await dovecot?.stop();
    removeDir(dataDir);
  });

  it('draws its first rows before the whole list has come: the whole count, and j past them reaches the rest (issue 13)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The whole list is held back: what shows is the first rows (unansweredHead) alone.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/unanswered', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.url);
    const list = page.getByTestId('unanswered-list');
    await list.getByText('Offer 09999').waitFor({ timeout: 20_000 }); // newest first
    expect(await page.getByTestId('unanswered-count').textContent()).toBe('10,000 awaiting a reply');
    expect(await page.getByTestId('section-awaiting').textContent()).toBe('Awaiting a reply (10000)');
    expect(Number(await list.getAttribute('data-rows'))).toBe(N);
    const selected = list.locator('[aria-selected="true"]');
    await expect.poll(() => selected.textContent()).toContain('Offer 09999');
    // Past the first 100 rows: rows still loading, selectable, the details say so.
    for (let i = 0; i < 105; i++) await page.keyboard.press('j');
    await expect.poll(() => selected.textContent()).toBe('Loading…');
    expect(await selected.getAttribute('aria-posinset')).toBe('106');
    expect(await page.locator('aside.detail').textContent()).toContain('Loading…');
    release();
    // The same row once the whole list has come.
    await expect.poll(() => selected.textContent(), { timeout: 20_000 }).toContain('Offer 09894');
    await expect.poll(() => page.locator('aside.detail h2').textContent()).toBe('Offer 09894');
    await page.keyboard.press('j');
    await expect.poll(() => selected.textContent()).toContain('Offer 09893');
    await page.close();
  });

  it('keeps only the rows in view in the page, and scrolls to the end and back', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    const list = page.getByTestId('unanswered-list');
    await expect.poll(async () => Number(await list.getAttribute('data-rows')), { timeout: 20_000 }).toBe(N);
    expect(Number(await list.getAttribute('data-rendered'))).toBeLessThan(40);
    // Scroll through the whole list in screen-sized steps, timing each step to its next frame.
    const ms = await list.evaluate(async (el) => {
      const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
      const frame = () => new Promise((r) => raf(() => r(null)));
      const times: number[] = [];
      for (let y = 0; y < el.scrollHeight; y += el.clientHeight * 25) {
        const t = performance.now();
        el.scrollTop = y;
        el.dispatchEvent(new Event('scroll'));
        await frame();
        await frame();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { median: times[times.length >> 1], max: times[times.length - 1], steps: times.length };
    });
    process.stdout.write(`10,000 rows: ${ms.steps} jumps, median ${ms.median.toFixed(1)} ms, max ${ms.max.toFixed(1)} ms to the next frame\n`);
    expect(ms.median).toBeLessThan(100);
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await list.getByText('Offer 00000').waitFor(); // newest first: the oldest is last
    expect(Number(await list.getAttribute('data-rendered'))).toBeLessThan(40);
    await page.keyboard.press('1');
    await screenshot(page, 'unanswered-10000-light');
  });
});
