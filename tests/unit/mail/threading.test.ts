import { mailRecord, type MailSpec } from '../support/mail-record.js';
import { describe, expect, it } from 'vitest';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { conversations, refersTo, threadRecords } from '../../../main/core/mail/threading.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { rec, USER_ADDRESSES } from '../../fixtures/eml/fixtures.js';

const own = new Set(USER_ADDRESSES);

/** Defaults: to the user, from the test account's INBOX. */
const m = (o: Omit<MailSpec, 'to'> & { to?: string }): MessageRecord => mailRecord({ to: 'pat@acme.example', ...o, account: 'test', body: 'x' });

function sameConversation(records: MessageRecord[], a: number, b: number): boolean {
  const t = threadRecords(records, { own });
  return t.conversationOf[a] === t.conversationOf[b];
}

describe('threading by ids (JWZ-style)', () => {
  it('In-Reply-To, References, and siblings through a ghost parent that is not in the store', () => {
    const records = [
      m({ id: 'a@x.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000' }),
      m({ id: 'b@x.example', from: 'bob@partner.example', subject: 'Re: Plan', date: 'Mon, 17 Nov 2025 10:00:00 +0000', irt: 'a@x.example' }),
      m({ id: 'c@x.example', from: 'carol@partner.example', subject: 'Re: Plan', date: 'Mon, 17 Nov 2025 11:00:00 +0000', refs: ['ghost@x.example'] }),
      m({ id: 'd@x.example', from: 'dan@partner.example', subject: 'Totally different', date: 'Mon, 17 Nov 2025 12:00:00 +0000', refs: ['ghost@x.example'] }),
      m({ id: 'e@x.example', from: 'eve@elsewhere.example', subject: 'Unrelated', date: 'Mon, 17 Nov 2025 12:00:00 +0000' }),
    ];
    const t = threadRecords(records, { own });
    expect(t.conversationOf[0]).toBe(t.conversationOf[1]);
    expect(t.parentOf[1]).toBe(0);
    expect(t.conversationOf[2]).toBe(t.conversationOf[3]); // both name the same missing parent
    expect(t.conversationOf[4]).not.toBe(t.conversationOf[0]);
    expect(conversations(t).size).toBe(3);
    expect(refersTo(records[1], 'a@x.example')).toBe(true);
  });

  it('ignores ids without "@" (git-send-email\'s "In-Reply-To: <yes>" would join every patch)', () => {
    const records = [
      m({ id: 'p1@x.example', from: 'joe@perches.example', subject: '[PATCH 1/2] a', date: 'Mon, 17 Nov 2025 09:00:00 +0000', irt: 'yes' }),
      m({ id: 'p2@x.example', from: 'joe@perches.example', subject: '[PATCH 2/2] b', date: 'Mon, 17 Nov 2025 09:00:01 +0000', irt: 'yes' }),
    ];
    expect(sameConversation(records, 0, 1)).toBe(false);
  });

  it('a 2 MB References header is cut by the record and threads in linear time', () => {
    const chain = Array.from({ length: 40_000 }, (_, i) => `<ref-${i}-${'z'.repeat(30)}@huge.example>`).join(' ');
    expect(chain.length).toBeGreaterThan(2_000_000);
    const raw = `From: bob@partner.example\r\nTo: pat@acme.example\r\nSubject: Re: long thread\r\nDate: Tue, 18 Nov 2025 10:00:00 +0000\r\nMessage-ID: <huge@partner.example>\r\nReferences: ${chain}\r\n\r\nx`;
    const big = recordFromEml(raw);
    expect(big.references.length).toBe(200);
    const last = m({ id: `ref-39999-${'z'.repeat(30)}@huge.example`, from: 'pat@acme.example', to: 'bob@partner.example', subject: 'long thread', date: 'Mon, 17 Nov 2025 10:00:00 +0000' });
    const t0 = performance.now();
    expect(sameConversation([last, big], 0, 1)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('the same Message-ID twice is one mail', () => {
    const a = m({ id: 'same@x.example', from: 'bob@partner.example', subject: 'Hi', date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    expect(sameConversation([a, { ...a }], 0, 1)).toBe(true);
  });
});

describe('threading fallback: subject + participants + time', () => {
  it('an Outlook reply without threading headers joins the mail it answers', () => {
    const records = [rec('sent-q3-budget.eml', 'Sent'), rec('reply-outlook-no-references.eml')];
    const t = threadRecords(records, { own });
    expect(t.conversationOf[1]).toBe(t.conversationOf[0]);
    expect(t.joinedBySubject[1]).toBe(1);
  });

  it('RFC 2047-encoded "AW: AW:" subjects join after decoding', () => {
    expect(sameConversation([rec('sent-angebot.eml', 'Sent'), rec('subject-rfc2047-encoded.eml')], 0, 1)).toBe(true);
  });

  it('a generic subject from someone who was not a participant never joins', () => {
    expect(sameConversation([rec('sent-meeting.eml', 'Sent'), rec('generic-subject-non-participant.eml')], 0, 1)).toBe(false);
  });

  it('a reply older than the conversation does not join it (time order)', () => {
    const sent = m({ id: 's@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Plan', date: 'Tue, 18 Nov 2025 09:00:00 +0000' });
    const earlier = m({ id: 'r@partner.example', from: 'bob@partner.example', subject: 'RE: Plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    expect(sameConversation([sent, earlier], 0, 1)).toBe(false);
  });

  it('a reply months after the conversation went quiet starts anew', () => {
    const sent = m({ id: 's@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Plan', date: 'Mon, 17 Mar 2025 09:00:00 +0000' });
    const late = m({ id: 'r@partner.example', from: 'bob@partner.example', subject: 'RE: Plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    expect(sameConversation([sent, late], 0, 1)).toBe(false);
  });

  it('a new mail without a reply prefix never joins an old conversation by subject', () => {
    const old = m({ id: 'o@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Meeting', date: 'Mon, 10 Nov 2025 09:00:00 +0000' });
    const fresh = m({ id: 'f@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Meeting', date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    expect(sameConversation([old, fresh], 0, 1)).toBe(false);
  });

  it.each([
    ['Hi', 'RE: Hi'],
    ['Vendor contract (fwd)', 'Re: Vendor contract'],
    ['Budget  2026 ', 'AW:  Budget 2026'],
    ['Réunion équipe', 'RE: RÉUNION ÉQUIPE'],
  ])('%j is answered by %j without threading headers', (subject, replySubject) => {
    const sent = m({ id: 's@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject, date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    const reply = m({ id: 'r@partner.example', from: 'bob@partner.example', subject: replySubject, date: 'Mon, 17 Nov 2025 10:00:00 +0000' });
    const other = m({ id: 'o@partner.example', from: 'bob@partner.example', subject: 'Something else', date: 'Mon, 17 Nov 2025 08:00:00 +0000' });
    expect(sameConversation([other, sent, reply], 1, 2)).toBe(true);
    expect(sameConversation([other, sent, reply], 0, 2)).toBe(false);
  });

  it('a list post answering a thread the list took part in joins it', () => {
    const sent = m({ id: 's@acme.example', from: 'pat@acme.example', to: 'dev@lists.example, bob@partner.example', subject: 'Release plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000' });
    const viaList = recordFromEml(
      'From: Stranger <stranger@far.example>\r\nTo: dev@lists.example\r\nSubject: Re: Release plan\r\nDate: Mon, 17 Nov 2025 11:00:00 +0000\r\nMessage-ID: <l@far.example>\r\nList-Id: <dev.lists.example>\r\nList-Post: <mailto:dev@lists.example>\r\n\r\nx',
    );
    expect(sameConversation([sent, viaList], 0, 1)).toBe(true);
  });

  it('an auto-reply, a read receipt and a calendar reply join by subject when their sender took part', () => {
    const records = [
      rec('sent-q3-budget.eml', 'Sent'),
      rec('read-receipt.eml'),
      rec('sent-invitation-project-sync.eml', 'Sent'),
      rec('calendar-accepted.eml'),
    ];
    const t = threadRecords(records, { own });
    expect(t.conversationOf[1]).toBe(t.conversationOf[0]);
    expect(t.conversationOf[3]).toBe(t.conversationOf[2]);
    expect(t.conversationOf[2]).not.toBe(t.conversationOf[0]);
  });
});
