import { describe, expect, it } from 'vitest';
import { addressesIn, noticePart, verpRecipient } from '../../../main/core/mail/bounce-addresses.js';
import { readBody } from '../../../main/core/mail/body.js';
import { readDsn } from '../../../main/core/mail/dsn.js';
import { emlText } from '../../fixtures/eml/fixtures.js';

describe('addressesIn', () => {
  it.each<[string, string[]]>([
    ['The following address(es) failed:\n\n  carla@oldcorp.example\n    SMTP error', ['carla@oldcorp.example']],
    ['>>> kijitora@example.org <kijitora@example.org>', ['kijitora@example.org']],
    ['was not delivered to:\n\n  Anna.Berg@OldCo.Example.\n\nbecause: User not listed', ['anna.berg@oldco.example']],
    ['Final-Recipient: rfc822;dan@gone.example', ['dan@gone.example']],
    ['RCPT TO:<x@a.example>: 550 (mailto:y@b.example)', ['x@a.example', 'y@b.example']],
    // the servers' own mailboxes, bare hosts and IP literals are not recipients
    ['please write to postmaster@mx.example or MAILER-DAEMON@mx.example', []],
    ['host@192.0.2.1 and user@localhost and a@b', []],
  ])('%j → %j', (text, expected) => {
    expect(addressesIn(text)).toEqual(expected);
  });

  it('leaves out what it is told to', () => {
    expect(addressesIn('a@x.example b@y.example', new Set(['a@x.example']))).toEqual(['b@y.example']);
  });

  it('is linear on hostile input: 32 KB of "a@a@a@" and 1 MB of local-part characters', () => {
    // A few milliseconds each on an idle machine; the bound leaves room for a loaded one, while
    // a quadratic scan of these inputs would take minutes.
    for (const hostile of ['a@'.repeat(16_384), 'a'.repeat(1_000_000) + '@', '@'.repeat(100_000), ('x'.repeat(60) + '@' + 'd.'.repeat(200)).repeat(200)]) {
      const t = performance.now();
      addressesIn(hostile);
      expect(performance.now() - t).toBeLessThan(2000);
    }
    expect(addressesIn(('x'.repeat(60) + '@d.example ').repeat(1000)).length).toBe(1);
  });
});

describe('noticePart', () => {
  it.each([
    ['------ This is a copy of the message, including all the headers. ------'],
    ['--- Below this line is a copy of the message.'],
    ['   ----- Unsent message follows -----'],
    ['----- Original message -----'],
    ['Original message headers:'],
    ['Received: from mx.example (mx.example [192.0.2.1])'],
  ])('stops before %j', (separator) => {
    const text = `Delivery failed for a@x.example\n\n${separator}\nTo: b@y.example\n`;
    expect(addressesIn(noticePart(text))).toEqual(['a@x.example']);
  });

  it('keeps a notice without a copy whole, and reads at most 16,000 characters', () => {
    expect(noticePart('just a notice\nto a@x.example')).toBe('just a notice\nto a@x.example');
    expect(noticePart('x'.repeat(50_000)).length).toBe(16_000);
  });
});

describe('verpRecipient', () => {
  it.each<[string, string | null]>([
    ['news-bounces+carla=oldcorp.example@lists.acme.example', 'carla@oldcorp.example'], // Mailman
    ['bounce+xxxx=yyyyyy.net@zzzzzzzz.net', 'xxxx@yyyyyy.net'],
    ['news-return-42-carla=oldcorp.example@lists.acme.example', 'carla@oldcorp.example'], // ezmlm
    ['srs0=ab12=tt=example.com=carla@forwarder.example', null], // SRS, not VERP
    ['pat+tag@acme.example', null],
    ['a=b@acme.example', null],
    ['x+=oldcorp.example@l.example', null],
    ['x+carla=localhost@l.example', null],
  ])('%s → %s', (address, expected) => {
    expect(verpRecipient(address)).toBe(expected);
  });
});

describe('readDsn: what a prose bounce names', () => {
  it('Exim without a report: the failed address from the text, nothing from the returned body', () => {
    const report = readDsn(readBody(emlText('dsn-exim-prose-no-message-id.eml')));
    expect(report).toMatchObject({ action: 'failed', recipients: [], originalMessageId: null, mentioned: ['carla@oldcorp.example'], originalRecipients: [] });
  });

  it('old Sendmail returning the mail inline after "Unsent message follows": its To and Subject', () => {
    const text = [
      'From: MAILER-DAEMON@mx.example',
      'Subject: Returned mail: User unknown',
      '',
      '   ----- Transcript of session follows -----',
      '550 kijitora@example.com... User unknown',
      '',
      '   ----- Unsent message follows -----',
      'Received: by mx9.example.com; Thu, 29 Apr 1995 23:34:45 +0900',
      'From: pat@acme.example',
      'To: kijitora@example.com, Bob <bob@example.net>',
      'Subject: Nyaaan',
      '',
      'text',
    ].join('\n');
    const report = readDsn(readBody(text));
    expect(report.originalSubject).toBe('Nyaaan');
    expect(report.mentioned).toEqual(['kijitora@example.com']);
    expect(report.originalRecipients).toEqual(['kijitora@example.com', 'bob@example.net']);
  });
});
