// The pretend user of the Junk fixtures: Pat Morgan with five accounts, one per receiver style.
//   work  pat.morgan@brightwave.io     Google Workspace: Gmail layout (All Mail + Spam), mx.google.com
//   home  pat.morgan@outlook.com       Outlook.com: Inbox, Sent Items, Junk Email; id-less A-R
//   fm    pat@fastmail.com             Fastmail: INBOX, Sent, Spam; mxN.messagingengine.com;
//                                      X-Spam-score, X-Spam-known-sender on Spam
//   m365  pat.morgan@tailspin-toys.com Microsoft 365: Inbox, Sent Items, Junk Email; id-less A-R;
//                                      X-Forefront-Antispam-Report, X-Microsoft-Antispam
//   acme  pat@acme-widgets.com         the company's own Postfix with OpenDKIM and SpamAssassin
//                                      (mail.acme-widgets.com). A new account: its INBOX holds
//                                      mail imported from Pat's old Gmail (mx.google.com on top),
//                                      so the receiver it learns is google.com, not its own.
//                                      X-Spam-Status on Junk.
// Context mail (what makes contacts known) is in fixtures/junk/context, Junk mail in
// fixtures/junk/junk; the file name's first word names the account.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFromEml } from '../../../main/core/mail/record.js';
import type { AccountConfig, FolderRole, MessageRecord } from '../../../main/core/model.js';
import { foldersFromRoles, type Mailbox } from '../../../main/core/store/mailbox.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/junk');

export function accountConfig(name: string, addresses: string[]): AccountConfig {
  return {
    name,
    imap: { host: 'imap.example.net', port: 993, security: 'tls', user: addresses[0] },
    addresses,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const LAYOUT: Record<string, { address: string; roles: Record<string, FolderRole>; context: (file: string) => string; junk: string }> = {
  work: {
    address: 'pat.morgan@brightwave.io',
    roles: { '[Gmail]/All Mail': 'all', '[Gmail]/Spam': 'junk', '[Gmail]/Sent Mail': 'sent' },
    // Gmail's sync reads All Mail and Spam only: the user's sent mail is in All Mail, unlabelled.
    context: () => '[Gmail]/All Mail',
    junk: '[Gmail]/Spam',
  },
  home: {
    address: 'pat.morgan@outlook.com',
    roles: { Inbox: 'inbox', 'Sent Items': 'sent', 'Junk Email': 'junk' },
    context: (f) => (f.includes('-sent-') ? 'Sent Items' : 'Inbox'),
    junk: 'Junk Email',
  },
  fm: {
    address: 'pat@fastmail.com',
    roles: { INBOX: 'inbox', Sent: 'sent', Spam: 'junk' },
    context: (f) => (f.includes('-sent-') ? 'Sent' : 'INBOX'),
    junk: 'Spam',
  },
  m365: {
    address: 'pat.morgan@tailspin-toys.com',
    roles: { Inbox: 'inbox', 'Sent Items': 'sent', 'Junk Email': 'junk' },
    context: (f) => (f.includes('-sent-') ? 'Sent Items' : 'Inbox'),
    junk: 'Junk Email',
  },
  acme: {
    address: 'pat@acme-widgets.com',
    roles: { INBOX: 'inbox', Sent: 'sent', Junk: 'junk' },
    context: (f) => (f.includes('-sent-') ? 'Sent' : 'INBOX'),
    junk: 'Junk',
  },
};

export function readFixture(dir: 'context' | 'junk', file: string, account: string, folder: string, uid: number): MessageRecord {
  return recordFromEml(readFileSync(path.join(FIXTURES, dir, file)), { account, folder, uid });
}

/** All accounts (or those in `accounts`); `only` limits the Junk fixtures to those file names. */
export function fixtureMailboxes(options: { only?: string[]; accounts?: string[] } = {}): Mailbox[] {
  const boxes: Mailbox[] = [];
  for (const [name, layout] of Object.entries(LAYOUT)) {
    if (options.accounts && !options.accounts.includes(name)) continue;
    const messages: MessageRecord[] = [];
    let uid = 1;
    for (const f of readdirSync(path.join(FIXTURES, 'context')).sort()) {
      if (f.startsWith(`${name}-`)) messages.push(readFixture('context', f, name, layout.context(f), uid++));
    }
    for (const f of readdirSync(path.join(FIXTURES, 'junk')).sort()) {
      if (!f.startsWith(`${name}-`)) continue;
      if (options.only && !options.only.includes(f)) continue;
      messages.push(readFixture('junk', f, name, layout.junk, uid++));
    }
    boxes.push({ account: accountConfig(name, [layout.address]), folders: foldersFromRoles(name, layout.roles), messages });
  }
  return boxes;
}

export function junkFixtureNames(): string[] {
  return readdirSync(path.join(FIXTURES, 'junk')).filter((f) => f.endsWith('.eml')).sort();
}
