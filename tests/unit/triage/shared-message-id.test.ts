// Copies that differ are different messages for every analysis, even under one Message-ID
// (issue 14, item 2): sync keeps them as separate records (imap/copy-batch.ts); these tests give
// the analyses such records, as sync stores them, and check that a forgery reusing a genuine
// mail's Message-ID rides on nothing of the genuine mail's.
import { describe, expect, it } from 'vitest';
import { recordIds } from '../../../main/core/mail/record.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { junkVerdicts } from '../../../main/core/triage/junk.js';
import { findUnanswered } from '../../../main/core/triage/unanswered.js';
import { buildContacts } from '../../../main/core/contacts/known.js';
import { mailbox } from '../../fixtures/eml/fixtures.js';
import { mailRecord, type MailSpec } from '../support/mail-record.js';

const ME = 'Pat <pat@acme.example>';
const PASS = (d: string) => `Authentication-Results: mx.acme.example; spf=pass smtp.mailfrom=${d}; dkim=pass header.d=${d}; dmarc=pass header.from=${d}`;
const FAIL = (d: string) => `Authentication-Results: mx.acme.example; spf=fail smtp.mailfrom=${d}; dkim=none; dmarc=fail header.from=${d}`;
const mail = (o: MailSpec) => mailRecord({ account: 'work', to: 'pat@acme.example', ...o });

/** A second record under an existing Message-ID gets a variant id, as sync gives it. */
function twinOf(spec: MailSpec): MessageRecord {
  const r = mail(spec);
  return { ...r, _id: recordIds('work', r.messageId, r.digest!)[1] };
}

const sentQuote = mail({ id: 'quote@acme.example', from: ME, to: 'Anna Berg <anna@client.example>', subject: 'Quote', date: 'Mon, 2 Nov 2026 09:00:00 +0100', folder: 'Sent', uid: 1 });
const sentContract = mail({ id: 'contract@acme.example', from: ME, to: 'Bob Stone <bob@corp.example>', subject: 'Contract', date: 'Tue, 3 Nov 2026 09:00:00 +0100', folder: 'Sent', uid: 2 });
const annaReply = mail({ id: 'anna-1@client.example', from: 'Anna Berg <anna@client.example>', subject: 'Re: Quote', date: 'Wed, 4 Nov 2026 09:00:00 +0100', irt: 'quote@acme.example', headers: [PASS('client.example')], uid: 1 });
const bobReply = mail({ id: 'bob-1@corp.example', from: 'Bob Stone <bob@corp.example>', subject: 'Re: Contract', date: 'Thu, 5 Nov 2026 09:00:00 +0100', irt: 'contract@acme.example', headers: [PASS('corp.example')], uid: 2 });
// Anna's Message-ID, another From (her name on another domain), dmarc=fail.
const annaForged = twinOf({ id: 'anna-1@client.example', from: 'Anna Berg <anna@client-billing.example>', subject: 'Re: Quote - new bank details', date: 'Fri, 6 Nov 2026 09:00:00 +0100', irt: 'quote@acme.example', headers: [FAIL('client-billing.example')], folder: 'Junk', uid: 1 });
// Bob's Message-ID, his very From and Subject, no Authentication-Results: only the digest differs.
const bobCopy = twinOf({ id: 'bob-1@corp.example', from: 'Bob Stone <bob@corp.example>', subject: 'Re: Contract', date: 'Thu, 5 Nov 2026 09:00:00 +0100', irt: 'contract@acme.example', folder: 'Junk', uid: 2 });

describe('junk: a Message-ID shared by a genuine mail and another copy', () => {
  const verdicts = junkVerdicts({ mailboxes: [mailbox([sentQuote, sentContract, annaReply, bobReply, annaForged, bobCopy])] });

  it('the forgery is judged by its own From, Subject and Authentication-Results, never rescued', () => {
    const v = verdicts.find((x) => x.id === annaForged._id);
    expect(v).toBeDefined();
    expect(v).toMatchObject({ from: 'anna@client-billing.example', subject: 'Re: Quote - new bank details', verdict: 'suspicious', messageId: 'anna-1@client.example' });
    expect(v!.auth.dmarc).toBe('fail');
    expect(v!.reasons).toContain('Another message in your Inbox has the same Message-ID but differs in its sender (anna@client.example), subject, date and authentication results: one of them is forged or altered');
  });

  it('a copy with the very From of a known contact but other headers is suspicious, with the reason', () => {
    const v = verdicts.find((x) => x.id === bobCopy._id);
    expect(v).toMatchObject({ from: 'bob@corp.example', verdict: 'suspicious', match: 'contact' });
    expect(v!.reasons[0]).toBe('Another message in your Inbox has the same Message-ID but differs in its authentication results: one of them is forged or altered');
    expect(verdicts.every((x) => x.verdict !== 'rescue')).toBe(true);
  });

  it('the same copy in INBOX and Junk (one record, two locations) is still rescued', () => {
    const both = { ...bobReply, locations: [...bobReply.locations, { folder: 'Junk', uid: 9, flags: [] }] };
    const [v] = junkVerdicts({ mailboxes: [mailbox([sentContract, both])] });
    expect(v).toMatchObject({ id: bobReply._id, verdict: 'rescue' });
  });

  it('not even a trusted sender is rescued while another message carries its Message-ID', () => {
    const [v] = junkVerdicts({ mailboxes: [mailbox([sentContract, bobReply, bobCopy])], overrides: { trusted: ['corp.example'], blocked: [] } });
    expect(v).toMatchObject({ id: bobCopy._id, match: 'trusted', verdict: 'suspicious' });
  });
});

describe('junk over a store of the previous version, before its first sync', () => {
  it('a record merged from an INBOX and a Junk copy is not rescued on its word', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { accountConfig } = await import('../support/junk-mailboxes.js');
    const { foldersFromRoles } = await import('../../../main/core/store/mailbox.js');
    const lines = readFileSync(join(import.meta.dirname, '../../fixtures/store/messages-one-record-per-message-id.jsonl'), 'utf8').trim().split('\n');
    const byId = new Map<string, MessageRecord>();
    for (const l of lines) byId.set(JSON.parse(l)._id, JSON.parse(l));
    const mb = { account: accountConfig('work', ['pat@acme.test']), folders: foldersFromRoles('work', { INBOX: 'inbox', Sent: 'sent', Junk: 'junk' }), messages: [...byId.values()] };
    const verdicts = junkVerdicts({ mailboxes: [mb] });
    expect(verdicts.map((v) => [v.messageId, v.verdict])).toEqual([['bob-note-1@corp.test', 'suspicious'], ['anna-reply-1@client.test', 'suspicious']]);
    expect(verdicts[1].reasons[0]).toBe('Stored by an older version of the app and not checked since: run a sync to read this copy again');
    // (The previous version said "rescue" here, with the genuine mail's From: anna@client.test.)
    expect(verdicts[1].from).toBe('anna@client.test');
  });
});

describe('unanswered and contacts: a forgery under a genuine Message-ID earns nothing', () => {
  it('a later message from someone else under the sent mail\'s own Message-ID does not answer it', () => {
    const sent = mail({ id: 'ask@acme.example', from: ME, to: 'carl@vendor.example', subject: 'Delivery date?', date: 'Mon, 2 Nov 2026 09:00:00 +0100', folder: 'Sent', uid: 1 });
    const spoof = twinOf({ id: 'ask@acme.example', from: 'carl@vendor-payments.example', subject: 'Delivery date?', date: 'Tue, 3 Nov 2026 09:00:00 +0100', uid: 1 });
    const entries = findUnanswered({ mailboxes: [mailbox([sent, spoof])], now: new Date('2026-11-10T12:00:00Z') });
    expect(entries.map((e) => [e.messageId, e.status, e.id])).toEqual([['ask@acme.example', 'awaiting', sent._id]]);
  });

  it('answering a Message-ID that two senders carry makes neither of them a contact', () => {
    const dana = mail({ id: 'dana-1@dana.example', from: 'dana@dana.example', subject: 'Hello', date: 'Mon, 2 Nov 2026 09:00:00 +0100', uid: 1 });
    const eve = twinOf({ id: 'dana-1@dana.example', from: 'eve@evil.example', subject: 'Hello', date: 'Mon, 2 Nov 2026 09:00:00 +0100', uid: 2 });
    const answer = mail({ id: 'ans@acme.example', from: ME, to: 'someone@else.example', subject: 'Re: Hello', date: 'Tue, 3 Nov 2026 09:00:00 +0100', irt: 'dana-1@dana.example', folder: 'Sent', uid: 3 });
    const contacts = buildContacts({ mailboxes: [mailbox([dana, eve, answer])] });
    expect(contacts.contacts.has('eve@evil.example')).toBe(false);
    // Without the second sender, the answered one is known, as before.
    expect(buildContacts({ mailboxes: [mailbox([dana, answer])] }).contacts.get('dana@dana.example')).toMatchObject({ repliedTo: 1 });
  });

  it('the Sent copy and a stamped copy of one sent mail count its recipients once', () => {
    const sent = mail({ id: 'once@acme.example', from: ME, to: 'fay@fay.example', subject: 'Hi', date: 'Mon, 2 Nov 2026 09:00:00 +0100', folder: 'Sent', uid: 1 });
    // The same mail as the receiving server stamped it: another digest (Authentication-Results).
    const stamped = twinOf({ id: 'once@acme.example', from: ME, to: 'fay@fay.example', subject: 'Hi', date: 'Mon, 02 Nov 2026 09:00:00 +0100', folder: 'Archive', uid: 4 });
    expect(stamped.digest).not.toBe(sent.digest);
    expect(buildContacts({ mailboxes: [mailbox([sent, stamped])] }).contacts.get('fay@fay.example')).toMatchObject({ sentTo: 1 });
  });
});
