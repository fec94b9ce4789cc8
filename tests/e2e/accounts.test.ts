// Issue 15, "the account form fits real accounts", in Chromium against Dovecot and the SMTP rig:
// a login user name apart from the address ("u1", which the form used to refuse with "'u1' is
// missing an '@'"), other addresses, a time-zone list defaulting to this computer's zone, a
// labelled country; Test connection checks IMAP and then SMTP, shows "Testing…", and names a
// protocol mismatch as such (never OpenSSL's text); an account can be edited.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDovecot, type DovecotServer } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { removeDir, tempDir } from '../integration/helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import type { AppApi } from '../../main/core/api.js';
import { ApiEvents, bindApi } from '../../main/app/index.js';
import { startServer, type RunningServer } from '../../main/serve/server.js';
import { ensureRendererBuilt, RENDERER_DIR } from '../../main/serve/index.js';
import { launchChromium, screenshot, watchConsole } from './browser.js';

describe('the account form (issue 15)', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let silent: net.Server;
  let silentPort: number;
  let store: Store;
  let api: AppApi;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const dataDir = tempDir('triage-accounts-');

  beforeAll(async () => {
    const built = ensureRendererBuilt(undefined, (l) => process.stderr.write(`${l}\n`));
    dovecot = await startDovecot();
    await dovecot.addUser('u1', 'pw-u1', 'standard');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, auth: { u1: 'pw-u1' } });
    // A port that accepts and says nothing (what a TLS port does to a plain-text client).
    silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as net.AddressInfo).port;
    store = await Store.open(dataDir);
    const events = new ApiEvents();
    api = bindApi({ service: new TriageService({ store, secrets: new EnvSecretStore({}) }), events });
    await built;
    server = await startServer({ api, events, staticDir: RENDERER_DIR });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Asia/Tokyo' });
    problems = watchConsole(page);
    await page.goto(server.url);
    await page.getByTestId('welcome-add').click();
    await page.getByTestId('add-account').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    await smtp?.close();
    await new Promise((r) => silent?.close(r));
    await dovecot?.stop();
    removeDir(dataDir);
  });

  const fill = async (fields: Record<string, string>) => {
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  };
  const step = (what: 'imap' | 'smtp' | 'account') => page.getByTestId(`connection-${what}`);
  const test = async () => {
    await page.getByTestId('test-connection').click();
    await expect.poll(() => page.getByTestId('test-connection').innerText(), { timeout: 30_000 }).toBe('Test connection');
  };

  it('has a login user name, other addresses, a time zone of this computer, a labelled country', async () => {
    expect(await page.getByLabel('Your time zone').inputValue()).toBe('Asia/Tokyo');
    expect(await page.locator('#acc-zones option[value="Europe/Berlin"]').count()).toBe(1);
    await page.getByLabel('Country (for public holidays)').selectOption('DE');
    await page.getByLabel('Provider').selectOption('custom');
    await fill({
      'Email address': 'pat@acme.test',
      'Login user name': 'u1',
      Password: 'pw-u1',
      'Other addresses': 'pat.doe@acme.test, p@acme.test',
      'IMAP server': '127.0.0.1',
      'IMAP port': String(dovecot.port),
      'SMTP server': '127.0.0.1',
      'SMTP port': String(smtp.port),
    });
    await page.getByLabel('IMAP security').selectOption('none');
    await page.getByLabel('SMTP security').selectOption('none');
  });

  it('Test connection shows its progress, then IMAP and SMTP (EHLO and AUTH) each', async () => {
    // A silent IMAP port keeps the test busy long enough to see "Testing…".
    await page.getByLabel('IMAP port').fill(String(silentPort));
    await page.getByTestId('test-connection').click();
    await expect.poll(() => page.getByTestId('test-connection').innerText()).toBe('Testing…');
    expect(await step('imap').innerText()).toBe('IMAP: Testing IMAP…');
    await screenshot(page, 'accounts-testing-light');
    await expect.poll(() => step('imap').getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    expect(await step('imap').innerText()).toBe(`IMAP: 127.0.0.1:${silentPort} sent no IMAP greeting in plain text: it may expect TLS from the start (choose TLS), or not be an IMAP server.`);
    await page.getByLabel('IMAP port').fill(String(dovecot.port));
    await test();
    expect(await step('imap').innerText()).toMatch(/^IMAP: Connected: signed in, the server shows \d+ folders\.$/);
    expect(await step('smtp').innerText()).toBe('SMTP: Connected: the server took the user name and password.');
  });

  it('a wrong SMTP port, password or security is never "Connected", and each is named', async () => {
    await page.getByLabel('SMTP port').fill(String(dovecot.port));
    await test();
    expect(await step('smtp').innerText()).toMatch(new RegExp(`^SMTP: 127\\.0\\.0\\.1:${dovecot.port} is not an SMTP server: it answered like an IMAP server \\("\\* OK .*"\\)\\. Check the port: SMTP is usually port 465 with TLS, or 587 with STARTTLS\\.$`));
    await page.getByLabel('SMTP port').fill(String(smtp.port));
    await page.getByLabel('SMTP security').selectOption('tls');
    await test();
    expect(await step('smtp').innerText()).toBe(`SMTP: 127.0.0.1:${smtp.port} does not use TLS: it answered in plain text. Choose STARTTLS for this port, or use the TLS port (usually 465).`);
    await page.getByLabel('SMTP security').selectOption('none');
    await page.getByLabel('Password').fill('wrong');
    await test();
    expect(await step('smtp').innerText()).toMatch(/^SMTP: The SMTP server 127\.0\.0\.1 refused the user name or password for u1/);
    expect(await step('imap').innerText()).toMatch(/^IMAP: Wrong user name or password for u1/);
    await page.getByLabel('Password').fill('pw-u1');
  });

  it('IMAP mismatches are named: an SMTP port, and TLS against a plain port (no OpenSSL text)', async () => {
    await page.getByLabel('IMAP port').fill(String(smtp.port));
    await test();
    expect(await step('imap').innerText()).toMatch(new RegExp(`^IMAP: 127\\.0\\.0\\.1:${smtp.port} is not an IMAP server: it answered like an SMTP \\(sending\\) server \\("220 .*"\\)\\.`));
    expect(await step('imap').innerText()).not.toMatch(/TLS handshake|Maybe should use TLS/);
    await page.getByLabel('IMAP port').fill(String(dovecot.port));
    await page.getByLabel('IMAP security').selectOption('tls');
    await test();
    expect(await step('imap').innerText()).toBe(`IMAP: 127.0.0.1:${dovecot.port} does not use TLS: it answered in plain text. Choose STARTTLS (or none, on a trusted local server) for this port, or use the TLS port (usually 993).`);
    await screenshot(page, 'accounts-mismatch-light');
    await page.getByLabel('IMAP security').selectOption('none');
  });

  it('Add takes the login "u1" (the form once refused it for a missing "@"), and the account can be edited', async () => {
    await page.getByTestId('submit-account').click();
    await page.getByTestId('account-row').waitFor({ timeout: 30_000 });
    const [a] = await api.listAccounts();
    expect(a).toMatchObject({ name: 'pat@acme.test', user: 'u1', addresses: ['pat@acme.test', 'pat.doe@acme.test', 'p@acme.test'], timeZone: 'Asia/Tokyo', country: 'DE' });
    expect(a.smtp).toMatchObject({ port: smtp.port, user: 'u1' });
    await page.getByTestId('edit-account').click();
    expect(await page.getByLabel('Login user name').inputValue()).toBe('u1');
    expect(await page.getByLabel('Other addresses').inputValue()).toBe('pat.doe@acme.test, p@acme.test');
    await page.getByLabel('Your time zone').fill('Europe/Berlin');
    await page.getByTestId('submit-account').click();
    await page.locator('.toast').filter({ hasText: 'pat@acme.test saved.' }).waitFor({ timeout: 30_000 });
    expect((await api.listAccounts())[0]).toMatchObject({ user: 'u1', timeZone: 'Europe/Berlin' });
    expect(problems).toEqual([]);
  });
});
