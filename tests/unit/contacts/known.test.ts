import { describe, expect, it } from 'vitest';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { buildContacts, normaliseName, trustOf } from '../../../main/core/contacts/known.js';
import { foldersFromRoles, type Mailbox } from '../../../main/core/store/mailbox.js';
import { accountConfig, fixtureMailboxes } from '../support/junk-mailboxes.js';

describe('buildContacts on the fixture mailboxes', () => {
  // The three accounts these expectations were written for (the m365 and acme accounts of the
  // provider-verdict fixtures add their own contacts).
  const contacts = buildContacts({ mailboxes: fixtureMailboxes({ accounts: ['work', 'home', 'fm'] }) });
  const c = (a: string) => contacts.contacts.get(a);

  it('counts everyone the user wrote to (To and Cc), with names, dates and accounts', () => {
    expect(c('anna@acme.com')).toMatchObject({ sentTo: 2, names: ['Anna Berg'], lastSentTo: '2026-10-02T14:40:03.000Z', firstSeen: '2026-09-14T07:12:44.000Z', accounts: ['work'] });
    expect(c('carla.ruiz@fabrikam.de')).toMatchObject({ sentTo: 1, names: ['Ruiz, Carla'] });
    expect(c('bob.lee@gmail.com')).toMatchObject({ sentTo: 1, accounts: ['home'] });
  });

  it('counts people in a conversation with the user: answered by the user, or answering the user', () => {
    expect(c('dave.kim@initech-systems.com')).toMatchObject({ sentTo: 1, receivedFrom: 1, repliedTo: 1, repliesFrom: 0 });
    expect(c('erin@globex.com')).toMatchObject({ sentTo: 0, receivedFrom: 1, repliedTo: 0, repliesFrom: 1 });
  });

  it('does not make known: mere senders, Junk mail, the user, or recipients of a forged "own" mail', () => {
    expect(c('news@news.shopdeals.example')).toBeUndefined();
    expect(c('liam@northwind-partners.com')).toBeUndefined(); // only in Junk
    expect(c('pat.morgan@brightwave.io')).toBeUndefined();
    // From the user's address but stamped by the receiving server: it came from outside.
    expect(c('collector@payme-now.example')).toBeUndefined();
    expect(contacts.sent.has('x8ad7f@payme-now.example')).toBe(false);
  });

  it('knows organisations only from non-freemail domains the user wrote to', () => {
    expect([...contacts.organisations.keys()].sort()).toEqual(['acme.com', 'fabrikam.de', 'initech-systems.com']);
    expect(contacts.organisations.get('acme.com')).toMatchObject({ people: 1, sentTo: 2 });
    expect(contacts.organisations.has('gmail.com')).toBe(false);
    expect(contacts.organisations.has('globex.com')).toBe(false); // Erin only answered
  });

  it('indexes display names for spoof checks and keeps the look-alike targets', () => {
    expect(contacts.names.get('anna berg')).toEqual(['anna@acme.com']);
    expect(contacts.names.get('carla ruiz')).toEqual(['carla.ruiz@fabrikam.de']);
    expect([...contacts.knownDomains].sort()).toEqual(['acme.com', 'brightwave.io', 'fabrikam.de', 'fastmail.com', 'globex.com', 'gmail.com', 'initech-systems.com', 'outlook.com']);
  });

  it('remembers the user\'s sent mail by Message-ID', () => {
    expect(contacts.sent.get('CAPm0rg4n-sent02-Q4review@mail.gmail.com')).toMatchObject({ subject: 'Re: Q4 supplier review', account: 'work' });
  });

  it('replays the past with `now`', () => {
    const then = buildContacts({ mailboxes: fixtureMailboxes(), now: '2026-09-20T00:00:00Z' });
    expect(then.contacts.get('anna@acme.com')).toMatchObject({ sentTo: 1 });
    expect(then.contacts.has('dave.kim@initech-systems.com')).toBe(false);
  });
});

describe('buildContacts rules', () => {
  const own = 'pat@acme.com';
  const box = (emls: [string, string][]): Mailbox => ({
    account: accountConfig('a', [own]),
    folders: foldersFromRoles('a', { INBOX: 'inbox', Sent: 'sent', Junk: 'junk', Drafts: 'drafts', Trash: 'trash' }),
    messages: emls.map(([folder, eml], i) => recordFromEml(eml.replace(/\n/g, '\r\n') + '\r\n\r\nbody', { account: 'a', folder, uid: i + 1 })),
  });

  it('excludes own addresses with +tags, ignores drafts, counts Bcc', () => {
    const contacts = buildContacts({
      mailboxes: [box([
        ['Sent', 'From: pat@acme.com\nTo: pat+notes@acme.com, x@y.example\nBcc: hidden@z.example\nMessage-ID: <1@a>\nDate: Mon, 5 Oct 2026 10:00:00 +0000'],
        ['Drafts', 'From: pat@acme.com\nTo: draft-only@q.example\nMessage-ID: <2@a>\nDate: Mon, 5 Oct 2026 10:00:00 +0000'],
      ])],
    });
    expect([...contacts.contacts.keys()].sort()).toEqual(['hidden@z.example', 'x@y.example']);
  });

  it('does not count a list reply to the user\'s post as a conversation, but does count the one the user answered', () => {
    const contacts = buildContacts({
      mailboxes: [box([
        ['Sent', 'From: pat@acme.com\nTo: list@lists.example\nMessage-ID: <post@a>\nDate: Mon, 5 Oct 2026 10:00:00 +0000'],
        ['INBOX', 'From: stranger@far.example\nTo: list@lists.example\nList-Id: <list.lists.example>\nIn-Reply-To: <post@a>\nMessage-ID: <r1@far>\nDate: Mon, 5 Oct 2026 11:00:00 +0000'],
        ['INBOX', 'From: helper@near.example\nTo: list@lists.example\nList-Id: <list.lists.example>\nMessage-ID: <q@near>\nDate: Mon, 5 Oct 2026 09:00:00 +0000'],
        ['Sent', 'From: pat@acme.com\nTo: list@lists.example\nIn-Reply-To: <q@near>\nReferences: <q@near>\nMessage-ID: <ans@a>\nDate: Mon, 5 Oct 2026 12:00:00 +0000'],
      ])],
    });
    expect(contacts.contacts.has('stranger@far.example')).toBe(false);
    expect(contacts.contacts.get('helper@near.example')).toMatchObject({ repliedTo: 1 });
  });

  it('reads trust and block entries as addresses or domains (parent domains match, block wins)', () => {
    const contacts = buildContacts({ mailboxes: [], overrides: { trusted: ['@partner.example', 'Ann@Solo.example', 'both.example'], blocked: ['spam.example', 'both.example'] } });
    expect(trustOf({ contacts, address: 'x@mail.partner.example' })).toEqual({ kind: 'trusted', target: 'partner.example' });
    expect(trustOf({ contacts, address: 'ann@solo.example' })).toEqual({ kind: 'trusted', target: 'ann@solo.example' });
    expect(trustOf({ contacts, address: 'bob@solo.example' })).toBeNull();
    expect(trustOf({ contacts, address: 'a@spam.example' })?.kind).toBe('blocked');
    expect(trustOf({ contacts, address: 'a@both.example' })?.kind).toBe('blocked');
    expect(contacts.knownDomains.has('partner.example')).toBe(true);
  });
});

describe('normaliseName', () => {
  it.each([
    ['Anna Berg', 'anna berg'],
    ['Berg, Anna', 'anna berg'],
    ['"ANNA  BERG"', 'anna berg'],
    ['\u0410nna Berg', 'anna berg'], // Cyrillic А
    ['Ánna Berg', 'anna berg'],
    ['Support', ''],
    ['IT Support', ''],
    ['Bo', ''],
    ['anna@acme.com', ''],
    ['', ''],
  ])('%s → "%s"', (name, key) => expect(normaliseName(name)).toBe(key));
});
