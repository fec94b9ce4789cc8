import { describe, expect, it } from 'vitest';
import { classifyAutomated, isHumanAnswer, mayBeDsn, needsBody } from '../../../main/core/mail/autoreply.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { emlText, rec } from '../../fixtures/eml/fixtures.js';

/** A minimal message with the given extra header lines. */
function msg(headers: string, opts: { from?: string; subject?: string; body?: string } = {}) {
  const raw = [
    `From: ${opts.from ?? 'Bob Miller <bob@partner.example>'}`,
    'To: Pat Jones <pat@acme.example>',
    `Subject: ${opts.subject ?? 'Re: Q3 budget'}`,
    'Date: Tue, 18 Nov 2025 10:00:00 +0000',
    'Message-ID: <m-1@partner.example>',
    headers,
    '',
    opts.body ?? 'Hello',
  ]
    .filter((l, i) => l !== '' || i > 4)
    .join('\r\n');
  return recordFromEml(raw);
}

describe('classifyAutomated: fixtures', () => {
  it.each([
    ['reply-outlook-no-references.eml', null],
    ['subject-rfc2047-encoded.eml', null],
    ['forwarded-answered-by-new-recipient.eml', null],
    ['calendar-accepted.eml', 'calendar'],
    ['ooo-exchange-automatic-reply.eml', 'out-of-office'],
    ['ooo-german-abwesenheitsnotiz.eml', 'out-of-office'],
    ['auto-reply-x-autoreply.eml', 'auto-reply'],
    ['dsn-postfix-5.1.1.eml', 'dsn-failed'],
    ['dsn-exchange-undeliverable.eml', 'dsn-failed'],
    ['dsn-delayed.eml', 'dsn-delayed'],
    ['read-receipt.eml', 'read-receipt'],
    ['list-post.eml', 'list'],
  ])('%s → %s (headers only)', (name, kind) => {
    expect(classifyAutomated(rec(name)).kind).toBe(kind);
  });

  it('calendar replies and list posts are answers by people; the others are not', () => {
    expect(isHumanAnswer(classifyAutomated(rec('calendar-accepted.eml')))).toBe(true);
    expect(isHumanAnswer(classifyAutomated(rec('list-post.eml')))).toBe(true);
    for (const name of ['ooo-exchange-automatic-reply.eml', 'dsn-postfix-5.1.1.eml', 'dsn-delayed.eml', 'read-receipt.eml', 'auto-reply-x-autoreply.eml']) {
      expect(isHumanAnswer(classifyAutomated(rec(name))), name).toBe(false);
    }
  });

  it('reads the return date from an out-of-office body (quoted-printable, German too)', () => {
    const en = classifyAutomated(rec('ooo-exchange-automatic-reply.eml'), emlText('ooo-exchange-automatic-reply.eml'));
    expect(en).toMatchObject({ kind: 'out-of-office', returnDate: '2025-12-01' });
    const de = classifyAutomated(rec('ooo-german-abwesenheitsnotiz.eml'), emlText('ooo-german-abwesenheitsnotiz.eml'));
    expect(de).toMatchObject({ kind: 'out-of-office', returnDate: '2025-12-01' });
    // Without the body there is no date (the subject states none).
    expect(classifyAutomated(rec('ooo-exchange-automatic-reply.eml')).returnDate).toBeUndefined();
  });

  it.each([
    ['ooo-parental-leave-until-january-2028.eml', '2028-01-03'],
    ['ooo-sabbatical-back-in-march.eml', '2027-03-01'],
    ['ooo-elternzeit-bis-januar-2028.eml', '2028-01-03'],
    ['ooo-sabbatical-ab-maerz-wieder-erreichbar.eml', '2027-03-01'],
    ['ooo-conge-parental-retour-en-septembre.eml', '2026-09-01'],
    ['ooo-baja-maternidad-hasta-enero-de-2028.eml', '2028-01-03'],
  ])('long leave: %s is an out-of-office note back on %s', (name, returnDate) => {
    expect(classifyAutomated(rec(name), emlText(name))).toMatchObject({ kind: 'out-of-office', returnDate });
  });

  it.each([
    ['I am on parental leave.'],
    ['I am on maternity leave and not reading mail.'],
    ['I am on sabbatical.'],
    ['Ich bin in Elternzeit.'],
    ['Ich bin im Mutterschutz.'],
    ['Je suis en congé maternité.'],
    ['Je suis en congé sabbatique.'],
    ['Estoy de baja por paternidad.'],
    ['Estoy disfrutando de un año sabático.'],
  ])('an auto-reply saying %j is an out-of-office note, dated or not', (body) => {
    expect(classifyAutomated(msg('Auto-Submitted: auto-replied', { subject: 'Re: Q3 budget', body }), body).kind).toBe('out-of-office');
  });

  it('a DSN body says failed or delayed, which recipient, and which mail it returns', () => {
    const failed = classifyAutomated(rec('dsn-postfix-5.1.1.eml'), emlText('dsn-postfix-5.1.1.eml'));
    expect(failed.kind).toBe('dsn-failed');
    expect(failed.dsn).toMatchObject({
      action: 'failed',
      recipients: ['dan@gone.example'],
      status: '5.1.1',
      originalMessageId: '7d1e2f30-aaaa-4bbb-8ccc-0d1e2f3a4b5c@acme.example',
      originalSubject: 'Lunch next week?',
    });
    const delayed = classifyAutomated(rec('dsn-delayed.eml'), emlText('dsn-delayed.eml'));
    expect(delayed.kind).toBe('dsn-delayed');
    expect(delayed.dsn?.originalMessageId).toBe('c3d4e5f6-1111-4222-8333-944455566677@acme.example');
  });
});

describe('classifyAutomated: header rules', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto-reply'],
    ['Auto-Submitted: auto-generated', 'auto-reply'],
    ['X-Autoreply: yes', 'auto-reply'],
    ['X-Autorespond: Thank you', 'auto-reply'],
    ['Precedence: auto_reply', 'auto-reply'],
    ['Precedence: bulk', 'auto-reply'],
    ['Precedence: junk', 'auto-reply'],
    // RFC 3834 §5: "no" means a person sent it.
    ['Auto-Submitted: no', null],
    // A list stamps "Precedence: bulk" on people's posts (vger, Majordomo): not automatic.
    ['Precedence: bulk\r\nList-Id: <linux-kernel.vger.kernel.org>', 'list'],
    ['Precedence: bulk\r\nSender: owner-linux-mm@kvack.example', 'list'],
    ['Precedence: list\r\nList-Post: <mailto:dev@lists.example>', 'list'],
    // Outlook sets X-Auto-Response-Suppress on some mail people write: alone it proves nothing.
    ['X-Auto-Response-Suppress: All', null],
  ])('%s → %s', (headers, kind) => {
    expect(classifyAutomated(msg(headers)).kind).toBe(kind);
  });

  it.each([
    ['Automatic reply: Q3 budget'],
    ['Auto reply: Q3 budget'],
    ['AutoReply: Q3 budget'],
    ['Out of Office: Q3 budget'],
    ['Abwesenheitsnotiz: Q3 budget'],
    ['Automatische Antwort: Q3 budget'],
    ['Réponse automatique : Q3 budget'],
    ['Respuesta automática: Q3 budget'],
    ['Autosvar: Q3 budget'],
    ['自动回复: Q3 budget'],
    ['AUTO: Bob Miller is out of the office (returning 12/01/2025)'],
    ['Re: Q3 budget (Automatic Response)'],
    ['[Automatyczna odpowiedź] Q3 budget'],
  ])('auto-reply subject %j is never an answer', (subject) => {
    const c = classifyAutomated(msg('', { subject }));
    expect(['auto-reply', 'out-of-office']).toContain(c.kind);
  });

  it('an "away" subject counts with X-Auto-Response-Suppress, not alone', () => {
    expect(classifyAutomated(msg('X-Auto-Response-Suppress: All', { subject: 'Out of office next week' })).kind).toBe('out-of-office');
    expect(classifyAutomated(msg('', { subject: 'Re: Out of office next week' })).kind).toBeNull();
  });

  it.each([
    ['MAILER-DAEMON@mx.example (Mail Delivery System)', 'Undelivered Mail Returned to Sender', 'dsn-failed'],
    ['Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'Delivery Status Notification (Failure)', 'dsn-failed'],
    ['Mail Delivery Subsystem <mailer-daemon@googlemail.com>', 'Delivery Status Notification (Delay)', 'dsn-delayed'],
    ['postmaster@partner.example', 'Undeliverable: Q3 budget', 'dsn-failed'],
    ['Mail Delivery System <Mailer-Daemon@x.example>', 'Mail delivery failed: returning message to sender', 'dsn-failed'],
    ['MAILER-DAEMON@x.example', 'Warning: message 1abc-000 delayed 24 hours', 'dsn-delayed'],
    ['MAILER-DAEMON@x.example', 'failure notice', 'dsn-failed'],
    ['MAILER-DAEMON@x.example', 'Delivery Status Notification (Success)', 'dsn-other'],
    // Subjects only MTAs write mark a DSN from any sender.
    ['Bob Miller <bob@partner.example>', 'Undeliverable: Q3 budget', 'dsn-failed'],
  ])('DSN from %s, %j → %s', (from, subject, kind) => {
    expect(classifyAutomated(msg('', { from, subject })).kind).toBe(kind);
  });

  it('a person forwarding a bounce ("Re: Undeliverable: ...") is a person', () => {
    expect(classifyAutomated(msg('', { subject: 'Re: Undeliverable: Q3 budget' })).kind).toBeNull();
  });

  it('a person whose name contains "ndr" is not a DSN (anchored patterns)', () => {
    expect(classifyAutomated(msg('', { subject: 'Re: Meeting with Alexandr' })).kind).toBeNull();
    expect(classifyAutomated(msg('', { subject: 'Re: delivery status of order 4711' })).kind).toBeNull();
  });

  it.each([['Read: Q3 budget'], ['Gelesen: Q3 budget'], ['Lu : Q3 budget'], ['Not read: Q3 budget'], ['Leído: Q3 budget']])(
    'read receipt subject %j',
    (subject) => {
      expect(classifyAutomated(msg('', { subject })).kind).toBe('read-receipt');
    },
  );

  it.each([['Accepted: Project sync'], ['Declined: Project sync'], ['Tentative: Project sync'], ['Zugesagt: Project sync'], ['Accepté : Project sync']])(
    'calendar reply %j is a person answering',
    (subject) => {
      expect(classifyAutomated(msg('', { subject })).kind).toBe('calendar');
    },
  );

  it('a calendar reply a machine sent (a room mailbox) is automatic', () => {
    expect(isHumanAnswer(classifyAutomated(msg('Auto-Submitted: auto-replied', { subject: 'Declined: Project sync' })))).toBe(false);
  });

  it('no-reply senders, list robots and mail without a From are not people', () => {
    expect(classifyAutomated(msg('', { from: 'Shop <no-reply@shop.example>' })).kind).toBe('auto-reply');
    // A list server refusing the post is that list's bounce (issue 14): not a person either.
    expect(classifyAutomated(msg('', { from: 'neko-admin@lists.example', subject: 'You are not member (neko ML)' })).kind).toBe('dsn-failed');
    expect(classifyAutomated(msg('', { from: 'neko-admin@lists.example', subject: 'Welcome to the neko ML' })).kind).toBe('auto-reply');
    expect(classifyAutomated(msg('', { from: 'owner-linux-mm@kvack.example' })).kind).toBe('auto-reply');
    const noFrom = recordFromEml('To: pat@acme.example\r\nSubject: \r\nMessage-ID: <x@y.example>\r\n\r\nHi. This is the qmail-send program.\r\n');
    expect(isHumanAnswer(classifyAutomated(noFrom))).toBe(false);
  });

  it('a challenge-response is recognised when its text is at hand', () => {
    const body = 'This account is protected by Bluebottle. Please click on the following link to have your address added to the recipient\'s allowed list.';
    expect(classifyAutomated(msg('', { subject: 'RE: BLAH', body }), body).kind).toBe('auto-reply');
  });
});

describe('needsBody and mayBeDsn', () => {
  it('asks for the text of DSNs and auto-replies, not of people, receipts, calendars, lists or notifications', () => {
    expect(needsBody(rec('dsn-postfix-5.1.1.eml'))).toBe(true);
    expect(needsBody(rec('dsn-delayed.eml'))).toBe(true);
    expect(needsBody(rec('dsn-exchange-undeliverable.eml'))).toBe(true);
    expect(needsBody(rec('ooo-exchange-automatic-reply.eml'))).toBe(true);
    expect(needsBody(rec('auto-reply-x-autoreply.eml'))).toBe(true);
    expect(needsBody(rec('reply-outlook-no-references.eml'))).toBe(false);
    expect(needsBody(rec('read-receipt.eml'))).toBe(false);
    expect(needsBody(rec('calendar-accepted.eml'))).toBe(false);
    expect(needsBody(rec('list-post.eml'))).toBe(false);
    expect(needsBody(msg('', { from: 'no-reply@shop.example' }))).toBe(false);
    // The subject already gives the date: nothing to fetch.
    expect(needsBody(msg('Auto-Submitted: auto-replied', { subject: 'AUTO: Bob is out of the office (returning 12/01/2025)' }))).toBe(false);
  });

  it('mayBeDsn is a superset of the DSNs', () => {
    for (const name of ['dsn-postfix-5.1.1.eml', 'dsn-delayed.eml', 'dsn-exchange-undeliverable.eml']) expect(mayBeDsn(rec(name)), name).toBe(true);
    expect(mayBeDsn(rec('reply-outlook-no-references.eml'))).toBe(false);
  });
});
