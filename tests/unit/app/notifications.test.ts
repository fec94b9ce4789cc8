// Which desktop notifications a change raises (issue 12 item 6): sent, cancelled because they
// replied, held because late, a known contact in Junk; one per kind at most, so the first sync of
// a large mailbox raises one notification, not hundreds. Pure: two looks in, notifications out.
import { describe, expect, it } from 'vitest';
import { notificationsFor, type NotifySnapshot } from '../../../main/app/notifications.js';
import type { FollowUpState } from '../../../main/core/api.js';

const q = (id: string, state: FollowUpState, over: Partial<NotifySnapshot['queue'][number]> = {}) => ({ id, account: 'work', state, to: ['bob@client.de'], subject: `Topic ${id}`, ...over });
const j = (id: string, verdict: 'rescue' | 'suspicious' = 'rescue', over: Partial<NotifySnapshot['junk'][number]> = {}) => ({ id, account: 'work', verdict, from: `Anna <anna${id}@acme.com>`, subject: `Invoice ${id}`, ...over });
const look = (queue: NotifySnapshot['queue'] = [], junk: NotifySnapshot['junk'] = []): NotifySnapshot => ({ queue, junk });

describe('notificationsFor', () => {
  it('the first look since the app started is no news, whatever is there', () => {
    expect(notificationsFor({ before: null, after: look([q('f1', 'sent')], [j('m1')]), enabled: true })).toEqual([]);
  });

  it('one of each kind: sent, cancelled by a reply, held, found in Junk', () => {
    const before = look([q('f1', 'scheduled'), q('f2', 'scheduled'), q('f3', 'scheduled')], []);
    const after = look([q('f1', 'sent'), q('f2', 'cancelled', { statusReason: 'reply from bob@client.de on 2026-03-12' }), q('f3', 'held', { statusReason: '3.0 of the recipient’s business days late' })], [j('m1')]);
    expect(notificationsFor({ before, after, enabled: true })).toEqual([
      { kind: 'sent', count: 1, ids: ['f1'], title: 'Follow-up sent', body: 'To bob@client.de: “Topic f1”' },
      { kind: 'cancelled', count: 1, ids: ['f2'], title: 'They replied: follow-up cancelled', body: 'bob@client.de answered “Topic f2”; the follow-up will not be sent.' },
      { kind: 'held', count: 1, ids: ['f3'], title: 'Late follow-up held for you', body: 'To bob@client.de: “Topic f3” is late. Send it or cancel it in the queue.' },
      { kind: 'junk', count: 1, ids: ['m1'], title: 'A known contact’s mail was in Junk', body: 'Anna <annam1@acme.com>: “Invoice m1”' },
    ]);
  });

  it('a first sync of a large mailbox: 400 known contacts in Junk make one notification', () => {
    const junk = Array.from({ length: 400 }, (_, i) => j(`m${i}`));
    const out = notificationsFor({ before: look(), after: look([], junk), enabled: true });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'junk', count: 400, title: '400 mails from known contacts in Junk' });
    expect(out[0].body).toBe('From Anna <annam0@acme.com>, Anna <annam1@acme.com>, Anna <annam2@acme.com> and 397 more. Rescue them from the Junk view.');
    expect(out[0].ids).toHaveLength(400);
  });

  it('many follow-ups at once: one per kind, names listed once', () => {
    const before = look(Array.from({ length: 5 }, (_, i) => q(`f${i}`, 'scheduled', { to: [i % 2 ? 'bob@client.de' : 'eve@client.fr'] })));
    const after = look(before.queue.map((e) => ({ ...e, state: 'sent' as const })));
    expect(notificationsFor({ before, after, enabled: true })).toEqual([
      { kind: 'sent', count: 5, ids: ['f0', 'f1', 'f2', 'f3', 'f4'], title: '5 follow-ups sent', body: 'To eve@client.fr, bob@client.de.' },
    ]);
  });

  it('only changes: what was already sent, cancelled or held, or already in Junk, is not news again', () => {
    const same = look([q('f1', 'sent'), q('f2', 'cancelled', { statusReason: 'reply from bob@client.de on 2026-03-12' }), q('f3', 'held')], [j('m1')]);
    expect(notificationsFor({ before: same, after: same, enabled: true })).toEqual([]);
  });

  it('a cancel that is not a reply (the user, a bounce, the user wrote again) raises nothing', () => {
    const before = look([q('f1', 'scheduled'), q('f2', 'scheduled'), q('f3', 'scheduled')]);
    const after = look([q('f1', 'cancelled', { statusReason: 'cancelled by you' }), q('f2', 'cancelled', { statusReason: 'bounced (bob@client.de)' }), q('f3', 'cancelled', { statusReason: 'you wrote again in the conversation on 2026-03-12' })]);
    expect(notificationsFor({ before, after, enabled: true })).toEqual([]);
  });

  it('a follow-up queued and sent between two looks is news; a suspicious mail or one that was listed as suspicious is not', () => {
    const before = look([], [j('m1', 'suspicious')]);
    const after = look([q('f9', 'sent')], [j('m1', 'rescue'), j('m2', 'suspicious')]);
    expect(notificationsFor({ before, after, enabled: true }).map((n) => [n.kind, n.ids])).toEqual([['sent', ['f9']]]);
  });

  it('the setting off: nothing; the sample mailbox: nothing', () => {
    const before = look([q('f1', 'scheduled')]);
    const after = look([q('f1', 'sent')], [j('m1')]);
    expect(notificationsFor({ before, after, enabled: false })).toEqual([]);
    const demo = look([q('f1', 'sent', { account: 'sample' })], [j('m1', 'rescue', { account: 'sample' })]);
    expect(notificationsFor({ before: look([q('f1', 'scheduled', { account: 'sample' })]), after: demo, enabled: true, demoAccounts: new Set(['sample']) })).toEqual([]);
  });

  it('long subjects are cut, blank ones named', () => {
    const long = 'x'.repeat(300);
    const [n] = notificationsFor({ before: look([q('f1', 'scheduled', { subject: long })]), after: look([q('f1', 'sent', { subject: long })]), enabled: true });
    expect(n.body).toBe(`To bob@client.de: “${'x'.repeat(79)}…”`);
    const [blank] = notificationsFor({ before: look(), after: look([], [j('m1', 'rescue', { subject: '  ' })]), enabled: true });
    expect(blank.body).toBe('Anna <annam1@acme.com>: “(no subject)”');
  });
});
