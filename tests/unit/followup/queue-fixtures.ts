// Small constructed mailboxes for the follow-up queue's unit tests.
import { mailRecord } from '../support/mail-record.js';
import { foldersFromRoles, type Mailbox } from '../../../main/core/store/mailbox.js';
import type { AccountConfig, MessageRecord } from '../../../main/core/model.js';
import type { FollowUp } from '../../../main/core/followup/queue.js';

export const PAT = 'pat@acme.test';

export const account: AccountConfig = {
  name: 'work',
  imap: { host: '127.0.0.1', port: 1, security: 'none', user: PAT },
  smtp: { host: '127.0.0.1', port: 1, security: 'none', user: PAT },
  addresses: [PAT],
  timeZone: 'Europe/London',
  country: 'GB',
  createdAt: '2026-01-01T00:00:00Z',
};

export type { MailSpec } from '../support/mail-record.js';

/** A record of the work account, built as sync builds one. */
export const mail = mailRecord;

export function mailbox(messages: MessageRecord[]): Mailbox {
  return { account, folders: foldersFromRoles('work', { INBOX: 'inbox', Sent: 'sent', Junk: 'junk', Archive: 'archive' }), messages };
}

/** Pat's question to Bob (Berlin, +0100 in winter), and two older mails of Bob's that show his zone. */
export function budgetThread(): MessageRecord[] {
  return [
    mail({ id: 'bob-old-1@client.de', from: 'Bob Maier <bob@client.de>', to: PAT, subject: 'Hello', date: 'Tue, 13 Jan 2026 10:00:00 +0100' }),
    mail({ id: 'bob-old-2@client.de', from: 'Bob Maier <bob@client.de>', to: PAT, subject: 'Re: Hello', date: 'Wed, 15 Jul 2025 10:00:00 +0200' }),
    mail({
      id: 'q1@acme.test',
      from: 'Pat Lee <pat@acme.test>',
      to: 'Bob Maier <bob@client.de>',
      cc: 'Carla <carla@client.de>, pat@acme.test',
      subject: 'Budget 2026',
      date: 'Thu, 05 Mar 2026 10:00:00 +0000',
      refs: ['root@client.de'],
      irt: 'root@client.de',
      folder: 'Sent',
    }),
  ];
}

/** A queue entry with everything filled in; `over` replaces fields. */
export function entry(over: Partial<FollowUp> = {}): FollowUp {
  const id = over.id ?? 'f000000001';
  return {
    _id: id,
    id,
    account: 'work',
    originalId: 'orig',
    originalMessageId: 'q1@acme.test',
    conversationKey: 'root@client.de',
    recipient: 'bob@client.de',
    from: { name: 'Pat Lee', address: PAT },
    to: ['bob@client.de'],
    cc: [],
    subject: 'Re: Budget 2026',
    text: 'Hi Bob,\n',
    messageId: 'x.1.triage@acme.test',
    inReplyTo: 'q1@acme.test',
    references: ['root@client.de', 'q1@acme.test'],
    scheduledAt: '2026-03-10T09:00:00+01:00',
    scheduledReason: 'inside the window now',
    scheduledRule: 'open-now',
    recipientTimeZone: 'Europe/Berlin',
    timeZoneSource: 'date-offsets+cctld',
    country: 'DE',
    hours: null,
    status: 'scheduled',
    attempts: 0,
    createdAt: '2026-03-09T12:00:00Z',
    updatedAt: '2026-03-09T12:00:00Z',
    step: 1,
    planId: null,
    ...over,
    ...(over.id ? { _id: over.id } : {}),
  };
}
