// The lists from their clock-free core (triage/snapshot.ts, kept on disk by store/snapshot-file.ts)
// against the whole analysis from scratch, as the lists were computed before: the same JSON, on
// the .eml fixtures, the Junk fixtures' five accounts and a synthetic store from the bench's
// generator, at several clocks, minimum ages and with --due; and a second process (a new cache)
// reads the snapshot without loading a record, until anything the analyses read changes.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store, mailboxLoader, type Mailbox } from '../../../main/core/store/index.js';
import { AnalysisCache, junkFromScratch, junkList, unansweredFromScratch, unansweredList, dismiss, type TriageDeps } from '../../../main/core/triage/index.js';
import { horizonOf } from '../../../main/core/triage/snapshot.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { foldersFromRoles } from '../../../main/core/store/mailbox.js';
import { writePref, PREF_IDS } from '../../../main/core/store/prefs.js';
import { rec, workAccount, STANDARD_ROLES } from '../../fixtures/eml/fixtures.js';
import { fixtureMailboxes } from '../support/junk-mailboxes.js';
import { generateMailbox, USER } from '../../../bench/corpus.js';
import { removeDir, tempDir } from '../../integration/helpers.js';

const HOUR = 3_600_000;
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  dirs.splice(0).forEach(removeDir);
});

/** A store holding these mailboxes (accounts, folders, records), as sync leaves one. */
async function storeOf(mailboxes: Mailbox[]): Promise<Store> {
  const dir = tempDir('triage-snapshot-');
  dirs.push(dir);
  const store = await Store.open(dir);
  stores.push(store);
  for (const mb of mailboxes) {
    await store.saveAccount(mb.account);
    for (const f of mb.folders) await store.saveFolder(f);
    await (await store.messages(mb.account.name)).put(mb.messages);
  }
  return store;
}

function depsOf(store: Store): TriageDeps {
  return { store, mailboxes: mailboxLoader(store), now: () => new Date(), cache: new AnalysisCache(), defaultTimeZone: 'Europe/Berlin' };
}

const json = (x: unknown) => JSON.stringify(x, null, 1);

/** Core and scratch agree at clocks from the horizon on, for every minimum age, with and without --due. */
async function expectSameLists(store: Store, horizon: string): Promise<number> {
  const deps = depsOf(store);
  const scratch = depsOf(store);
  let compared = 0;
  for (const later of [0, 1, 30, 24 * 9, 24 * 400]) {
    const now = new Date(Date.parse(horizon) + later * HOUR);
    for (const minAgeHours of [0, 24, 72]) {
      const fresh = await unansweredFromScratch(scratch, { minAgeHours }, now);
      expect(json(await unansweredList(deps, { now: now.toISOString(), minAgeHours })), `${now.toISOString()} min-age ${minAgeHours}`).toBe(json(fresh));
      expect(json(await unansweredList(deps, { now: now.toISOString(), minAgeHours, due: true }))).toBe(json(fresh.filter((e) => e.due === true)));
      compared += fresh.length;
    }
    expect(json(await junkList(deps, { now: now.toISOString() }))).toBe(json(await junkFromScratch(scratch, now)));
  }
  // All of it from one analysis of each list (the cores), none from scratch.
  expect(deps.cache.runs).toEqual({ unanswered: 1, junk: 1 });
  return compared;
}

function emlMailbox(): Mailbox {
  const dir = new URL('../../fixtures/eml/', import.meta.url);
  const messages = readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .map((f) => rec(f, f.startsWith('sent-') ? 'Sent' : f.includes('in-junk') ? 'Junk' : 'INBOX'));
  return { account: workAccount(), folders: foldersFromRoles('work', STANDARD_ROLES), messages };
}

function syntheticMailbox(total: number): Mailbox {
  const account = { ...workAccount([USER]), name: 'bench', timeZone: 'Europe/London', country: 'GB' };
  const uids: Record<string, number> = {};
  const messages = [];
  for (const m of generateMailbox(total, 7)) {
    uids[m.folder] = (uids[m.folder] ?? 0) + 1;
    messages.push(recordFromEml(m.raw, { account: 'bench', folder: m.folder, uid: uids[m.folder], flags: m.flags, internalDate: m.internalDate }));
  }
  return { account, folders: foldersFromRoles('bench', { INBOX: 'inbox', Sent: 'sent', Junk: 'junk', Archive: 'archive' }), messages };
}

describe('the lists from their clock-free core equal the analysis from scratch', () => {
  it('on the .eml fixtures', async () => {
    const mb = emlMailbox();
    expect(await expectSameLists(await storeOf([mb]), horizonOf([mb]))).toBeGreaterThan(0);
  });

  it("on the Junk fixtures' five accounts, with a contact's settings and a trusted domain", async () => {
    const boxes = fixtureMailboxes();
    const store = await storeOf(boxes);
    await writePref(store, { _id: PREF_IDS.trust('brightwave.io'), kind: 'trust', target: 'brightwave.io', trust: 'trusted' });
    await expectSameLists(store, horizonOf(boxes));
  });

  it('on a synthetic store of 20,000 messages (the bench generator; the bench compares 100k)', async () => {
    const mb = syntheticMailbox(20_000);
    const store = await storeOf([mb]);
    await dismiss(store, mb.messages.find((r) => r.locations[0].folder === 'Sent')!._id, new Date('2026-11-02T00:00:00Z'));
    expect(await expectSameLists(store, horizonOf([mb]))).toBeGreaterThan(1000);
  }, 120_000);

  it('a replay before the latest mail is analysed from scratch, as before', async () => {
    const mb = emlMailbox();
    const store = await storeOf([mb]);
    const deps = depsOf(store);
    const before = new Date(Date.parse(horizonOf([mb])) - 48 * HOUR);
    const fresh = await unansweredFromScratch(depsOf(store), { minAgeHours: 24 }, before);
    expect(json(await unansweredList(deps, { now: before.toISOString(), minAgeHours: 24 }))).toBe(json(fresh));
    expect(json(await junkList(deps, { now: before.toISOString() }))).toBe(json(await junkFromScratch(depsOf(store), before)));
    // Analysed once each, from scratch: no core is analysed for a clock it cannot answer (mail
    // dated in the future would otherwise cost every command two analyses).
    expect(deps.cache.runs).toEqual({ unanswered: 1, junk: 1 });
  });
});

describe('the snapshot on disk', () => {
  it('is read by the next process without loading a record, until the store changes', async () => {
    const mb = emlMailbox();
    const store = await storeOf([mb]);
    const now = new Date(Date.parse(horizonOf([mb])) + 48 * HOUR).toISOString();
    const first = await unansweredList(depsOf(store), { now, minAgeHours: 24 });
    const firstJunk = await junkList(depsOf(store), { now });

    // Another process: a store object of its own, nothing loaded. (Snapshots are written per
    // build; running from the sources, the build is this process's, so the same process reads.)
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    const again = await Store.open(store.dir);
    stores.push(again);
    const opened: string[] = [];
    const messages = again.messages.bind(again);
    again.messages = (name: string) => (opened.push(name), messages(name));
    const deps = depsOf(again);
    expect(json(await unansweredList(deps, { now, minAgeHours: 24 }))).toBe(json(first));
    expect(json(await junkList(deps, { now }))).toBe(json(firstJunk));
    expect(opened).toEqual([]);
    expect(deps.cache.runs).toEqual({ unanswered: 0, junk: 0 });

    // A dismissal (prefs) and a new record (the log) each make the snapshot stale.
    await dismiss(again, first[0].id, new Date(now));
    const afterDismiss = await unansweredList(depsOf(again), { now, minAgeHours: 24 });
    expect(afterDismiss.map((e) => e.id)).not.toContain(first[0].id);
    const reply = { ...rec('reply-outlook-no-references.eml'), _id: 'new-reply-1', messageId: 'new-reply-1@partner.example' };
    await (await again.messages('work')).put([reply]);
    const deps2 = depsOf(again);
    const afterReply = await unansweredList(deps2, { now, minAgeHours: 24 });
    expect(deps2.cache.runs.unanswered).toBe(1);
    expect(json(afterReply)).toBe(json(await unansweredFromScratch(depsOf(again), { minAgeHours: 24 }, new Date(now))));
  });
});
