// Issue 15, "careful hands", in Chromium against Dovecot and the SMTP rig, through the same
// loopback bridge `triage serve` uses, with the background sender running as in the app:
// Resend previews the exact mail; nothing reaches the SMTP server before the undo window ends
// (measured on the SMTP server's clock), and it arrives after it, with the display names and the
// sign-off; a second Resend asks; Send now asks and names the recipient's clock; Dismiss, Cancel
// and Trust have Undo; dismissed mail is found and restored; bounced mail is its own group;
// the return date reads the same in the list and the details.
//
// The service's clock runs in real time from Wednesday 14 October 2026, 10:30 in London (a
// working day in the recipients' windows whatever day the test runs on); the SMTP rig stamps
// what it accepts with the real clock, so the undo window is measured there.
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
import { ApiEvents, bindApi, startBackground, type Background } from '../../main/app/index.js';
import { PREF_IDS, readPref } from '../../main/core/store/index.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { launchChromium, screenshot, watchConsole } from './browser.js';

const DAY = 86_400_000;
const BASE = Date.parse('2026-10-14T09:30:00Z'); // Wed 10:30 in London (BST)
const me = 'Pat Doe <pat@acme.test>';
/** The data-testid of the focused element. */
const focused = (page: Page) => page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('data-testid')");
const AR = (d: string) => `mx.acme.test; spf=pass smtp.mailfrom=${d}; dkim=pass header.d=${d}; dmarc=pass header.from=${d}`;

/** A Postfix-style failed DSN for `original` (RFC 3464), as the rig's Dovecot would hold it. */
function dsn(original: { messageId: string; to: string; subject: string }, at: Date): string {
  const b = 'dsn-b0undary';
  return buildMessage({
    from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
    to: me,
    subject: 'Undelivered Mail Returned to Sender',
    date: at,
    headers: { 'Auto-Submitted': 'auto-replied', 'Content-Type': `multipart/report; report-type=delivery-status; boundary="${b}"` },
    body: [
      `--${b}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'I am sorry to have to inform you that your message could not be delivered.',
      '',
      `--${b}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.test',
      '',
      `Final-Recipient: rfc822; ${original.to}`,
      'Action: failed',
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${original.to}>: Recipient address rejected: User unknown`,
      '',
      `--${b}`,
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${me}`,
      `To: ${original.to}`,
      `Subject: ${original.subject}`,
      `Message-ID: ${original.messageId}`,
      '',
      `--${b}--`,
      '',
    ].join('\r\n'),
  });
}

describe('careful hands: preview, undo window, undo, bounces (issue 15)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let user: MailUser;
  let store: Store;
  let api: AppApi;
  let background: Background;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const dataDir = tempDir('triage-careful-');
  const started = Date.now();
  const shift = BASE - started;
  const clock = () => new Date(Date.now() + shift);
  const at = (msBeforeBase: number) => new Date(BASE - msBeforeBase);

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    dovecot = await startDovecot();
    user = await dovecot.addUser('pat@acme.test', 'pw-pat', 'standard');
    await dovecot.addUser('u1', 'pw-u1', 'standard');
    const sent = (to: string, subject: string, id: string, ago: number, cc?: string) => ({
      raw: buildMessage({ from: me, to, ...(cc ? { cc } : {}), subject, date: at(ago), messageId: `<${id}@acme.test>`, body: `Hello,\n\n${subject}: see attached.\n\nPat\n` }),
      flags: ['\\Seen'],
      // INTERNALDATE on the service's clock too (known contacts are counted "as of now").
      internalDate: at(ago),
    });
    await user.seed('Sent', [
      sent('Bob Miller <bob@miller.test>', 'Site plan for Hafen 3', 'site-plan', 4 * DAY, 'Carla Ruiz <carla@ruiz.test>'),
      sent('Dana Cho <dana@cho.test>', 'Quote 7', 'quote-7', 5 * DAY),
      sent('Sam Gone <sam@gone.test>', 'Invoice 42', 'invoice-42', 3 * DAY),
      sent('Lena Vogel <lena@vogel.test>', 'Harbour signs', 'harbour', 6 * DAY),
      sent('Omar Haddad <omar@haddad.test>', 'Dinner list', 'dinner', 7 * DAY),
      sent('Erin Park <erin@park.test>', 'Lunch?', 'lunch', 20 * DAY),
    ]);
    await user.seed('INBOX', [
      { raw: dsn({ messageId: '<invoice-42@acme.test>', to: 'sam@gone.test', subject: 'Invoice 42' }, at(3 * DAY - 60_000)), internalDate: at(3 * DAY - 60_000) },
      {
        raw: buildMessage({
          from: 'Lena Vogel <lena@vogel.test>',
          to: me,
          subject: 'Automatic reply: Harbour signs',
          date: at(6 * DAY - 60_000),
          inReplyTo: '<harbour@acme.test>',
          references: '<harbour@acme.test>',
          headers: { 'Auto-Submitted': 'auto-replied' },
          body: 'I am out of the office until 2 November 2026 with no access to email.\n',
        }),
        internalDate: at(6 * DAY - 60_000),
      },
      { raw: buildMessage({ from: 'Erin Park <erin@park.test>', to: me, subject: 'Re: Lunch?', date: at(19 * DAY), inReplyTo: '<lunch@acme.test>', references: '<lunch@acme.test>', headers: { 'Authentication-Results': AR('park.test') } }), internalDate: at(19 * DAY) },
    ]);
    await user.seed('Junk', [
      { raw: buildMessage({ from: 'Erin Park <erin@park.test>', to: me, subject: 'Photos from the lunch', date: at(DAY), messageId: '<photos@park.test>', headers: { 'Authentication-Results': AR('park.test') } }), internalDate: at(DAY) },
    ]);

    store = await Store.open(dataDir);
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort });
    await store.saveAccount(accountFor('pat', dovecot, user, { timeZone: 'Europe/London', country: 'GB', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: user.user } }));
    const events = new ApiEvents();
    const service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pw-pat' }), now: clock, witnessGraceMs: 5_000, onProgress: (progress) => events.emit({ type: 'sync-progress', progress }) });
    api = bindApi({ service, events });
    await api.sync();
    // A one-minute undo window keeps the test short; the default (10) is checked in unit tests.
    await api.saveSettings({ undoMinutes: 1 });
    await api.contact('dana@cho.test', { timeZone: 'Australia/Sydney', country: 'AU' }); // 20:30 there now
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    // The app's background sender, looking every second instead of every minute.
    background = startBackground({ api, events, sendEveryMs: 1000, onSent: (q) => events.emit({ type: 'notice', level: 'info', message: `Follow-up sent to ${q.to.join(', ')}.` }) });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    page = await context.newPage();
    problems = watchConsole(page);
    // The page's clock is the service's (countdowns compare the undo window with it).
    await page.clock.install({ time: clock() });
    await page.clock.resume();
    await page.goto(server.url);
    await page.getByTestId('unanswered-list').getByText('Site plan for Hafen 3').waitFor();
  });

  afterAll(async () => {
    background?.stop();
    await browser?.close();
    await server?.close();
    await store?.close();
    await smtp?.close();
    await dovecot?.stop();
    removeDir(dataDir);
  });

  const list = () => page.getByTestId('unanswered-list');
  const select = async (subject: string) => {
    await list().getByText(subject, { exact: true }).click();
    await expect.poll(() => page.locator('.detail h2').innerText()).toBe(subject);
  };
  const key = async (k: string) => page.keyboard.press(k);
  const toastWith = (text: string | RegExp) => page.locator('.toast').filter({ hasText: text }).first();

  it('Resend opens a preview (names, subject, the exact text, their time and yours); Queue is the default', async () => {
    await select('Site plan for Hafen 3');
    await key('r');
    const dialog = page.getByTestId('preview');
    await dialog.waitFor();
    expect(await dialog.getByTestId('preview-to').innerText()).toBe('Bob Miller <bob@miller.test>');
    expect(await dialog.getByTestId('preview-cc').innerText()).toBe('Carla Ruiz <carla@ruiz.test>');
    expect(await dialog.getByTestId('preview-from').innerText()).toBe('Pat Doe <pat@acme.test>');
    expect(await dialog.getByTestId('preview-subject').innerText()).toBe('Re: Site plan for Hafen 3');
    const text = await dialog.getByTestId('preview-text').inputValue();
    expect(text).toMatch(/^Hi Bob,\n\n/);
    expect(text).toMatch(/\n\nBest regards,\nPat Doe\n\nOn .*Pat Doe <pat@acme\.test> wrote:\n> Hello,/);
    const when = await dialog.getByTestId('preview-when').innerText();
    expect(when).toMatch(/their time \(London\), .* yours/);
    // Nothing is queued by looking.
    expect((await api.queue()).length).toBe(0);
    // Queue is the focused default.
    expect(await focused(page)).toBe('preview-queue');
    await screenshot(page, 'careful-preview-light');
  });

  it('nothing reaches the SMTP server before the undo window ends; it arrives after, with names and sign-off', async () => {
    const clickedAt = Date.now();
    await key('Enter');
    await page.getByTestId('preview').waitFor({ state: 'detached' });
    await toastWith('Follow-up queued').waitFor();
    const [q] = await api.queue();
    expect(q.holdUntil).toBeTruthy();
    const holdEndsReal = Date.parse(q.holdUntil!) - shift;
    expect(holdEndsReal - clickedAt).toBeGreaterThanOrEqual(59_000);
    expect(holdEndsReal - clickedAt).toBeLessThan(62_000);
    // The row and the details say so, with a countdown and an Undo.
    await expect.poll(() => list().getByTestId('followup-mark').first().innerText()).toMatch(/^follow-up scheduled /);
    await expect.poll(() => page.getByTestId('undo-countdown').innerText()).toMatch(/^You can take it back for [01]:\d\d\.$/);
    await page.getByTestId('undo-followup').waitFor();
    await screenshot(page, 'careful-undo-window-light');

    const ours = () => smtp.received.filter((m) => m.messageId === `<${q.messageId}>`);
    // The background sender looks every second: a minute of looks, and nothing leaves.
    while (Date.now() < holdEndsReal - 1500) {
      expect(ours()).toEqual([]);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await expect.poll(() => ours().length, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    const [arrived] = ours();
    process.stdout.write(`undo window: queued at +0 s, window ends at +${((holdEndsReal - clickedAt) / 1000).toFixed(1)} s, SMTP server accepted it at +${((arrived.at - clickedAt) / 1000).toFixed(1)} s\n`);
    expect(arrived.at).toBeGreaterThanOrEqual(holdEndsReal);
    const raw = arrived.raw.toString('utf8');
    expect(raw).toMatch(/^To: Bob Miller <bob@miller\.test>\r?$/m);
    expect(raw).toMatch(/^Cc: Carla Ruiz <carla@ruiz\.test>\r?$/m);
    expect(raw).toMatch(/Best regards,\r\nPat Doe\r\n/);
    // Sent: the row now says it was followed up.
    await expect.poll(() => list().getByTestId('followup-mark').first().innerText(), { timeout: 15_000 }).toMatch(/^followed up /);
  }, 120_000);

  it('a second Resend says a follow-up went, and asks (no CLI words)', async () => {
    await select('Site plan for Hafen 3');
    await key('r');
    const ask = page.getByTestId('second-resend');
    await ask.waitFor();
    const words = await ask.innerText();
    expect(words).toMatch(/You followed up “Site plan for Hafen 3” on .*, and no reply has come yet/);
    expect(words).not.toMatch(/triage|--force/);
    expect(await focused(page)).toBe('keep-it');
    await key('Escape');
    await ask.waitFor({ state: 'detached' });
  });

  it('with one still scheduled it says when that one goes; "Write another anyway" opens the preview', async () => {
    await select('Quote 7');
    await key('r');
    await page.getByTestId('preview').waitFor();
    await key('Enter');
    await page.getByTestId('preview').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('resend-result').count()).toBe(1);
    await key('r');
    const ask = page.getByTestId('second-resend');
    await ask.waitFor();
    expect(await ask.innerText()).toMatch(/A follow-up of “Quote 7” to dana@cho\.test is already scheduled for .* their time \(.* yours\)\. A second one would reach them twice\./);
    await screenshot(page, 'careful-second-resend-light');
    await page.getByTestId('write-another').click();
    const preview = page.getByTestId('preview');
    await preview.waitFor();
    expect(await preview.getByTestId('preview-text').inputValue()).toContain('Just following up once more');
    await key('Escape');
    await preview.waitFor({ state: 'detached' });
    expect((await api.queue()).filter((q) => q.to[0] === 'dana@cho.test')).toHaveLength(1);
  });

  it('Send now asks first and names their clock outside business hours; sent rows say when it went', async () => {
    await key('3');
    const queueList = page.getByTestId('queue-list');
    await queueList.getByText('Re: Quote 7').click();
    await key('s');
    const confirm = page.getByTestId('confirm-send-now');
    await confirm.waitFor();
    const outside = await confirm.getByTestId('send-now-outside').innerText();
    expect(outside).toMatch(/^It is 20:3\d in Sydney: after their business hours \(09:00–17:00\)\./);
    expect(await focused(page)).toBe('send-now-keep');
    await screenshot(page, 'careful-send-now-light');
    await key('Enter'); // the default keeps it scheduled
    await confirm.waitFor({ state: 'detached' });
    const before = smtp.received.length;
    expect((await api.queue()).find((q) => q.to[0] === 'dana@cho.test')?.state).toBe('scheduled');
    await key('s');
    await confirm.waitFor();
    await confirm.getByTestId('send-now-confirm').click();
    await toastWith('Follow-up sent to dana@cho.test').waitFor({ timeout: 30_000 });
    expect(smtp.received.length).toBeGreaterThan(before);
    const sent = (await api.queue()).find((q) => q.to[0] === 'dana@cho.test')!;
    expect(sent.state).toBe('sent');
    await expect.poll(() => page.getByTestId('queue-sent-at').innerText()).toContain('your time');
    expect(await queueList.getByTestId('queue-when').allInnerTexts()).toContain(`sent ${await page.evaluate((iso) => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso)), sent.sentAt!)}`);
  });

  it('Cancel has Undo: the follow-up is scheduled again', async () => {
    await key('1');
    await select('Harbour signs');
    await key('r');
    await page.getByTestId('preview').waitFor();
    await key('Enter');
    await page.getByTestId('preview').waitFor({ state: 'detached' });
    await expect.poll(async () => (await api.queue()).some((q) => q.to[0] === 'lena@vogel.test')).toBe(true);
    await key('3');
    const row = page.getByTestId('queue-list').locator('[role="option"]').filter({ hasText: 'Re: Harbour signs' });
    await row.waitFor();
    await row.click();
    await expect.poll(() => page.locator('.detail h2').innerText()).toBe('Re: Harbour signs');
    await key('c');
    await toastWith('cancelled').waitFor();
    const id = (await api.queue()).find((q) => q.to[0] === 'lena@vogel.test')!.id;
    await expect.poll(async () => (await api.queue()).find((q) => q.id === id)?.status).toBe('cancelled');
    await toastWith('cancelled').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await api.queue()).find((q) => q.id === id)?.status).toBe('scheduled');
    await api.cancel(id); // out of the way of the tests below
  });

  it('Dismiss has Undo; the Dismissed filter finds and restores dismissed mail', async () => {
    await key('1');
    await select('Dinner list');
    await key('d');
    await toastWith('dismissed').waitFor();
    await expect.poll(() => list().innerText()).not.toContain('Dinner list');
    await toastWith('dismissed').getByRole('button', { name: 'Undo' }).click();
    await list().getByText('Dinner list').waitFor();
    await select('Dinner list');
    await key('d');
    await expect.poll(() => list().innerText()).not.toContain('Dinner list');
    await key('f');
    await expect.poll(() => page.getByTestId('unanswered-count').innerText()).toBe('1 dismissed');
    await select('Dinner list');
    await screenshot(page, 'careful-dismissed-light');
    await page.getByTestId('restore').click();
    await expect.poll(() => page.getByTestId('unanswered-count').innerText()).toBe('0 dismissed');
    await key('f');
    await list().getByText('Dinner list').waitFor();
  });

  it('bounced mail is its own group, not counted as awaiting, and offers to copy the address', async () => {
    const sections = await list().locator('[data-testid^="section-"]').allTextContents();
    expect(sections[0]).toBe('Bounced: check the address (1)');
    const counts = await api.counts();
    expect(await page.getByTestId('unanswered-count').innerText()).toBe(`${counts.unanswered} awaiting a reply, 1 bounced`);
    expect((await api.unanswered()).filter((e) => e.status === 'awaiting').map((e) => e.subject)).not.toContain('Invoice 42');
    await select('Invoice 42');
    expect(await page.getByTestId('resend').count()).toBe(0);
    await page.getByTestId('copy-address').click();
    await toastWith('Copied sam@gone.test').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('sam@gone.test');
  });

  it('one return date: the list and the details say the same day', async () => {
    const badge = list().locator('.row').filter({ hasText: 'Harbour signs' }).locator('.badge.ooo');
    expect(await badge.innerText()).toBe('away until Mon 2 Nov');
    await select('Harbour signs');
    expect(await page.getByTestId('away-until').innerText()).toBe('until Mon 2 Nov (their auto-reply)');
  });

  it('Trust has Undo', async () => {
    await key('2');
    await page.getByTestId('junk-list').getByText('Photos from the lunch').click();
    await key('t');
    await toastWith('is trusted').waitFor();
    await expect.poll(async () => (await readPref(store, PREF_IDS.trust('erin@park.test')))?.trust).toBe('trusted');
    await toastWith('is trusted').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => readPref(store, PREF_IDS.trust('erin@park.test'))).toBeNull();
    await toastWith('no longer trusted').waitFor();
    expect(problems).toEqual([]);
  });
});
