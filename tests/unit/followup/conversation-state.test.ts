// A follow-up is cancelled by an answer; a forgery reusing the followed-up mail's own Message-ID
// (a separate record: copies that differ are different messages, model.ts) is not one.
import { describe, expect, it } from 'vitest';
import { recordIds } from '../../../main/core/mail/record.js';
import { analyseMailbox, inspectConversation } from '../../../main/core/followup/conversation-state.js';
import { mailbox } from '../../fixtures/eml/fixtures.js';
import { mailRecord } from '../support/mail-record.js';

const sent = mailRecord({ id: 'ask@acme.example', from: 'Pat <pat@acme.example>', to: 'carl@vendor.example', subject: 'Delivery date?', date: 'Mon, 2 Nov 2026 09:00:00 +0100', folder: 'Sent', uid: 1 });
const twin = (() => {
  const r = mailRecord({ id: 'ask@acme.example', from: 'carl@vendor-payments.example', to: 'pat@acme.example', subject: 'Delivery date?', date: 'Tue, 3 Nov 2026 09:00:00 +0100', uid: 1 });
  return { ...r, _id: recordIds('work', r.messageId, r.digest!)[1] };
})();
const reply = mailRecord({ id: 'r@vendor.example', from: 'carl@vendor.example', to: 'pat@acme.example', subject: 'Re: Delivery date?', date: 'Wed, 4 Nov 2026 09:00:00 +0100', irt: 'ask@acme.example', uid: 2 });
const now = new Date('2026-11-10T12:00:00Z');

describe('inspectConversation: what answers a followed-up mail', () => {
  it('a later message under the mail\'s own Message-ID from someone else is no answer', () => {
    const state = inspectConversation({ analysis: analyseMailbox(mailbox([sent, twin]), now), recordId: sent._id, anchor: 'record' });
    expect(state?.answer).toBeNull();
  });

  it('a reply is', () => {
    const state = inspectConversation({ analysis: analyseMailbox(mailbox([sent, twin, reply]), now), recordId: sent._id, anchor: 'record' });
    expect(state?.answer).toMatchObject({ from: 'carl@vendor.example' });
  });
});
