// Issue 15 (the regex part): a colleague on parental leave or a sabbatical is away, not silent.
// The sent mail they did not answer stays awaiting, paused until the first working day of the
// month they name.
import { describe, expect, it } from 'vitest';
import { mailRecord } from '../support/mail-record.js';
import { findUnanswered } from '../../../main/core/triage/unanswered.js';
import { needsBody } from '../../../main/core/mail/index.js';
import { emlText, mailbox, rec } from '../../fixtures/eml/fixtures.js';

describe('an out-of-office note about a long leave', () => {
  it('"on parental leave until January 2028" pauses the sent mail until 3 January 2028', () => {
    const sent = mailRecord({
      id: 'renewal-1@acme.example',
      from: 'Pat Jones <pat@acme.example>',
      to: 'Dana Reyes <dana.reyes@northwind.example>',
      subject: 'Renewal quote for 2027/28',
      date: 'Mon, 14 Jun 2027 15:00:00 +0200',
      folder: 'Sent',
    });
    const ooo = rec('ooo-parental-leave-until-january-2028.eml');
    expect(needsBody(ooo)).toBe(true);
    const bodies = new Map([[ooo._id, emlText('ooo-parental-leave-until-january-2028.eml')]]);
    const [entry, ...rest] = findUnanswered({ mailboxes: [mailbox([sent, ooo])], now: new Date('2027-06-20T12:00:00Z'), bodies });
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ subject: 'Renewal quote for 2027/28', status: 'awaiting', outOfOfficeUntil: '2028-01-03' });
  });
});
