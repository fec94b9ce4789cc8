// OAuth2 accounts end to end, with real servers on loopback: the rig's authorization server, Dovecot
// logging users in through its oauth2 passdb (OAUTHBEARER/XOAUTH2, tokens checked by introspection),
// and the SMTP rig taking XOAUTH2 and delivering into Dovecot. Through the service, as the app
// and the CLI use it:
//   - an account added by a browser sign-in (the rig's `browse` plays the browser);
//   - sync and rescue with a token; a token that expires in the middle of a sync is refreshed and
//     the sync completes (the proxy cuts the session, Dovecot refuses the old token at the new login);
//   - a follow-up sent with a token; a token the SMTP server refuses is refreshed once;
//   - a revoked refresh token: the account must sign in again, told once, its sync paused, its
//     follow-up still queued (not failed, not sent), nothing lost; signing in again resumes all;
//   - an XOAUTH2-only server: sync through XOAUTH2, and the connection test's "OAuth2 only".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import { startDovecot, type DovecotServer, type MailUser } from '../rig/dovecot.js';
import { startSmtp, type SmtpServer } from '../rig/smtp.js';
import { startOAuth, type OAuthServer } from '../rig/oauth.js';
import { startProxy, type Proxy } from '../rig/proxy.js';
import { buildMessage } from '../rig/mail.js';
import { imapClient, removeDir, tempDir } from './helpers.js';
import { Store } from '../../main/core/store/store.js';
import { EnvSecretStore } from '../../main/core/deps/secrets.js';
import { TriageService } from '../../main/core/service.js';
import type { ApiEvent, SyncProgress } from '../../main/core/api.js';
import { ApiEvents, bindApi, invoke, signInRequiredEvents } from '../../main/app/index.js';

const PAT = 'pat@acme.test';
const BOB = 'bob@client.de';
const NOW = '2026-12-01T10:00:00Z'; // Tuesday, 11:00 in Berlin (Bob's zone, from his +0100 mail and .de)
const FILLER = 1200; // INBOX messages: enough for a progress report in the middle of the fetch
const AUTH_PASS = 'mx.acme.test; spf=pass smtp.mailfrom=client.de; dkim=pass header.d=client.de; dmarc=pass header.from=client.de';

const sentTo = (n: string, subject: string) => ({
  raw: buildMessage({ from: `Pat Lee <${PAT}>`, to: `Bob Maier <${BOB}>`, subject, date: new Date('2026-11-25T10:00:00Z'), messageId: `<${n}@acme.test>`, body: `About ${subject}: could you confirm by Friday?\n` }),
  flags: ['\\Seen'],
  internalDate: new Date('2026-11-25T10:00:00Z'),
});

/** The mechanisms of the user's logins so far, as Dovecot logged them. */
function loginMethods(dovecot: DovecotServer, user: string): string[] {
  return readFileSync(join(dovecot.dir, 'dovecot.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes(`Login: user=<${user}>`))
    .map((l) => /method=([A-Z0-9-]+)/.exec(l)?.[1] ?? '?');
}

async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
}

async function countById(client: ImapFlow, folder: string, messageId: string): Promise<number> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop();
    const uids = await client.search({ header: { 'message-id': `<${messageId}>` } }, { uid: true });
    return uids ? uids.length : 0;
  } finally {
    lock.release();
  }
}

describe('an OAuth2 account on Dovecot (oauth2 passdb) and the SMTP rig (XOAUTH2)', () => {
  let oauth: OAuthServer;
  let dovecot: DovecotServer;
  let smtp: SmtpServer;
  let proxy: Proxy;
  let pat: MailUser;
  let bobImap: ImapFlow;
  let store: Store;
  let service: TriageService;
  const dir = tempDir('triage-oauth-');
  const told: string[] = [];
  /** What the apps get (main/app): events, as the desktop app and `triage serve` wire them. */
  const events = new ApiEvents();
  const seen: ApiEvent[] = [];
  events.on((e) => seen.push(e));
  /** Runs once at the next progress report that matches (the test's hand in the middle of a sync). */
  let onProgress: ((p: SyncProgress) => boolean) | null = null;
  const refreshes = () => oauth.events.filter((e) => e.type === 'token' && e.grant === 'refresh_token');
  const grant = async () => (await service.tokens.vault.get('pat'))!;

  beforeAll(async () => {
    oauth = await startOAuth();
    dovecot = await startDovecot({ oauth2: oauth });
    pat = await dovecot.addUser(PAT, 'pw-pat');
    const bob = await dovecot.addUser(BOB, 'pw-bob');
    smtp = await startSmtp({ lmtpPort: dovecot.lmtpPort, oauth2: oauth });
    proxy = await startProxy(dovecot.port);
    await pat.seed('Sent', [sentTo('o1', 'Budget 2026'), sentTo('o2', 'Workshop dates'), sentTo('o3', 'Invoice 17'), sentTo('o4', 'Venue'), sentTo('j0', 'Contract')]);
    await pat.seed('INBOX', [
      { raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Hello', date: 'Tue, 10 Nov 2026 09:12:00 +0100' }), flags: ['\\Seen'] },
      ...Array.from({ length: FILLER }, (_, i) => ({ raw: buildMessage({ from: `news${i % 7}@letters.test`, to: PAT, subject: `Letter ${i}`, date: new Date(Date.UTC(2026, 9, 1 + (i % 28), 8)) }) })),
    ]);
    await pat.seed('Junk', [
      { raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Re: Contract', date: new Date('2026-11-26T09:00:00Z'), messageId: '<bob-re-j0@client.de>', inReplyTo: '<j0@acme.test>', references: '<j0@acme.test>', headers: { 'Authentication-Results': AUTH_PASS } }) },
    ]);
    bobImap = await imapClient(dovecot, bob);
    store = await Store.open(dir);
    service = new TriageService({
      store,
      // No password anywhere: the account signs in with tokens only.
      secrets: new EnvSecretStore({}),
      env: { TRIAGE_OAUTH_GOOGLE_ISSUER: oauth.issuer, TRIAGE_OAUTH_GOOGLE_CLIENT_ID: oauth.clientId },
      onSignInRequired: (account, message) => {
        told.push(`${account}: ${message}`);
        signInRequiredEvents(events)(account, message);
      },
      onProgress: (p) => {
        if (onProgress?.(p)) onProgress = null;
      },
      witnessGraceMs: 1500,
    });
  }, 120_000);

  afterAll(async () => {
    await bobImap?.logout().catch(() => undefined);
    await store?.close();
    await proxy?.close();
    await smtp?.close();
    await dovecot?.stop();
    await oauth?.stop();
    removeDir(dir);
  });

  it('adds the account by a browser sign-in: no password, the token tried on the IMAP server first (OAUTHBEARER)', async () => {
    const start = await service.startSignIn({
      account: {
        name: 'pat',
        imap: { user: PAT, host: '127.0.0.1', port: proxy.port, security: 'none' },
        smtp: { host: smtp.host, port: smtp.port, security: 'none' },
        addresses: [PAT],
        timeZone: 'Europe/London',
        country: 'GB',
        oauth: { provider: 'google' },
      },
    });
    expect(start).toMatchObject({ provider: 'google', opened: false, redirectUri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
    const seen = loginMethods(dovecot, PAT).length;
    await oauth.browse(start.url, { user: PAT });
    const result = await service.finishSignIn(start.flowId);
    expect(result).toMatchObject({ outcome: 'added', provider: 'google', account: { name: 'pat', auth: 'oauth2', provider: 'google', tokenState: 'valid' } });
    await eventually(() => loginMethods(dovecot, PAT).length > seen);
    expect(loginMethods(dovecot, PAT).slice(seen)).toEqual(['OAUTHBEARER']);

    const [listed] = await service.listAccounts();
    expect(listed).toMatchObject({ name: 'pat', user: PAT, auth: 'oauth2', provider: 'google', tokenState: 'valid', signInMessage: null });
    const saved = (await store.getAccount('pat'))!;
    expect(saved.auth).toEqual({ method: 'oauth2', provider: 'google', clientId: oauth.clientId });
    // The refresh token is in the vault, never in the store's files.
    expect(JSON.stringify(saved)).not.toContain((await grant()).refreshToken);
  });

  it('syncs with the token; a token expiring in the middle of the sync is refreshed once and the sync completes, nothing twice', async () => {
    const refreshesBefore = refreshes().length;
    const acceptedBefore = proxy.accepted;
    const loginsBefore = loginMethods(dovecot, PAT).length;
    let cut = false;
    onProgress = (p) => {
      if (p.phase !== 'new' || p.folder !== 'INBOX' || p.done < 250) return false;
      // The token runs out at the server, and the session ends (as a server may end a session
      // whose token expired; Dovecot itself checks only at login).
      oauth.expireAccessTokensOf(PAT);
      proxy.cutAll();
      cut = true;
      return true;
    };
    const [summary] = await service.sync({ account: 'pat' });
    expect(cut).toBe(true);
    expect(summary.error).toBeUndefined();
    const inbox = summary.folders.find((f) => f.folder === 'INBOX')!;
    expect(inbox.error).toBeUndefined();
    // One refresh: the reconnect with the old token was refused, the renewed one taken.
    expect(refreshes().length).toBe(refreshesBefore + 1);
    expect(proxy.accepted - acceptedBefore).toBeGreaterThanOrEqual(3);
    const status = await service.status();
    const folder = status[0].folders.find((f) => f.path === 'INBOX')!;
    expect(folder.messages).toBe(FILLER + 1);
    expect(folder.serverMessages).toBe(FILLER + 1);
    const log = await store.messages('pat');
    expect(log.size).toBe(FILLER + 1 + 5 + 1);
    await eventually(() => loginMethods(dovecot, PAT).length >= loginsBefore + 2);
    expect(new Set(loginMethods(dovecot, PAT).slice(loginsBefore))).toEqual(new Set(['OAUTHBEARER']));
  });

  it('rescues a known contact’s mail from Junk over a token login', async () => {
    const junk = await service.junk({ now: NOW });
    const bobs = junk.find((j) => j.messageId === 'bob-re-j0@client.de');
    expect(bobs).toMatchObject({ verdict: 'rescue' });
    const r = await service.rescue(bobs!.id);
    expect(r.folder).toBe('INBOX');
    const client = await service.account('pat');
    expect(client.signInRequired).toBeUndefined();
  });

  it('sends a follow-up with a token (XOAUTH2): it arrives in Bob’s INBOX once', async () => {
    const [queued] = await service.resend('<o1@acme.test>', { now: NOW });
    const authsBefore = smtp.auths.length;
    const results = await service.sendDue({ now: NOW });
    expect(results.find((r) => r.id === queued.id)).toMatchObject({ action: 'sent', status: 'sent' });
    expect(smtp.auths.slice(authsBefore)).toEqual([{ method: 'XOAUTH2', user: PAT, ok: true }]);
    expect(await countById(bobImap, 'INBOX', queued.messageId)).toBe(1);
  });

  it('a token the SMTP server refuses is refreshed once, and the follow-up goes out', async () => {
    const [queued] = await service.resend('<o2@acme.test>', { now: NOW });
    const refreshesBefore = refreshes().length;
    const authsBefore = smtp.auths.length;
    // After send-due's look for replies, before its SMTP transaction: the held token dies.
    onProgress = (p) => (p.phase === 'done' ? (oauth.expireAccessTokensOf(PAT), true) : false);
    const results = await service.sendDue({ now: NOW });
    expect(results.find((r) => r.id === queued.id)).toMatchObject({ action: 'sent' });
    expect(smtp.auths.slice(authsBefore).map((a) => a.ok)).toEqual([false, true]);
    expect(refreshes().length).toBe(refreshesBefore + 1);
    expect(await countById(bobImap, 'INBOX', queued.messageId)).toBe(1);
  });

  it('a revoked refresh token: the follow-up stays queued, the account must sign in again (told once), its sync pauses, nothing is lost', async () => {
    const [queued] = await service.resend('<o3@acme.test>', { now: NOW });
    const { refreshToken } = await grant();
    const received = smtp.received.length;
    const messages = (await store.messages('pat')).size;
    onProgress = (p) => {
      if (p.phase !== 'done') return false;
      oauth.expireAccessTokensOf(PAT);
      oauth.revokeRefreshToken(refreshToken);
      return true;
    };
    const results = await service.sendDue({ now: NOW });
    const mine = results.find((r) => r.id === queued.id)!;
    expect(mine).toMatchObject({ action: 'deferred', status: 'scheduled', state: 'scheduled' });
    expect(mine.actionText).toMatch(/sign in again/);
    expect(smtp.received.length).toBe(received);
    expect(await countById(bobImap, 'INBOX', queued.messageId)).toBe(0);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^pat: Google no longer accepts the saved sign-in of pat \(invalid_grant: Token has been expired or revoked\.\)/);

    // send-due's look for replies ran before the SMTP refusal (it copied the last follow-up's Sent copy).
    const afterLook = (await store.messages('pat')).size;
    expect(afterLook).toBeGreaterThanOrEqual(messages);
    const [listed] = await service.listAccounts();
    expect(listed).toMatchObject({ tokenState: 'sign-in-again', signInMessage: expect.stringContaining('its sync is paused') });
    // The sync pauses: refused at once, without asking the provider again, and not told again.
    const eventsBefore = oauth.events.length;
    await expect(service.sync({ account: 'pat' })).rejects.toMatchObject({ code: 'sign-in-required' });
    const later = await service.sendDue({ now: NOW });
    expect(later.find((r) => r.id === queued.id)).toMatchObject({ action: 'deferred', status: 'scheduled' });
    expect(oauth.events.length).toBe(eventsBefore);
    expect(told).toHaveLength(1);
    // The app is told once: one event, one notice.
    expect(seen.filter((e) => e.type === 'sign-in-required')).toEqual([{ type: 'sign-in-required', account: 'pat', message: told[0].slice('pat: '.length) }]);
    expect(seen.filter((e) => e.type === 'notice' && e.level === 'error')).toHaveLength(1);
    // Nothing lost: the store and the queue are as they were.
    expect((await store.messages('pat')).size).toBe(afterLook);
    expect((await service.queue()).find((q) => q.id === queued.id)).toMatchObject({ status: 'scheduled', attempts: 0 });
  });

  it('signing in again (through the apps’ API, as the Accounts view will) clears it: sync and the waiting follow-up go on', async () => {
    const api = bindApi({ service, events });
    const started = await invoke(api, 'startSignIn', [{ signInAgain: 'pat' }]);
    if (!('result' in started)) throw new Error(started.error.message);
    const start = started.result as { flowId: string; url: string; opened: boolean };
    expect(start.opened).toBe(false); // no system browser here: `triage serve` hands the URL to the page
    await oauth.browse(start.url, { user: PAT });
    expect(await api.finishSignIn(start.flowId)).toMatchObject({ outcome: 'signed-in-again', account: { tokenState: 'valid', signInMessage: null } });
    await eventually(() => seen.some((e) => e.type === 'sign-in'));
    expect(seen.find((e) => e.type === 'sign-in')).toEqual({ type: 'sign-in', flowId: start.flowId, ok: true, account: 'pat', message: 'pat is signed in again.' });
    const at = seen.findIndex((e) => e.type === 'sign-in');
    await eventually(() => seen.slice(at).some((e) => e.type === 'changed' && e.what.includes('accounts')));
    expect(seen.slice(at).some((e) => e.type === 'changed' && e.what.includes('accounts'))).toBe(true);
    expect((await store.getAccount('pat'))!.signInRequired).toBeUndefined();
    const [summary] = await service.sync({ account: 'pat' });
    expect(summary.error).toBeUndefined();
    const results = await service.sendDue({ now: NOW });
    const sent = results.filter((r) => r.action === 'sent');
    expect(sent).toHaveLength(1);
    expect(await countById(bobImap, 'INBOX', sent[0].messageId)).toBe(1);
    expect(told).toHaveLength(1);
  });

  it('a sign-in as another user than the account’s is refused by the IMAP server, and nothing is saved', async () => {
    const start = await service.startSignIn({
      account: { name: 'other', imap: { user: PAT, host: '127.0.0.1', port: dovecot.port, security: 'none' }, oauth: { provider: 'google' } },
    });
    await oauth.browse(start.url, { user: BOB });
    await expect(service.finishSignIn(start.flowId)).rejects.toMatchObject({ code: 'auth-failed', message: expect.stringContaining(`the account chosen in the browser may not be ${PAT}`) });
    expect(await store.getAccount('other')).toBeNull();
    expect(await service.tokens.vault.get('other')).toBeNull();
  });
});

describe('an XOAUTH2-only server', () => {
  let oauth: OAuthServer;
  let dovecot: DovecotServer;
  let plain: DovecotServer;
  let store: Store;
  let service: TriageService;
  const dir = tempDir('triage-oauth-xo-');

  beforeAll(async () => {
    oauth = await startOAuth();
    [dovecot, plain] = await Promise.all([startDovecot({ oauth2: { ...oauth, passwords: false, mechanisms: ['xoauth2'] } }), startDovecot()]);
    const pat = await dovecot.addUser(PAT, 'unused');
    await plain.addUser(PAT, 'pw-pat');
    await pat.seed('INBOX', [{ raw: buildMessage({ from: `Bob Maier <${BOB}>`, to: PAT, subject: 'Hello', date: new Date('2026-11-10T09:00:00Z') }) }]);
    store = await Store.open(dir);
    service = new TriageService({ store, secrets: new EnvSecretStore({}), env: { TRIAGE_OAUTH_GOOGLE_ISSUER: oauth.issuer, TRIAGE_OAUTH_GOOGLE_CLIENT_ID: oauth.clientId } });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await Promise.all([dovecot?.stop(), plain?.stop()]);
    await oauth?.stop();
    removeDir(dir);
  });

  it('the connection test with a password says "this server accepts only OAuth2 sign-in"', async () => {
    const input = { name: 'pw', imap: { host: '127.0.0.1', port: dovecot.port, security: 'none' as const, user: PAT }, password: 'unused' };
    await expect(service.testConnection(input)).rejects.toMatchObject({
      code: 'oauth-required',
      message: expect.stringContaining('127.0.0.1 accepts only OAuth2 sign-in (it offers AUTH=XOAUTH2 and no password login): a password cannot work there.'),
    });
    await expect(service.addAccount(input)).rejects.toMatchObject({ code: 'oauth-required' });
    expect(await store.getAccount('pw')).toBeNull();
  });

  it('checkServer reads the capabilities before any password is asked for', async () => {
    expect(await service.checkServer({ host: '127.0.0.1', port: dovecot.port, security: 'none' })).toMatchObject({
      mechanisms: ['XOAUTH2'],
      passwordLogin: false,
      oauth2: true,
      oauthOnly: true,
      message: expect.stringContaining('accepts only OAuth2 sign-in'),
    });
    // A password server (security found by probing) is not called OAuth2-only.
    expect(await service.checkServer({ host: '127.0.0.1', port: plain.port })).toMatchObject({ security: 'none', passwordLogin: true, oauth2: false, oauthOnly: false, mechanisms: ['PLAIN', 'LOGIN'] });
  });

  it('an OAuth2 account there signs in and syncs through XOAUTH2', async () => {
    const start = await service.startSignIn({ account: { name: 'xo', imap: { user: PAT, host: '127.0.0.1', port: dovecot.port, security: 'none' }, oauth: { provider: 'google' } } });
    await oauth.browse(start.url, { user: PAT });
    await service.finishSignIn(start.flowId);
    const [summary] = await service.sync({ account: 'xo' });
    expect(summary.folders.find((f) => f.folder === 'INBOX')).toMatchObject({ added: 1 });
    await eventually(() => loginMethods(dovecot, PAT).length >= 2);
    expect(new Set(loginMethods(dovecot, PAT))).toEqual(new Set(['XOAUTH2']));
  });
});
