// The mailbox of issue 14, item 2: genuine replies in INBOX, and in Junk forgeries that reuse
// their Message-IDs. Shared by forged-copies.test.ts (every rig server, through the CLI) and the
// script that wrote the old-format store fixture (tests/fixtures/store/README.md).
//   1. Anna's genuine reply (DMARC pass) in INBOX; in Junk a forgery with her Message-ID, another
//      From (her display name on another domain) and dmarc=fail: the reproduction.
//   2. Bob's genuine mail (DMARC pass) in INBOX; in Junk a copy with his Message-ID, his very
//      From and Subject, but no Authentication-Results at all: only the copy's own digest tells
//      it apart, and nothing about its headers alone says "forged".
import { buildMessage } from '../rig/mail.js';
import type { SeedMessage } from '../rig/imap-server.js';

export const USER = 'pat@acme.test';
const ME = `Pat Doe <${USER}>`;
const day = (d: number, h = 9) => new Date(Date.UTC(2026, 10, d, h));
const PASS = (domain: string) => `mx.acme.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;

export const ANNA_REPLY_ID = 'anna-reply-1@client.test';
export const BOB_NOTE_ID = 'bob-note-1@corp.test';

export const SEED: Record<'Sent' | 'INBOX' | 'Junk', SeedMessage[]> = {
  Sent: [
    { raw: buildMessage({ from: ME, to: 'Anna Berg <anna@client.test>', subject: 'Quote for the Berlin office', date: day(2), messageId: '<quote-1@acme.test>' }), internalDate: day(2) },
    { raw: buildMessage({ from: ME, to: 'Bob Stone <bob@corp.test>', subject: 'Contract draft', date: day(3), messageId: '<contract-1@acme.test>' }), internalDate: day(3) },
  ],
  INBOX: [
    {
      raw: buildMessage({
        from: 'Anna Berg <anna@client.test>',
        to: USER,
        subject: 'Re: Quote for the Berlin office',
        date: day(4),
        messageId: `<${ANNA_REPLY_ID}>`,
        inReplyTo: '<quote-1@acme.test>',
        references: '<quote-1@acme.test>',
        headers: { 'Authentication-Results': PASS('client.test') },
      }),
      internalDate: day(4),
    },
    {
      raw: buildMessage({
        from: 'Bob Stone <bob@corp.test>',
        to: USER,
        subject: 'Re: Contract draft',
        date: day(5),
        messageId: `<${BOB_NOTE_ID}>`,
        inReplyTo: '<contract-1@acme.test>',
        references: '<contract-1@acme.test>',
        headers: { 'Authentication-Results': PASS('corp.test') },
      }),
      internalDate: day(5),
    },
  ],
  Junk: [
    {
      raw: buildMessage({
        from: 'Anna Berg <anna@client-billing.test>',
        to: USER,
        subject: 'Re: Quote for the Berlin office - new bank details',
        date: day(6),
        messageId: `<${ANNA_REPLY_ID}>`,
        inReplyTo: '<quote-1@acme.test>',
        references: '<quote-1@acme.test>',
        headers: { 'Authentication-Results': 'mx.acme.test; spf=fail smtp.mailfrom=client-billing.test; dkim=none; dmarc=fail header.from=client-billing.test' },
        body: 'Please pay to our new account.\n',
      }),
      internalDate: day(6),
    },
    {
      raw: buildMessage({
        from: 'Bob Stone <bob@corp.test>',
        to: USER,
        subject: 'Re: Contract draft',
        date: day(5),
        messageId: `<${BOB_NOTE_ID}>`,
        inReplyTo: '<contract-1@acme.test>',
        references: '<contract-1@acme.test>',
        body: 'Signed copy attached, please wire the deposit today.\n',
      }),
      internalDate: day(6, 10),
    },
  ],
};
