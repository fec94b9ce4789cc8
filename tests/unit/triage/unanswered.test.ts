import { mailRecord } from '../support/mail-record.js';
import { describe, expect, it } from 'vitest';
import { foldersFromRoles } from '../../../main/core/store/mailbox.js';
import { ageHours, findUnanswered, needsBody, type FindUnansweredInput } from '../../../main/core/triage/unanswered.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { emlText, mailbox, NOW, rec, workAccount } from '../../fixtures/eml/fixtures.js';

function run(messages: MessageRecord[], extra: Partial<FindUnansweredInput> = {}) {
  return findUnanswered({ mailboxes: [mailbox(messages)], now: NOW, ...extra });
}

/** Bodies for the records needsBody selects, as the service would fetch them. */
function bodiesFor(pairs: [MessageRecord, string][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [r, name] of pairs) if (needsBody(r)) out.set(r._id, emlText(name));
  return out;
}

const mail = mailRecord;

const SENT = 'Sent';

describe('findUnanswered: answers', () => {
  it('lists a sent mail nobody answered, with the contract fields', () => {
    const [entry, ...rest] = run([rec('sent-q3-budget.eml', SENT)]);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      account: 'work',
      messageId: 'a1f3c9e0-5d2b-4a7e-9f10-3b1c2d4e5f60@acme.example',
      subject: 'Q3 budget',
      to: ['bob@partner.example', 'carol@partner.example'],
      sentAt: '2025-11-17T08:12:44.000Z',
      status: 'awaiting',
      ageHours: 171.8,
      awaitingFrom: ['bob@partner.example', 'carol@partner.example'],
      outOfOfficeUntil: null,
      threadSize: 1,
    });
    expect(entry.id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('an Outlook reply without threading headers answers it (subject + participants + time)', () => {
    expect(run([rec('sent-q3-budget.eml', SENT), rec('reply-outlook-no-references.eml')])).toEqual([]);
  });

  it('answers count in any folder: Archive, Junk, a user folder', () => {
    for (const folder of ['Archive', 'Junk', 'Projects']) {
      expect(run([rec('sent-q3-budget.eml', SENT), rec('reply-outlook-no-references.eml', folder)]), folder).toEqual([]);
    }
  });

  it('a CC\'d colleague or the recipient\'s other address answering counts', () => {
    const sent = rec('sent-q3-budget.eml', SENT);
    const fromColleague = mail({ id: 'r1@partner.example', from: 'Carol <carol@partner.example>', to: 'pat@acme.example', subject: 'Re: Q3 budget', date: 'Tue, 18 Nov 2025 09:00:00 +0000', irt: sent.messageId });
    const otherAddress = mail({ id: 'r2@gmail.example', from: 'Bob <bob.miller@gmail.example>', to: 'pat@acme.example', subject: 'Re: Q3 budget', date: 'Tue, 18 Nov 2025 09:00:00 +0000', irt: sent.messageId });
    expect(run([sent, fromColleague])).toEqual([]);
    expect(run([sent, otherAddress])).toEqual([]);
  });

  it('a calendar "Accepted:" reply is a person answering the invitation', () => {
    expect(run([rec('sent-invitation-project-sync.eml', SENT), rec('calendar-accepted.eml')])).toEqual([]);
  });

  it('RFC 2047-encoded "AW: AW:" replies answer', () => {
    expect(run([rec('sent-angebot.eml', SENT), rec('subject-rfc2047-encoded.eml')])).toEqual([]);
  });

  it('forwarded mail answered by the new recipient counts as answered (with or without threading headers)', () => {
    const original = rec('vendor-contract-original.eml');
    const fwd = rec('sent-forward-vendor-contract.eml', SENT);
    const answer = rec('forwarded-answered-by-new-recipient.eml');
    expect(run([original, fwd, answer])).toEqual([]);
    expect(run([original, fwd, { ...answer, inReplyTo: null, references: [] }])).toEqual([]);
    // Unanswered, the forward waits for Dave, not for Vera (who wrote to the user).
    expect(run([original, fwd])).toMatchObject([{ subject: 'Fwd: Vendor contract', awaitingFrom: ['dave@legal.example'] }]);
  });

  it('an earlier message from the other side never answers a later mail of the user', () => {
    const bobFirst = mail({ id: 'b1@partner.example', from: 'bob@partner.example', to: 'pat@acme.example', subject: 'Plan', date: 'Mon, 17 Nov 2025 08:00:00 +0000' });
    const userReply = mail({ id: 'p1@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Re: Plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000', irt: 'b1@partner.example', folder: SENT });
    // Crossing mails: Bob's second mail was written before the user's reply arrived.
    const crossing = mail({ id: 'b2@partner.example', from: 'bob@partner.example', to: 'pat@acme.example', subject: 'Re: Plan', date: 'Mon, 17 Nov 2025 08:59:00 +0000', irt: 'b1@partner.example' });
    expect(run([bobFirst, userReply, crossing])).toMatchObject([{ messageId: 'p1@acme.example', status: 'awaiting' }]);
  });

  it('a reply naming the mail answers it even when the clocks disagree', () => {
    const sent = rec('sent-q3-budget.eml', SENT);
    const skewed = mail({ id: 'skew@partner.example', from: 'bob@partner.example', to: 'pat@acme.example', subject: 'Re: Q3 budget', date: 'Mon, 17 Nov 2025 07:00:00 +0000', irt: sent.messageId });
    expect(run([sent, skewed])).toEqual([]);
  });

  it('one entry per conversation: the latest mail; an answer to the first mail after a "ping" answers the conversation', () => {
    const first = mail({ id: 's1@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Plan', date: 'Mon, 17 Nov 2025 09:00:00 +0000', folder: SENT });
    const ping = mail({ id: 's2@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Re: Plan', date: 'Wed, 19 Nov 2025 09:00:00 +0000', irt: 's1@acme.example', refs: ['s1@acme.example'], folder: SENT });
    expect(run([first, ping])).toMatchObject([{ messageId: 's2@acme.example', threadSize: 2 }]);
    const answerToFirst = mail({ id: 'b@partner.example', from: 'bob@partner.example', to: 'pat@acme.example', subject: 'Re: Plan', date: 'Thu, 20 Nov 2025 09:00:00 +0000', irt: 's1@acme.example', refs: ['s1@acme.example'] });
    expect(run([first, ping, answerToFirst])).toEqual([]);
  });

  it('a reply in another branch of the conversation (to someone else) does not answer the user', () => {
    const root = mail({ id: 'root@list.example', from: 'alice@a.example', to: 'dev@lists.example', subject: 'Design', date: 'Mon, 17 Nov 2025 08:00:00 +0000', headers: ['List-Id: <dev.lists.example>'] });
    const userReply = mail({ id: 'u@acme.example', from: 'pat@acme.example', to: 'alice@a.example', cc: 'dev@lists.example', subject: 'Re: Design', date: 'Mon, 17 Nov 2025 09:00:00 +0000', irt: 'root@list.example', refs: ['root@list.example'], folder: SENT });
    const other = mail({ id: 'o@b.example', from: 'bert@b.example', to: 'alice@a.example', cc: 'dev@lists.example', subject: 'Re: Design', date: 'Mon, 17 Nov 2025 10:00:00 +0000', irt: 'root@list.example', refs: ['root@list.example'], headers: ['List-Id: <dev.lists.example>'] });
    expect(run([root, userReply, other])).toMatchObject([{ messageId: 'u@acme.example', awaitingFrom: ['alice@a.example'] }]);
    const toUser = mail({ id: 'a2@a.example', from: 'alice@a.example', to: 'pat@acme.example', subject: 'Re: Design', date: 'Mon, 17 Nov 2025 11:00:00 +0000', irt: 'u@acme.example', refs: ['root@list.example', 'u@acme.example'] });
    expect(run([root, userReply, other, toUser])).toEqual([]);
  });

  it('a generic subject from a non-participant does not answer', () => {
    expect(run([rec('sent-meeting.eml', SENT), rec('generic-subject-non-participant.eml')])).toMatchObject([{ subject: 'Meeting', status: 'awaiting' }]);
  });
});

describe('findUnanswered: what is not an answer', () => {
  it('auto-replies, out-of-office notes, read receipts and delay notices leave it awaiting', () => {
    const sent = rec('sent-q3-budget.eml', SENT);
    const noise = [rec('ooo-exchange-automatic-reply.eml'), rec('read-receipt.eml'), rec('auto-reply-x-autoreply.eml')];
    expect(run([sent, ...noise])).toMatchObject([{ status: 'awaiting', outOfOfficeUntil: null, threadSize: 4 }]);
  });

  it('an out-of-office with a return date in its text sets outOfOfficeUntil when the body is given', () => {
    const sent = rec('sent-q3-budget.eml', SENT);
    const ooo = rec('ooo-exchange-automatic-reply.eml');
    const bodies = bodiesFor([[ooo, 'ooo-exchange-automatic-reply.eml']]);
    expect(bodies.size).toBe(1);
    expect(run([sent, ooo], { bodies })).toMatchObject([{ status: 'awaiting', outOfOfficeUntil: '2025-12-01' }]);
  });

  it('a failed DSN marks the mail bounced: by the original\'s Message-ID in its body', () => {
    const sent = rec('sent-lunch.eml', SENT);
    const dsn = rec('dsn-postfix-5.1.1.eml');
    const bodies = bodiesFor([[dsn, 'dsn-postfix-5.1.1.eml']]);
    expect(run([sent, dsn], { bodies })).toMatchObject([{ status: 'bounced', bouncedRecipients: ['dan@gone.example'], awaitingFrom: [] }]);
    // Header-only, "Undelivered Mail Returned to Sender" names nothing: the mail stays awaiting.
    expect(run([sent, dsn])).toMatchObject([{ status: 'awaiting' }]);
  });

  it('a failed DSN without a body still counts when it threads or quotes the subject', () => {
    expect(run([rec('sent-invoice.eml', SENT), rec('dsn-exchange-undeliverable.eml')])).toMatchObject([{ subject: 'Invoice 2025-117', status: 'bounced' }]);
    const sent = rec('sent-lunch.eml', SENT);
    const threaded = { ...rec('dsn-postfix-5.1.1.eml'), inReplyTo: sent.messageId };
    expect(run([sent, threaded])).toMatchObject([{ status: 'bounced' }]);
  });

  it('a DSN about an earlier mail does not bounce the later one', () => {
    const first = mail({ id: 's1@acme.example', from: 'pat@acme.example', to: 'dan@gone.example', subject: 'Lunch', date: 'Mon, 17 Nov 2025 09:00:00 +0000', folder: SENT });
    const dsn = mail({ id: 'dsn@mx.example', from: 'MAILER-DAEMON@mx.example', to: 'pat@acme.example', subject: 'Undelivered Mail Returned to Sender', date: 'Mon, 17 Nov 2025 09:05:00 +0000', irt: 's1@acme.example' });
    const second = mail({ id: 's2@acme.example', from: 'pat@acme.example', to: 'dan@new.example', subject: 'Re: Lunch', date: 'Mon, 17 Nov 2025 10:00:00 +0000', irt: 's1@acme.example', folder: SENT });
    expect(run([first, dsn, second])).toMatchObject([{ messageId: 's2@acme.example', status: 'awaiting' }]);
  });

  it('a delayed DSN changes nothing', () => {
    const sent = rec('sent-contract-draft.eml', SENT);
    const dsn = rec('dsn-delayed.eml');
    expect(run([sent, dsn], { bodies: bodiesFor([[dsn, 'dsn-delayed.eml']]) })).toMatchObject([{ status: 'awaiting', subject: 'Contract draft' }]);
  });

  it('an auto-reply in German with its return date', () => {
    const sent = rec('sent-angebot.eml', SENT);
    const ooo = rec('ooo-german-abwesenheitsnotiz.eml');
    expect(run([sent, ooo], { bodies: bodiesFor([[ooo, 'ooo-german-abwesenheitsnotiz.eml']]) })).toMatchObject([{ outOfOfficeUntil: '2025-12-01' }]);
  });
});

describe('findUnanswered: bounces that name no Message-ID (linked by address and time)', () => {
  // The DSNs of these fixtures arrive on Tue, 18 Nov 2025 10:02 UTC.
  const sentTo = (id: string, to: string, date: string, subject = 'Price list') =>
    mail({ id, from: 'Pat Jones <pat@acme.example>', to, cc: 'dora@partner.example', subject, date, folder: SENT });
  const exim = () => rec('dsn-exim-prose-no-message-id.eml');
  const withBody = (dsn: MessageRecord, name: string) => ({ bodies: bodiesFor([[dsn, name]]) });
  const statusOf = (entries: ReturnType<typeof run>) => Object.fromEntries(entries.map((e) => [e.messageId, e.status]));

  it('an Exim bounce in prose marks the latest mail to the failed address bounced, not an older or a later one', () => {
    const dsn = exim();
    const older = sentTo('older@acme.example', 'carla@oldcorp.example', 'Fri, 31 Oct 2025 09:00:00 +0000', 'Catalogue');
    const sent = sentTo('fresh-id@acme.example', 'carla@oldcorp.example', 'Tue, 18 Nov 2025 10:01:50 +0000');
    const other = sentTo('other@acme.example', 'bob@partner.example', 'Tue, 18 Nov 2025 10:01:55 +0000', 'Lunch');
    const later = sentTo('later@acme.example', 'carla@oldcorp.example', 'Tue, 18 Nov 2025 11:30:00 +0000', 'Price list (resent)');
    const entries = run([older, sent, other, later, dsn], withBody(dsn, 'dsn-exim-prose-no-message-id.eml'));
    expect(statusOf(entries)).toEqual({ 'older@acme.example': 'awaiting', 'fresh-id@acme.example': 'bounced', 'other@acme.example': 'awaiting', 'later@acme.example': 'awaiting' });
    expect(entries.find((e) => e.messageId === 'fresh-id@acme.example')).toMatchObject({ bouncedRecipients: ['carla@oldcorp.example'], awaitingFrom: ['dora@partner.example'] });
    // Without the body nothing names the address: the mail stays awaiting.
    expect(statusOf(run([sent, dsn]))).toEqual({ 'fresh-id@acme.example': 'awaiting' });
  });

  it('looks back 14 days at most', () => {
    const dsn = exim();
    const at = (date: string) => statusOf(run([sentTo('s@acme.example', 'carla@oldcorp.example', date), dsn], withBody(dsn, 'dsn-exim-prose-no-message-id.eml')))['s@acme.example'];
    expect(at('Tue, 4 Nov 2025 10:03:00 +0000')).toBe('bounced'); // 13 days 23 hours before
    expect(at('Mon, 3 Nov 2025 10:00:00 +0000')).toBe('awaiting'); // 15 days before
  });

  it('prefers the mail whose subject the DSN quotes over a later one to the same address', () => {
    const dsn = rec('dsn-exchange-undeliverable.eml'); // "Undeliverable: Invoice 2025-117", to frank@closed.example
    const quoted = sentTo('invoice@acme.example', 'frank@closed.example', 'Mon, 17 Nov 2025 08:00:00 +0100', 'Invoice 2025-117');
    const later = sentTo('reminder@acme.example', 'frank@closed.example', 'Mon, 17 Nov 2025 08:30:00 +0100', 'Payment terms');
    const entries = run([quoted, later, dsn], withBody(dsn, 'dsn-exchange-undeliverable.eml'));
    expect(statusOf(entries)).toEqual({ 'invoice@acme.example': 'bounced', 'reminder@acme.example': 'awaiting' });
  });

  it('a VERP return address in the bounce\'s To names the failed recipient, even without the body', () => {
    const dsn = rec('dsn-verp-no-body-address.eml'); // To: news-bounces+carla=oldcorp.example@lists.acme.example
    const sent = sentTo('verp@acme.example', 'carla@oldcorp.example', 'Tue, 18 Nov 2025 09:00:00 +0000');
    const other = sentTo('other@acme.example', 'bob@partner.example', 'Tue, 18 Nov 2025 09:30:00 +0000', 'Lunch');
    expect(statusOf(run([sent, other, dsn]))).toEqual({ 'verp@acme.example': 'bounced', 'other@acme.example': 'awaiting' });
  });

  it('a list server\'s refusal of a post marks the post bounced for the list', () => {
    const notice = rec('list-refusal-not-a-member.eml');
    expect(needsBody(notice)).toBe(true);
    const post = sentTo('post@acme.example', 'news@lists.example.org', 'Tue, 18 Nov 2025 10:00:00 +0000', 'Meeting notes');
    const entries = run([post, notice], withBody(notice, 'list-refusal-not-a-member.eml'));
    expect(entries).toMatchObject([{ messageId: 'post@acme.example', status: 'bounced', bouncedRecipients: ['news@lists.example.org'], awaitingFrom: ['dora@partner.example'] }]);
  });

  it('the address the notice names wins over the other recipients of the returned copy', () => {
    // Returned copy without Message-ID or Subject, To: both; the notice says carla failed.
    const text = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>',
      'To: pat@acme.example',
      'Subject: Returned mail: see transcript for details',
      'Date: Tue, 18 Nov 2025 10:02:41 +0000',
      'Message-ID: <rm-1@mx.acme.example>',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      'carla@oldcorp.example',
      '    (reason: 550 5.1.1 User unknown)',
      '',
      '   ----- Unsent message follows -----',
      'From: Pat Jones <pat@acme.example>',
      'To: carla@oldcorp.example, bob@partner.example',
      '',
      'Hello both.',
    ].join('\r\n');
    const dsn = { ...mail({ id: 'rm-1@mx.acme.example', from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>', to: 'pat@acme.example', subject: 'Returned mail: see transcript for details', date: 'Tue, 18 Nov 2025 10:02:41 +0000' }) };
    const both = mail({ id: 'both@acme.example', from: 'pat@acme.example', to: 'carla@oldcorp.example, bob@partner.example', subject: 'Hello both', date: 'Tue, 18 Nov 2025 08:00:00 +0000', folder: SENT });
    const bobOnly = mail({ id: 'bob@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Lunch?', date: 'Tue, 18 Nov 2025 09:00:00 +0000', folder: SENT });
    const entries = run([both, bobOnly, dsn], { bodies: new Map([[dsn._id, text]]) });
    expect(statusOf(entries)).toEqual({ 'both@acme.example': 'bounced', 'bob@acme.example': 'awaiting' });
    expect(entries.find((e) => e.messageId === 'both@acme.example')).toMatchObject({ bouncedRecipients: ['carla@oldcorp.example'], awaitingFrom: ['bob@partner.example'] });
  });

  it('a delay notice that names the address never marks a mail bounced', () => {
    const dsn = rec('dsn-delayed.eml');
    const sent = sentTo('delayed@acme.example', 'erin@slow.example', 'Mon, 17 Nov 2025 09:00:00 +0100', 'Something else');
    expect(statusOf(run([sent, dsn], withBody(dsn, 'dsn-delayed.eml')))).toEqual({ 'delayed@acme.example': 'awaiting' });
  });
});

describe('findUnanswered: exclusions', () => {
  it('mail only to the user\'s own addresses (aliases, +tags) is not listed', () => {
    expect(run([rec('sent-to-self.eml', SENT)])).toEqual([]);
  });

  it('mail to no-reply addresses is not listed', () => {
    expect(run([rec('sent-to-noreply.eml', SENT)])).toEqual([]);
  });

  it('mail to a mailing list (learned from List-Id/List-Post traffic) is not listed; with a person in Cc it waits for that person', () => {
    expect(run([rec('list-post.eml'), rec('sent-to-list.eml', SENT)])).toEqual([]);
    const withPerson = mail({ id: 'lp@acme.example', from: 'pat@acme.example', to: 'dev@lists.example', cc: 'bob@partner.example', subject: 'Proposal', date: 'Mon, 17 Nov 2025 09:00:00 +0000', folder: SENT });
    expect(run([rec('list-post.eml'), withPerson])).toMatchObject([{ awaitingFrom: ['bob@partner.example'], to: ['dev@lists.example', 'bob@partner.example'] }]);
  });

  it('mail younger than minAgeHours is not listed (default 24)', () => {
    const fresh = mail({ id: 'fresh@acme.example', from: 'pat@acme.example', to: 'bob@partner.example', subject: 'Now', date: 'Mon, 24 Nov 2025 11:00:00 +0000', folder: SENT });
    expect(run([fresh])).toEqual([]);
    expect(run([fresh], { minAgeHours: 0 })).toMatchObject([{ ageHours: 1 }]);
    expect(run([fresh], { minAgeHours: 0.5 })).toHaveLength(1);
  });

  it('Bcc-only: a broadcast to several Bcc recipients is not listed; a single Bcc recipient is awaited', () => {
    expect(run([rec('bcc-only.eml', SENT)])).toEqual([]);
    expect(run([rec('bcc-single.eml', SENT)])).toMatchObject([{ to: ['zoe@private.example'], awaitingFrom: ['zoe@private.example'] }]);
  });

  it('drafts, trash and \\Draft copies are not sent mail; a spoof of the user\'s address in Junk is not either', () => {
    expect(run([rec('sent-q3-budget.eml', 'Drafts')])).toEqual([]);
    expect(run([rec('sent-q3-budget.eml', 'Trash')])).toEqual([]);
    expect(run([rec('sent-q3-budget.eml', 'Archive', { flags: ['\\Draft'] })])).toEqual([]);
    expect(run([rec('spoofed-own-address-in-junk.eml', 'Junk')])).toEqual([]);
    // A sent copy found elsewhere (Bcc to self in Inbox) counts.
    expect(run([rec('sent-q3-budget.eml', 'INBOX')])).toHaveLength(1);
  });

  it('dismissed mail is not listed (by local id or Message-ID)', () => {
    const sent = rec('sent-q3-budget.eml', SENT);
    expect(run([sent], { dismissed: new Set([sent._id]) })).toEqual([]);
    expect(run([sent], { dismissed: new Set([sent.messageId]) })).toEqual([]);
  });
});

describe('findUnanswered: mailboxes and order', () => {
  it('the same Message-ID in two folders is one mail (Gmail: Sent Mail and All Mail)', () => {
    const sent = rec('sent-q3-budget.eml', '[Gmail]/Sent Mail');
    sent.locations.push({ folder: '[Gmail]/All Mail', uid: 99, flags: ['\\Seen'] });
    const account = workAccount();
    const gmail = { account, folders: foldersFromRoles('work', { INBOX: 'inbox', '[Gmail]/Sent Mail': 'sent', '[Gmail]/All Mail': 'all' }), messages: [sent] };
    expect(findUnanswered({ mailboxes: [gmail], now: NOW })).toHaveLength(1);
  });

  it('sorts newest first over all accounts', () => {
    const a = mail({ id: 'a@acme.example', from: 'pat@acme.example', to: 'x@x.example', subject: 'A', date: 'Mon, 17 Nov 2025 09:00:00 +0000', folder: SENT });
    const b = mail({ id: 'b@acme.example', from: 'pat@acme.example', to: 'y@y.example', subject: 'B', date: 'Wed, 19 Nov 2025 09:00:00 +0000', folder: SENT });
    const home = { ...workAccount(['pat@home.example']), name: 'home' };
    const c = { ...mail({ id: 'c@home.example', from: 'pat@home.example', to: 'z@z.example', subject: 'C', date: 'Tue, 18 Nov 2025 09:00:00 +0000', folder: SENT }), account: 'home' };
    const entries = findUnanswered({ mailboxes: [mailbox([a, b]), { ...mailbox([c], home) }], now: NOW });
    expect(entries.map((e) => [e.subject, e.account])).toEqual([
      ['B', 'work'],
      ['C', 'home'],
      ['A', 'work'],
    ]);
  });

  it('ageHours is plain hours, one decimal', () => {
    expect(ageHours('2025-11-24T10:30:00Z', NOW)).toBe(1.5);
    expect(ageHours(new Date('2025-11-23T12:00:00Z'), NOW)).toBe(24);
  });
});
