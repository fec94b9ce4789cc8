// The first rows of the Unanswered list (`unansweredHead`, issue 13): the first `limit` entries of
// each group exactly as `unanswered()` gives them (order, follow-up marks), and the whole list's
// counts, so the app can draw a first screen and say the right count before the whole list has
// come. On the sample mailbox (bounced and awaiting mail, a queued follow-up) and on lists made up
// here for the edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnansweredEntry } from '../../../main/core/api.js';
import { Store } from '../../../main/core/store/store.js';
import { EnvSecretStore } from '../../../main/core/deps/secrets.js';
import { TriageService } from '../../../main/core/service.js';
import { mailboxLoader } from '../../../main/core/store/index.js';
import { AnalysisCache, HEAD_LIMIT, headOf, unansweredList, type TriageDeps } from '../../../main/core/triage/index.js';

const NOW = '2026-11-20T10:00:00Z';
let dir: string;
let store: Store;
let service: TriageService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'triage-head-'));
  store = await Store.open(dir);
  service = new TriageService({ store, secrets: new EnvSecretStore({}), now: () => new Date(NOW) });
  await service.loadDemo();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (id: string, status: UnansweredEntry['status']) => ({ id, status }) as UnansweredEntry;

describe('unansweredHead', () => {
  it('is the first rows of each group of the whole list, marks included, with the whole counts', async () => {
    const awaitingOne = (await service.unanswered()).find((e) => e.status === 'awaiting')!;
    await service.resend(awaitingOne.id, { now: NOW }); // a follow-up mark on a row
    const whole = await service.unanswered();
    const bounced = whole.filter((e) => e.status === 'bounced');
    const awaiting = whole.filter((e) => e.status === 'awaiting');
    expect(bounced.length).toBeGreaterThan(0);
    expect(awaiting.length).toBeGreaterThan(2);
    expect(whole.some((e) => e.followUp)).toBe(true);
    for (const limit of [1, 2, 1000]) {
      const head = await service.unansweredHead({ limit });
      expect(head).toEqual({ bounced: bounced.slice(0, limit), awaiting: awaiting.slice(0, limit), bouncedTotal: bounced.length, awaitingTotal: awaiting.length });
    }
    const counts = await service.counts();
    const head = await service.unansweredHead();
    expect([head.awaitingTotal, head.bouncedTotal]).toEqual([counts.unanswered, counts.bounced]);
  });

  it(`takes ${HEAD_LIMIT} of each group by default, in the list's order, however the groups interleave`, () => {
    const list = Array.from({ length: 3 * HEAD_LIMIT }, (_, i) => entry(`e${i}`, i % 3 === 0 ? 'bounced' : 'awaiting'));
    const head = headOf(list);
    expect(head.bouncedTotal).toBe(HEAD_LIMIT);
    expect(head.awaitingTotal).toBe(2 * HEAD_LIMIT);
    expect(head.bounced.map((e) => e.id)).toEqual(list.filter((e) => e.status === 'bounced').map((e) => e.id));
    expect(head.awaiting.map((e) => e.id)).toEqual(list.filter((e) => e.status === 'awaiting').slice(0, HEAD_LIMIT).map((e) => e.id));
    expect(headOf([], 5)).toEqual({ bounced: [], awaiting: [], bouncedTotal: 0, awaitingTotal: 0 });
  });
});

describe('the list from the core, asked for again', () => {
  it('is made once per minute of the live clock (counts, first rows and the whole list come within a second)', async () => {
    let clock = new Date(NOW);
    const deps: TriageDeps = { store, mailboxes: mailboxLoader(store), now: () => clock, cache: new AnalysisCache(), defaultTimeZone: 'Europe/Berlin' };
    const first = await unansweredList(deps);
    const analyses = deps.cache.runs.unanswered;
    clock = new Date(Date.parse(NOW) + 30_000);
    expect(await unansweredList(deps)).toBe(first);
    clock = new Date(Date.parse(NOW) + 3_600_000); // an hour on: the ages moved
    const later = await unansweredList(deps);
    expect(later).not.toBe(first);
    expect(later.map((e) => e.ageHours)).toEqual(first.map((e) => Math.round((e.ageHours + 1) * 10) / 10));
    // Another minimum age, or a caller's instant, is its own list.
    expect(await unansweredList(deps, { minAgeHours: 0 })).not.toBe(later);
    const at = new Date(Date.parse(NOW) + 7_200_000).toISOString();
    expect((await unansweredList(deps, { now: at })).map((e) => e.ageHours)).toEqual(first.map((e) => Math.round((e.ageHours + 2) * 10) / 10));
    expect(deps.cache.runs.unanswered).toBe(analyses); // one core for all of them
  });
});
