// Live updates (issue 12 item 1) on a real Dovecot: a reply delivered over LMTP while the app is
// idle cancels the waiting follow-up within 5 s (the figure is printed); a dropped watch
// connection comes back; IDLE is restarted on its timer; a burst of deliveries never runs two
// syncs of one account at once; and the app never holds more connections than the budget, with
// NOTIFY (Dovecot offers it) and without it (the rig's proxy hides it from the capabilities);
// `triage watch` does it in a terminal; and Cyrus (no NOTIFY) is watched by IDLE alone.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startCyrus } from '../rig/cyrus.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { startProxy, type Proxy } from '../rig/proxy.js';
import { deliverLmtp } from '../rig/lmtp.js';
import { buildMessage } from '../rig/mail.js';
import { imapClient, removeDir, runCli, spawnCli, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import { ApiEvents, bindApi, startBackground, type AppNotification, type Background } from '../../main/app/index.js';
import type { Live } from '../../main/core/live/index.js';
import type { ApiEvent } from '../../main/core/api.js';
import type { AccountConfig } from '../../main/core/model.js';

const BOB = 'bob@client.de';
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dovecot: DovecotServer;
let smtp: SmtpServer;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  dovecot = await startDovecot();
  smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort });
}, 120_000);

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  await smtp?.close();
  await dovecot?.stop();
});

/** A user whose Sent holds a week-old mail to Bob (`<n@acme.test>`), and Bob's hello in INBOX. */
async function userWithOriginal(n: string): Promise<MailUser> {
  const address = `${n}@acme.test`;
  const user = await dovecot.addUser(address, `pw-${n}`);
  const sent = new Date(Date.now() - 7 * DAY);
  await user.seed(user.folders.sent, [
    { raw: buildMessage({ from: `Pat <${address}>`, to: `Bob Maier <${BOB}>`, subject: `Topic ${n}`, date: sent, messageId: `<${n}@acme.test>` }), flags: ['\\Seen'], internalDate: sent },
  ]);
  await user.seed('INBOX', [{ raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: address, subject: 'Hello', date: new Date(Date.now() - 10 * DAY) }), flags: ['\\Seen'] }]);
  return user;
}

interface App {
  service: TriageService;
  store: Store;
  live: () => Live;
  notes: AppNotification[];
  events: ApiEvent[];
  account: AccountConfig;
}

/** The app as the desktop runs it: service, binding, background with live updates, in-process. */
async function startApp(user: MailUser, opts: { port?: number; budget?: number; restartMs?: number } = {}): Promise<App> {
  const dir = tempDir('triage-live-');
  const store = await Store.open(dir);
  const account: AccountConfig = {
    name: 'pat',
    imap: { host: '127.0.0.1', port: opts.port ?? dovecot.port, security: 'none', user: user.user },
    smtp: { host: smtp.host, port: smtp.port, security: 'none', user: user.user },
    addresses: [user.user],
    timeZone: 'Europe/London',
    country: 'GB',
    createdAt: new Date().toISOString(),
  };
  await store.saveAccount(account);
  const service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: user.password }) });
  if (opts.budget) await service.saveSettings({ connectionsPerAccount: opts.budget });
  const events = new ApiEvents();
  const seen: ApiEvent[] = [];
  events.on((e) => seen.push(e));
  const api = bindApi({ service, events });
  const notes: AppNotification[] = [];
  let live: Live | null = null;
  // The minute sender is off: only a push may cancel within the test's seconds.
  const bg: Background = startBackground({
    api,
    events,
    sendEveryMs: 3_600_000,
    notify: (n) => notes.push(n),
    live: (onNews) => (live = service.watchMail({ onNews, ...(opts.restartMs ? { restartMs: opts.restartMs } : {}), backoff: { firstMs: 300, maxMs: 3000 } })),
  });
  cleanups.push(async () => {
    await bg.stop();
    await store.close();
    removeDir(dir);
  });
  return { service, store, live: () => live!, notes, events: seen, account };
}

/** The one watched account's status once it watches (after the first sync taught it the folders). */
async function watching(app: App, paths: number) {
  await vi.waitFor(
    () => {
      const [s] = app.live().status();
      expect(s?.state).toBe('watching');
      expect(s.paths.length).toBe(paths);
    },
    { timeout: 20_000, interval: 50 },
  );
  return app.live().status()[0];
}

/** Bob's reply to `<n@acme.test>`, delivered over LMTP as his server would. */
function deliverReply(user: MailUser, n: string, subject = `Re: Topic ${n}`) {
  const raw = buildMessage({ from: `Bob Maier <${BOB}>`, to: user.user, subject, date: new Date(), inReplyTo: `<${n}@acme.test>`, references: `<${n}@acme.test>` });
  return deliverLmtp(dovecot.lmtpPort, BOB, [user.user], Buffer.from(raw));
}

/** The largest number of connections the proxy held at once while `work` ran. */
async function peakConnections<T>(proxy: Proxy, work: () => Promise<T>): Promise<{ peak: number; value: T }> {
  let peak = proxy.connections;
  const timer = setInterval(() => (peak = Math.max(peak, proxy.connections)), 2);
  try {
    const value = await work();
    return { peak: Math.max(peak, proxy.connections), value };
  } finally {
    clearInterval(timer);
  }
}

describe('live updates on Dovecot', () => {
  it('a reply delivered while the app is idle cancels the waiting follow-up in under 5 s, within a budget of 2 connections', async () => {
    const user = await userWithOriginal('live1');
    const proxy = await startProxy(dovecot.port);
    cleanups.push(() => proxy.close());
    const app = await startApp(user, { port: proxy.port });
    // NOTIFY: one connection covers Inbox, Junk and Sent.
    const s = await watching(app, 3);
    expect(s).toMatchObject({ notify: true, connections: 1 });
    const [entry] = await app.service.unanswered();
    expect(entry.messageId).toBe('live1@acme.test');
    // Held two hours: it cannot go during the test, whatever Bob's window.
    const [queued] = await app.service.resend(entry.id, { hold: 120 });
    expect(queued.state).toBe('scheduled');
    await sleep(500); // idle: nothing runs
    const changedBefore = app.events.filter((e) => e.type === 'changed').length;

    const { peak, value: ms } = await peakConnections(proxy, async () => {
      const t0 = performance.now();
      const lmtp = await deliverReply(user, 'live1');
      expect([...lmtp.replies.values()][0].code).toBe(250);
      await vi.waitFor(async () => expect((await app.service.queue()).find((q) => q.id === queued.id)?.state).toBe('cancelled'), { timeout: 10_000, interval: 20 });
      return performance.now() - t0;
    });
    console.log(`live: reply delivered (LMTP) → follow-up cancelled in ${ms.toFixed(0)} ms (peak ${peak} IMAP connections, budget 2)`);
    expect(ms).toBeLessThan(5000);
    expect(peak).toBeLessThanOrEqual(2);
    const cancelled = (await app.service.queue()).find((q) => q.id === queued.id)!;
    expect(cancelled.statusReason).toMatch(/^reply from bob@client\.de/);
    // The lists changed (the app's event), and the user is told once.
    await vi.waitFor(() => expect(app.notes.map((n) => n.kind)).toContain('cancelled'));
    expect(app.notes.filter((n) => n.kind === 'cancelled')).toEqual([expect.objectContaining({ count: 1, ids: [queued.id], title: 'They replied: follow-up cancelled' })]);
    expect(app.events.filter((e) => e.type === 'changed').length).toBeGreaterThan(changedBefore);
    expect(await app.service.unanswered()).toEqual([]);
  }, 60_000);

  it('a dropped watch connection is opened again, and news after it still arrives', async () => {
    const user = await userWithOriginal('live2');
    const proxy = await startProxy(dovecot.port);
    cleanups.push(() => proxy.close());
    const app = await startApp(user, { port: proxy.port });
    await watching(app, 3);
    const acceptedBefore = proxy.accepted;
    proxy.cutAll(); // a TCP RST on every connection, as a NAT timeout gives
    await vi.waitFor(() => expect(app.live().status()[0]).toMatchObject({ state: 'watching', connects: 2 }), { timeout: 15_000, interval: 50 });
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    const t0 = performance.now();
    await deliverReply(user, 'live2');
    await vi.waitFor(async () => expect(await app.service.unanswered()).toEqual([]), { timeout: 10_000, interval: 50 });
    console.log(`live: after a cut, the reply was synced ${(performance.now() - t0).toFixed(0)} ms after delivery`);
  }, 60_000);

  it('without NOTIFY and a budget of 3: Inbox and Junk each in IDLE (2 watch connections); with 2 only the Inbox', async () => {
    const user = await userWithOriginal('live3');
    // The proxy hides NOTIFY from the capabilities: a server without RFC 5465.
    const proxy = await startProxy(dovecot.port, { fromServer: (c) => Buffer.from(c.toString('latin1').replace(/ NOTIFY(?=[ \]\r])/g, ''), 'latin1') });
    cleanups.push(() => proxy.close());
    const app = await startApp(user, { port: proxy.port, budget: 3 });
    const s = await watching(app, 2);
    expect(s).toMatchObject({ notify: false, connections: 2, paths: ['INBOX', user.folders.junk] });
    // Another client files a known contact's mail into Junk: the Junk connection sees it.
    const writer = await imapClient(dovecot, user);
    const { peak } = await peakConnections(proxy, async () => {
      await writer.append(user.folders.junk, buildMessage({ from: `Bob Maier <${BOB}>`, to: user.user, subject: 'Invoice', date: new Date() }));
      await vi.waitFor(async () => expect((await app.service.junk()).map((j) => j.subject)).toContain('Invoice'), { timeout: 10_000, interval: 50 });
    });
    await writer.logout();
    expect(peak).toBeLessThanOrEqual(3);
    await vi.waitFor(() => expect(app.notes.map((n) => n.kind)).toContain('junk'));

    await app.service.saveSettings({ connectionsPerAccount: 2 });
    await app.live().refresh();
    const two = await watching(app, 1);
    expect(two).toMatchObject({ notify: false, connections: 1, paths: ['INBOX'] });
    await vi.waitFor(() => expect(proxy.connections).toBe(1));

    await app.service.saveSettings({ connectionsPerAccount: 1 });
    await app.live().refresh();
    expect(app.live().status()).toEqual([]);
    await vi.waitFor(() => expect(proxy.connections).toBe(0));
  }, 60_000);

  it('IDLE is restarted on its timer, and a restarted watch still reports', async () => {
    const user = await userWithOriginal('live4');
    const app = await startApp(user, { restartMs: 700 });
    await watching(app, 3);
    await vi.waitFor(() => expect(app.live().status()[0].restarts).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 100 });
    expect(app.live().status()[0].connects).toBe(1); // restarts, not reconnects
    await deliverReply(user, 'live4');
    await vi.waitFor(async () => expect(await app.service.unanswered()).toEqual([]), { timeout: 5000, interval: 50 });
  }, 60_000);
});

describe('live news and the sync lock', () => {
  it('a burst of 12 deliveries: never two syncs of the account at once, fewer syncs than mails, every mail stored', async () => {
    const user = await userWithOriginal('live5');
    const dir = tempDir('triage-live-');
    const store = await Store.open(dir);
    const account: AccountConfig = { name: 'pat', imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: user.user }, addresses: [user.user], createdAt: new Date().toISOString() };
    await store.saveAccount(account);
    const service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: user.password }) });
    await service.sync();
    let running = 0;
    let most = 0;
    let syncs = 0;
    const live = service.watchMail({
      onNews: async (name) => {
        running += 1;
        most = Math.max(most, running);
        syncs += 1;
        try {
          await service.sync({ account: name });
          await sleep(150); // a slow sync: news keeps coming meanwhile
        } finally {
          running -= 1;
        }
      },
    });
    cleanups.push(async () => {
      await live.stop();
      await store.close();
      removeDir(dir);
    });
    await vi.waitFor(() => expect(live.status()[0]?.state).toBe('watching'), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(running).toBe(0));
    const before = syncs;
    // The poll's sync at the same time: the runner keeps it one at a time with the pushes'.
    const poll = service.sync();
    for (let i = 0; i < 12; i++) {
      await deliverLmtp(dovecot.lmtpPort, BOB, [user.user], Buffer.from(buildMessage({ from: `Bob Maier <${BOB}>`, to: user.user, subject: `Burst ${i}`, date: new Date() })));
    }
    await poll;
    await vi.waitFor(async () => expect((await service.status())[0].folders.find((f) => f.role === 'inbox')?.messages).toBe(13), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(running).toBe(0));
    expect(most).toBe(1);
    expect(syncs - before).toBeGreaterThanOrEqual(1);
    expect(syncs - before).toBeLessThan(12);
  }, 60_000);
});

describe('triage watch', () => {
  it('in a terminal: a reply delivered while it watches cancels the follow-up and prints one line saying so; Ctrl-C ends it (exit 0)', async () => {
    const user = await userWithOriginal('live6');
    const dir = tempDir('triage-live-cli-');
    cleanups.push(() => removeDir(dir));
    const store = await Store.open(dir);
    await store.saveAccount({ name: 'pat', imap: { host: '127.0.0.1', port: dovecot.port, security: 'none', user: user.user }, smtp: { host: smtp.host, port: smtp.port, security: 'none', user: user.user }, addresses: [user.user], timeZone: 'Europe/London', country: 'GB', createdAt: new Date().toISOString() });
    await store.close();
    const env = { TRIAGE_PASSWORD_PAT: user.password };
    expect((await runCli(['--data-dir', dir, 'sync'], env)).code).toBe(0);
    const [entry] = JSON.parse((await runCli(['--data-dir', dir, 'unanswered', '--json'], env)).stdout) as { id: string }[];
    const queued = await runCli(['--data-dir', dir, 'resend', entry.id, '--hold', '120', '--json'], env);
    expect(queued.code).toBe(0);
    const child = spawnCli(['--data-dir', dir, 'watch'], env);
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await vi.waitFor(() => expect(err).toMatch(/Live updates for pat: watching INBOX, Junk, Sent \(NOTIFY\) on 1 connection\./), { timeout: 30_000, interval: 50 });
    await sleep(1000); // idle
    const t0 = performance.now();
    await deliverReply(user, 'live6');
    await vi.waitFor(() => expect(out).toMatch(/They replied: follow-up cancelled: bob@client\.de answered “Re: Topic live6”/), { timeout: 10_000, interval: 20 });
    console.log(`triage watch: reply delivered → "follow-up cancelled" printed in ${(performance.now() - t0).toFixed(0)} ms`);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const q = JSON.parse((await runCli(['--data-dir', dir, 'queue', '--json'], env)).stdout) as { state: string; statusReason: string }[];
    expect(q).toEqual([expect.objectContaining({ state: 'cancelled', statusReason: expect.stringMatching(/^reply from bob@client\.de/) })]);
  }, 120_000);
});

describe('live updates on Cyrus', () => {
  it('another server: whatever it offers (IDLE, NOTIFY or not), a delivered reply is synced within seconds', async () => {
    const cyrus = await startCyrus();
    cleanups.push(() => cyrus.stop());
    const address = 'pat@example.com';
    const user = await cyrus.addUser(address, 'pat-secret');
    const sent = new Date(Date.now() - 7 * DAY);
    await user.seed(user.folders.sent, [{ raw: buildMessage({ from: `Pat <${address}>`, to: `Bob Maier <${BOB}>`, subject: 'Topic cy1', date: sent, messageId: '<cy1@acme.test>' }), flags: ['\\Seen'], internalDate: sent }]);
    const dir = tempDir('triage-live-cyrus-');
    const store = await Store.open(dir);
    await store.saveAccount({ name: 'pat', imap: { host: '127.0.0.1', port: cyrus.port, security: 'none', user: address }, addresses: [address], createdAt: new Date().toISOString() });
    const service = new TriageService({ store, secrets: new EnvSecretStore({ TRIAGE_PASSWORD_PAT: 'pat-secret' }) });
    await service.sync();
    expect((await service.unanswered()).map((e) => e.messageId)).toEqual(['cy1@acme.test']);
    const live = service.watchMail({ onNews: async (name) => void (await service.sync({ account: name })) });
    cleanups.push(async () => {
      await live.stop();
      await store.close();
      removeDir(dir);
    });
    await vi.waitFor(() => expect(live.status()[0]?.state).toBe('watching'), { timeout: 15_000, interval: 50 });
    const s = live.status()[0];
    console.log(`live on Cyrus: watching ${s.paths.join(', ')} (NOTIFY ${s.notify ? 'yes' : 'no'}) on ${s.connections} connection(s)`);
    // Budget 2: one watch connection; without NOTIFY it can only cover the Inbox.
    expect(s.connections).toBe(1);
    if (!s.notify) expect(s.paths).toEqual(['INBOX']);
    await sleep(500);
    const t0 = performance.now();
    const raw = buildMessage({ from: `Bob Maier <${BOB}>`, to: address, subject: 'Re: Topic cy1', date: new Date(), inReplyTo: '<cy1@acme.test>', references: '<cy1@acme.test>' });
    await deliverLmtp(cyrus.lmtpPort, BOB, [address], Buffer.from(raw));
    await vi.waitFor(async () => expect(await service.unanswered()).toEqual([]), { timeout: 10_000, interval: 50 });
    const ms = performance.now() - t0;
    console.log(`live on Cyrus: reply delivered → synced (no longer unanswered) in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  }, 120_000);
});
