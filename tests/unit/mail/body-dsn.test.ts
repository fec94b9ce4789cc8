import { describe, expect, it } from 'vitest';
import { readBody } from '../../../main/core/mail/body.js';
import { readDsn } from '../../../main/core/mail/dsn.js';
import { emlText } from '../../fixtures/eml/fixtures.js';

describe('readBody', () => {
  it('walks a multipart/report: text, delivery-status and the returned headers', () => {
    const parts = readBody(emlText('dsn-postfix-5.1.1.eml'));
    expect(parts.text).toContain('could not\nbe delivered');
    expect(parts.deliveryStatus).toHaveLength(1);
    expect(parts.deliveryStatus[0]).toContain('Action: failed');
    expect(parts.originalHeaders[0]).toContain('Message-ID: <7d1e2f30-aaaa-4bbb-8ccc-0d1e2f3a4b5c@acme.example>');
  });

  it('reads BODY[TEXT] with the Content-Type the record kept', () => {
    const full = emlText('dsn-postfix-5.1.1.eml');
    const bodyOnly = full.slice(full.indexOf('\n\n') + 2);
    const ct = 'multipart/report; report-type=delivery-status; boundary="4C1F2A0123.1763367182/mail.acme.example"';
    expect(readBody(bodyOnly, ct).deliveryStatus[0]).toContain('Final-Recipient: rfc822; dan@gone.example');
  });

  it('decodes quoted-printable and base64 with their charsets', () => {
    expect(readBody(emlText('ooo-german-abwesenheitsnotiz.eml')).text).toContain('ab dem 1. Dezember wieder im Büro');
    expect(readBody(emlText('calendar-accepted.eml')).calendar[0]).toContain('METHOD:REPLY');
    const latin1 = 'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\nFrom: a@b.example\r\n\r\nGr\xfc\xdfe';
    expect(readBody(latin1).text).toBe('Grüße');
    const b64 = Buffer.from('Je serai de retour le 3 décembre.').toString('base64');
    expect(readBody(b64, 'text/plain; charset=utf-8').text).toBe('Je serai de retour le 3 décembre.');
  });

  it('survives hostile MIME: missing boundary, unterminated parts, deep nesting, bad base64, huge input', () => {
    expect(() => readBody('Content-Type: multipart/mixed\r\nFrom: a@b.example\r\n\r\nno boundary here')).not.toThrow();
    expect(readBody('Content-Type: multipart/mixed; boundary=x\r\nFrom: a@b.example\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nopen part').text).toBe('open part');
    let nested = 'leaf';
    for (let i = 0; i < 50; i++) nested = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--`;
    expect(() => readBody(`From: a@b.example\r\n${nested}`)).not.toThrow();
    expect(() => readBody('Content-Transfer-Encoding: base64\r\nFrom: a@b.example\r\n\r\n!!!***', null)).not.toThrow();
    const t = performance.now();
    readBody('From: a@b.example\r\n\r\n' + 'x'.repeat(5_000_000));
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe('readDsn', () => {
  it('prose bounces without a report part (qmail): failed, recipient from the text', () => {
    const qmail = readDsn(
      readBody(
        "From: MAILER-DAEMON@mx.example\r\nSubject: failure notice\r\n\r\nHi. This is the qmail-send program at mx.example.\r\nI'm afraid I wasn't able to deliver your message to the following addresses.\r\nThis is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n<dan@gone.example>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nMessage-ID: <orig-1@acme.example>\r\nSubject: Lunch\r\n\r\nHi\r\n",
      ),
    );
    expect(qmail).toMatchObject({ action: 'failed', recipients: ['dan@gone.example'], originalMessageId: 'orig-1@acme.example', originalSubject: 'Lunch' });
  });

  it('a warning that will be retried is delayed; "not going to try again" is failed', () => {
    const warn = readDsn(readBody('From: MAILER-DAEMON@x.example\r\n\r\nThis is a warning message only. Your message has not yet been delivered; the system will keep trying.'));
    expect(warn.action).toBe('delayed');
    const gaveUp = readDsn(
      readBody('From: MAILER-DAEMON@x.example\r\n\r\nUnable to deliver message to <k@y.example>: Resources temporarily unavailable, please try again later. I\'m not going to try again; this message has been in the queue too long.'),
    );
    expect(gaveUp.action).toBe('failed');
  });

  it('several recipients: the worst action wins', () => {
    const ds = 'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@x.example\nAction: delivered\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; b@x.example\nAction: failed\nStatus: 5.2.2\n';
    const r = readDsn({ text: '', deliveryStatus: [ds], originalHeaders: [], dispositions: [], calendar: [] });
    expect(r).toMatchObject({ action: 'failed', status: '5.2.2', recipients: ['a@x.example', 'b@x.example'] });
  });
});
