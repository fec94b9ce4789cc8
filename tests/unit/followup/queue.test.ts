// The queue's pure parts: what send-due does with a due entry (late sends, holding, cancelling),
// the per-conversation cap, what a conversation says, and the contract's JSON shape.
import { describe, expect, it } from 'vitest';
import { QUEUE_CONTRACT_FIELDS, capCount, conversationKeyOf, followUpsOf, queueJson, readFollowUp, sortForDisplay, type FollowUpStatus } from '../../../main/core/followup/queue.js';
import { analyseMailbox, inspectConversation, type ConversationState } from '../../../main/core/followup/conversation-state.js';
import { decideDue, type DecideDueInput } from '../../../main/core/followup/decide.js';
import type { UnansweredEntry } from '../../../main/core/api.js';
import { PAT, budgetThread, entry, mail, mailbox } from './queue-fixtures.js';

const quiet: DecideDueInput['conversation'] = { answer: null, wroteAgain: null, unanswered: null };

describe('decideDue: late sends and the window at send time', () => {
  // Berlin, CET (+01:00) until 29 Mar 2026. Working days Mon–Fri, 09:00–17:00.
  const cases: { name: string; scheduledAt: string; now: string; action: string; at?: string; reason?: RegExp }[] = [
    { name: 'not yet due', scheduledAt: '2026-03-10T09:00:00+01:00', now: '2026-03-10T07:59:00Z', action: 'wait' },
    { name: 'due and inside the window', scheduledAt: '2026-03-10T09:00:00+01:00', now: '2026-03-10T08:00:00Z', action: 'send' },
    { name: 'a little late, still inside the window', scheduledAt: '2026-03-10T09:00:00+01:00', now: '2026-03-10T14:30:00Z', action: 'send' },
    // ARCHITECTURE "Late sends": a Friday 16:00 follow-up found on Sunday night goes Monday 09:00.
    { name: 'Friday 16:00 found Sunday night → Monday 09:00', scheduledAt: '2026-03-06T16:00:00+01:00', now: '2026-03-08T22:00:00Z', action: 'reschedule', at: '2026-03-09T09:00:00+01:00', reason: /window was closed at send time/ },
    { name: 'found at 3 a.m. their time → 09:00, never at once', scheduledAt: '2026-03-10T16:30:00+01:00', now: '2026-03-11T02:00:00Z', action: 'reschedule', at: '2026-03-11T09:00:00+01:00' },
    { name: 'found in the evening → next morning', scheduledAt: '2026-03-10T16:30:00+01:00', now: '2026-03-10T18:00:00Z', action: 'reschedule', at: '2026-03-11T09:00:00+01:00' },
    { name: 'Good Friday (3 Apr) is no working day in DE', scheduledAt: '2026-04-02T16:00:00+02:00', now: '2026-04-03T08:00:00Z', action: 'reschedule', at: '2026-04-07T09:00:00+02:00' },
    // 2 business days late exactly: still sent (the rule is "more than 2").
    { name: 'exactly 2 business days late, inside the window: sent', scheduledAt: '2026-03-09T10:00:00+01:00', now: '2026-03-11T09:00:00Z', action: 'send' },
    { name: 'more than 2 business days late: held', scheduledAt: '2026-03-09T10:00:00+01:00', now: '2026-03-12T11:00:00Z', action: 'hold', reason: /3\.3 of the recipient's business days late.*: send it anyway, or cancel it$/ },
    { name: 'a week late over a weekend: held', scheduledAt: '2026-03-06T10:00:00+01:00', now: '2026-03-13T10:00:00Z', action: 'hold' },
    { name: 'late by a weekend only: not held', scheduledAt: '2026-03-06T16:30:00+01:00', now: '2026-03-09T08:15:00Z', action: 'send' },
  ];
  it.each(cases)('$name', ({ scheduledAt, now, action, at, reason }) => {
    const d = decideDue({ entry: entry({ scheduledAt }), now: new Date(now), conversation: quiet });
    expect(d.action).toBe(action);
    if (at && d.action === 'reschedule') expect(d.at.local).toBe(at);
    if (reason && 'reason' in d) expect(d.reason).toMatch(reason);
  });

  it('checks the window with the entry’s own hours and country (Saudi weekend Fri–Sat)', () => {
    const e = entry({ recipientTimeZone: 'Asia/Riyadh', country: 'SA', scheduledAt: '2026-03-12T16:30:00+03:00', hours: { start: '08:00', end: '16:00' } });
    // Thursday 16:30 Riyadh is after 16:00; Friday and Saturday are the weekend → Sunday 08:00.
    const d = decideDue({ entry: e, now: new Date('2026-03-12T13:30:00Z'), conversation: quiet });
    expect(d).toMatchObject({ action: 'reschedule' });
    if (d.action === 'reschedule') expect(d.at.local).toBe('2026-03-15T08:00:00+03:00');
  });
});

describe('decideDue: cancellation rules', () => {
  const now = new Date('2026-03-10T10:00:00Z');
  const unanswered = (over: Partial<UnansweredEntry>): UnansweredEntry => ({
    id: 'x',
    account: 'work',
    messageId: 'q1@acme.test',
    subject: 's',
    to: ['bob@client.de'],
    sentAt: '',
    status: 'awaiting',
    ageHours: 1,
    awaitingFrom: ['bob@client.de'],
    outOfOfficeUntil: null,
    threadSize: 1,
    lastActivityAt: '',
    ...over,
  });

  it('a reply cancels, naming who and when', () => {
    const d = decideDue({ entry: entry(), now, conversation: { ...quiet, answer: { from: 'bob@client.de', at: '2026-03-09T15:00:00Z' } } });
    expect(d).toEqual({ action: 'cancel', reason: 'reply from bob@client.de on 2026-03-09' });
  });
  it('a reply cancels even when the entry is late or the window is closed', () => {
    const d = decideDue({ entry: entry({ scheduledAt: '2026-03-01T10:00:00+01:00' }), now, conversation: { ...quiet, answer: { from: 'carla@client.de', at: '2026-03-02T09:00:00Z' } } });
    expect(d.action).toBe('cancel');
  });
  it('the user writing again by hand cancels', () => {
    const d = decideDue({ entry: entry(), now, conversation: { ...quiet, wroteAgain: { at: '2026-03-09T11:00:00Z', messageId: 'm@acme.test' } } });
    expect(d).toEqual({ action: 'cancel', reason: 'you wrote again in the conversation on 2026-03-09' });
  });
  it('a bounce of the recipient cancels; a bounce of someone else in Cc does not', () => {
    const bounced = decideDue({ entry: entry(), now, conversation: { ...quiet, unanswered: unanswered({ status: 'bounced', bouncedRecipients: ['bob@client.de'] }) } });
    expect(bounced).toEqual({ action: 'cancel', reason: 'bounced (bob@client.de)' });
    const unknown = decideDue({ entry: entry(), now, conversation: { ...quiet, unanswered: unanswered({ status: 'bounced' }) } });
    expect(unknown).toEqual({ action: 'cancel', reason: 'bounced' });
    const other = decideDue({ entry: entry({ cc: ['carla@client.de'] }), now, conversation: { ...quiet, unanswered: unanswered({ status: 'bounced', bouncedRecipients: ['carla@client.de'] }) } });
    expect(other.action).toBe('send');
  });
  it('an out-of-office return date moves it to the first window after the return, and is no answer', () => {
    const d = decideDue({ entry: entry(), now, conversation: { ...quiet, unanswered: unanswered({ outOfOfficeUntil: '2026-03-16' }) } });
    expect(d.action).toBe('reschedule');
    if (d.action === 'reschedule') {
      expect(d.at.local).toBe('2026-03-16T09:00:00+01:00');
      expect(d.at.rule).toBe('out-of-office');
    }
    const past = decideDue({ entry: entry(), now, conversation: { ...quiet, unanswered: unanswered({ outOfOfficeUntil: '2026-03-01' }) } });
    expect(past.action).toBe('send');
  });
  it('an original that left the mailbox cancels', () => {
    expect(decideDue({ entry: entry(), now, conversation: null })).toMatchObject({ action: 'cancel' });
  });
});

describe('the per-conversation cap', () => {
  const statuses: FollowUpStatus[] = ['scheduled', 'sending', 'sent', 'failed', 'held', 'cancelled'];
  it('counts sent and still-to-send follow-ups, not cancelled ones', () => {
    const all = statuses.map((status, i) => entry({ id: `f${i}`, status }));
    expect(capCount(all)).toBe(5);
    expect(capCount(all.filter((e) => e.status === 'cancelled'))).toBe(0);
  });
  it('finds a conversation’s follow-ups by root, by the original and by its own Message-ID', () => {
    const a = entry({ id: 'a', conversationKey: 'root@client.de' });
    const b = entry({ id: 'b', conversationKey: 'other@x', originalMessageId: 'q1@acme.test' });
    const c = entry({ id: 'c', conversationKey: 'other@x', originalMessageId: 'zz@x', messageId: 'sent-fu@acme.test' });
    const d = entry({ id: 'd', conversationKey: 'elsewhere@x', originalMessageId: 'e@x', messageId: 'e2@x' });
    const found = followUpsOf([a, b, c, d], { key: 'root@client.de', messageIds: new Set(['q1@acme.test', 'sent-fu@acme.test']) });
    expect(found.map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
  it('the key of a follow-up of a follow-up is the same root', () => {
    const original = { references: [], inReplyTo: null, messageId: 'q1@acme.test' };
    const followUp = { references: ['q1@acme.test'], inReplyTo: 'q1@acme.test', messageId: 'fu@acme.test' };
    expect(conversationKeyOf(original)).toBe(conversationKeyOf(followUp));
  });
});

describe('inspectConversation', () => {
  const now = new Date('2026-03-10T10:00:00Z');
  const q1 = () => budgetThread().find((r) => r.messageId === 'q1@acme.test')!;

  function inspect(extra: Parameters<typeof mail>[0][], anchor?: 'record' | 'latest-sent'): ConversationState {
    const records = [...budgetThread(), ...extra.map(mail)];
    return inspectConversation({ analysis: analyseMailbox(mailbox(records), now), recordId: q1()._id, anchor })!;
  }

  it('no answer yet: awaiting, with the thread key and the latest sent mail', () => {
    const s = inspect([]);
    expect(s.answer).toBeNull();
    expect(s.unanswered).toMatchObject({ id: q1()._id, status: 'awaiting' });
    expect(s.key).toBe('root@client.de');
    expect(s.latestSent?.messageId).toBe('q1@acme.test');
  });
  it('a reply that landed in Junk is an answer', () => {
    const s = inspect([{ id: 'r1@client.de', from: 'Bob <bob@client.de>', to: PAT, subject: 'Re: Budget 2026', date: 'Mon, 09 Mar 2026 15:00:00 +0100', irt: 'q1@acme.test', refs: ['root@client.de', 'q1@acme.test'], folder: 'Junk' }]);
    expect(s.answer).toEqual({ from: 'bob@client.de', at: '2026-03-09T14:00:00.000Z' });
    expect(s.unanswered).toBeNull();
  });
  it('a reply from Carla (Cc) answers too', () => {
    const s = inspect([{ id: 'r2@client.de', from: 'carla@client.de', to: PAT, subject: 'Re: Budget 2026', date: 'Mon, 09 Mar 2026 15:00:00 +0100', irt: 'q1@acme.test' }]);
    expect(s.answer?.from).toBe('carla@client.de');
  });
  it('an auto-reply is no answer; its return date (from the body sync keeps) pauses', () => {
    const ooo = mail({ id: 'ooo@client.de', from: 'bob@client.de', to: PAT, subject: 'Automatic reply: Budget 2026', date: 'Thu, 05 Mar 2026 11:01:00 +0100', irt: 'q1@acme.test', headers: ['Auto-Submitted: auto-replied'] });
    const bodies = new Map([[ooo._id, 'Content-Type: text/plain\r\n\r\nI am out of the office until 16 March 2026.\r\n']]);
    const s = inspectConversation({ analysis: analyseMailbox(mailbox([...budgetThread(), ooo]), now, bodies), recordId: q1()._id })!;
    expect(s.answer).toBeNull();
    expect(s.unanswered).toMatchObject({ status: 'awaiting', outOfOfficeUntil: '2026-03-16' });
  });
  it('a bounce is no answer: the entry says bounced', () => {
    const s = inspect([
      { id: 'dsn@mx.client.de', from: 'Mail Delivery System <MAILER-DAEMON@mx.client.de>', to: PAT, subject: 'Undelivered Mail Returned to Sender', date: 'Thu, 05 Mar 2026 10:01:00 +0100', irt: 'q1@acme.test' },
    ]);
    expect(s.answer).toBeNull();
    expect(s.unanswered?.status).toBe('bounced');
  });
  it('an older reply does not answer a later mail, and the user writing again is seen', () => {
    const s = inspect(
      [{ id: 'pat-again@acme.test', from: PAT, to: 'bob@client.de', subject: 'Re: Budget 2026', date: 'Mon, 09 Mar 2026 09:00:00 +0000', irt: 'q1@acme.test', folder: 'Sent' }],
      'record',
    );
    expect(s.wroteAgain).toEqual({ at: '2026-03-09T09:00:00.000Z', messageId: 'pat-again@acme.test' });
    expect(s.answer).toBeNull();
  });
  it('our own sent follow-up is not "wrote again", and makes it the latest sent mail', () => {
    const records = [...budgetThread(), mail({ id: 'fu1@acme.test', from: PAT, to: 'bob@client.de', subject: 'Re: Budget 2026', date: 'Mon, 09 Mar 2026 09:00:00 +0000', irt: 'q1@acme.test', refs: ['root@client.de', 'q1@acme.test'], folder: 'Sent' })];
    const s = inspectConversation({ analysis: analyseMailbox(mailbox(records), now), recordId: q1()._id, anchor: 'record', ours: new Set(['fu1@acme.test']) })!;
    expect(s.wroteAgain).toBeNull();
    expect(s.latestSent?.messageId).toBe('fu1@acme.test');
    expect(s.unanswered?.messageId).toBe('fu1@acme.test');
  });
});

describe('the queue JSON (contract shape)', () => {
  it('has the contract fields with their types, the extra fields, and no internals', () => {
    const json = queueJson(entry({ raw: 'From: x\r\n\r\nbody', phase: null }));
    const keys = Object.keys(json);
    expect(keys.slice(0, QUEUE_CONTRACT_FIELDS.length)).toEqual([...QUEUE_CONTRACT_FIELDS]);
    expect(json).not.toHaveProperty('raw');
    expect(json).not.toHaveProperty('_id');
    expect(json).toMatchObject({
      id: 'f000000001',
      account: 'work',
      originalMessageId: 'q1@acme.test',
      to: ['bob@client.de'],
      recipientTimeZone: 'Europe/Berlin',
      status: 'scheduled',
      messageId: 'x.1.triage@acme.test',
      timeZoneSource: 'date-offsets+cctld',
    });
    expect(json.scheduledAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
  it('lists waiting ones first by time, then the history newest first', () => {
    const list = sortForDisplay([
      entry({ id: 'sent-old', status: 'sent', sentAt: '2026-03-01T10:00:00Z' }),
      entry({ id: 'late', status: 'scheduled', scheduledAt: '2026-03-12T09:00:00+01:00' }),
      entry({ id: 'held', status: 'held', scheduledAt: '2026-03-02T09:00:00+01:00' }),
      entry({ id: 'sent-new', status: 'sent', sentAt: '2026-03-05T10:00:00Z' }),
      entry({ id: 'soon', status: 'scheduled', scheduledAt: '2026-03-10T09:00:00+01:00' }),
    ]);
    expect(list.map((e) => e.id)).toEqual(['held', 'soon', 'late', 'sent-new', 'sent-old']);
  });
  it('refuses stored documents that lost a field, naming it', () => {
    const { messageId: _drop, ...broken } = entry();
    expect(readFollowUp(broken as never)).toEqual({ problem: 'queue entry f000000001: field "messageId" is missing or not text' });
    expect(readFollowUp({ ...entry(), status: 'lost' } as never)).toEqual({ problem: 'queue entry f000000001: unknown status "lost"' });
    expect(readFollowUp({ ...entry(), scheduledAt: 'soon' } as never)).toEqual({ problem: 'queue entry f000000001: field "scheduledAt" is not a date' });
  });
});
