// Known contacts (ARCHITECTURE.md, "Known contact"): everyone the user wrote to, and everyone who
// took part in a conversation with the user, built from the store in two passes over the
// messages. Mail in Junk never makes anyone known (that is what is being judged), and neither do
// drafts. Freemail domains never make a whole domain known.
import type { Address, FolderRole, MessageRecord } from '../model.js';
import { idsOfSeveralSenders, registrableDomain, skeleton } from '../mail/index.js';
import { isFreemail } from './freemail.js';
import { ownAddresses, roleMap, type Mailbox } from '../store/index.js';

export interface KnownContact {
  /** Lower case. */
  address: string;
  /** Display names seen for this address (as written, first seen first, at most 8). */
  names: string[];
  /** Messages the user sent to this address (To, Cc or Bcc). */
  sentTo: number;
  /** Messages from this address outside Junk. */
  receivedFrom: number;
  /** Their messages the user answered (referenced by one of the user's messages). */
  repliedTo: number;
  /** Their messages that answer one of the user's (In-Reply-To / References). */
  repliesFrom: number;
  /** ISO instants of the first and last message exchanged (either way). */
  firstSeen: string;
  lastSeen: string;
  /** ISO instant of the user's last message to them, or null. */
  lastSentTo: string | null;
  accounts: string[];
}

/** A non-freemail domain the user writes to: an unknown colleague there is a weaker match. */
export interface KnownOrganisation {
  /** Registrable domain, e.g. acme.com. */
  domain: string;
  /** Known contacts at it the user wrote to. */
  people: number;
  /** Messages the user sent to people there. */
  sentTo: number;
  lastSentTo: string | null;
}

/** The user's trust / block list: addresses ("anna@acme.com") or domains ("acme.com", "@acme.com"). */
export interface TrustOverrides {
  trusted?: string[];
  blocked?: string[];
}

export type TrustKind = 'trusted' | 'blocked';

/** A mail the user sent (its stored record), for "it answers your mail ..." reasons. */
export type SentMessage = Pick<MessageRecord, 'messageId' | 'account' | 'subject' | 'internalDate'>;

export interface KnownContacts {
  /** address → contact. */
  contacts: Map<string, KnownContact>;
  /** registrable domain → organisation. */
  organisations: Map<string, KnownOrganisation>;
  /** normalised display name (see `normaliseName`) → addresses of the contacts using it. */
  names: Map<string, string[]>;
  /** The user's own addresses over all accounts, lower case, without +tags. */
  own: Set<string>;
  /** Registrable domains of known contacts, own addresses and trusted domains: look-alike targets. */
  knownDomains: Set<string>;
  /** Message-ID → the user's sent mail. */
  sent: Map<string, SentMessage>;
  trust: { addresses: Map<string, TrustKind>; domains: Map<string, TrustKind> };
}

const MAX_NAMES = 8;

/** Display names that say nothing about a person; never used to match one. */
const GENERIC_NAMES = new Set([
  'support', 'info', 'admin', 'administrator', 'team', 'service', 'services', 'billing',
  'accounts', 'account', 'security', 'helpdesk', 'help desk', 'customer service',
  'customer support', 'notification', 'notifications', 'newsletter', 'sales', 'marketing',
  'office', 'reception', 'webmaster', 'postmaster', 'daemon mailer', 'no reply', 'noreply',
  'donotreply', 'do not reply', 'it support', 'payroll', 'finance', 'hello', 'contact', 'news',
  'mail', 'email', 'user', 'unknown', 'undisclosed recipients', 'recipients undisclosed',
]);

/**
 * A display name reduced for matching: look-alike letters mapped (skeleton), punctuation
 * dropped, words sorted ("Berg, Anna" = "Anna Berg" = "Аnna Berg" with a Cyrillic А).
 * '' when the name cannot identify anyone (empty, an address, too short, generic).
 */
export function normaliseName(name: string): string {
  if (!name || name.includes('@')) return '';
  const words = skeleton(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  if (!words.length) return '';
  words.sort();
  const key = words.join(' ');
  if (key.replace(/ /g, '').length < 4 || GENERIC_NAMES.has(key)) return '';
  return key;
}

/** pat+news@acme.com → pat@acme.com (RFC 5233 sub-addressing keeps the mailbox). */
export function withoutTag(address: string): string {
  const plus = address.indexOf('+');
  if (plus <= 0) return address;
  const at = address.lastIndexOf('@');
  return plus < at ? address.slice(0, plus) + address.slice(at) : address;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

export function isOwnAddress(contacts: Pick<KnownContacts, 'own'>, address: string): boolean {
  return contacts.own.has(address) || contacts.own.has(withoutTag(address));
}

/** Whether the user trusts or blocked this address, its domain or a parent domain. */
export function trustOf({ contacts, address }: { contacts: Pick<KnownContacts, 'trust'>; address: string }): { kind: TrustKind; target: string } | null {
  if (!contacts.trust.addresses.size && !contacts.trust.domains.size) return null;
  const a = address.toLowerCase();
  const byAddress = contacts.trust.addresses.get(a) ?? contacts.trust.addresses.get(withoutTag(a));
  if (byAddress) return { kind: byAddress, target: a };
  let d = domainOf(a);
  while (d.includes('.')) {
    const k = contacts.trust.domains.get(d);
    if (k) return { kind: k, target: d };
    d = d.slice(d.indexOf('.') + 1);
  }
  return null;
}

function readOverrides(overrides: TrustOverrides | undefined): KnownContacts['trust'] {
  const addresses = new Map<string, TrustKind>();
  const domains = new Map<string, TrustKind>();
  const add = (entries: string[] | undefined, kind: TrustKind) => {
    for (const raw of entries ?? []) {
      const e = raw.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
      if (!e) continue;
      if (e.startsWith('@')) domains.set(e.slice(1), kind);
      else if (e.includes('@')) addresses.set(e, kind);
      else domains.set(e, kind);
    }
  };
  add(overrides?.trusted, 'trusted');
  add(overrides?.blocked, 'blocked'); // blocked wins over trusted when both name the same target
  return { addresses, domains };
}

interface FolderKinds {
  junk: Set<string>;
  sent: Set<string>;
  drafts: Set<string>;
}

export function folderKinds(mailbox: Mailbox): FolderKinds {
  const kinds: FolderKinds = { junk: new Set(), sent: new Set(), drafts: new Set() };
  // A folder's role already holds the user's override (FolderState.roleSource 'user').
  const roles: Map<string, FolderRole> = roleMap(mailbox);
  for (const [path, role] of roles) {
    if (role === 'junk') kinds.junk.add(path);
    else if (role === 'sent') kinds.sent.add(path);
    else if (role === 'drafts') kinds.drafts.add(path);
  }
  return kinds;
}

export function isInJunk(record: MessageRecord, kinds: FolderKinds): boolean {
  for (const l of record.locations) if (kinds.junk.has(l.folder)) return true;
  return false;
}

/**
 * Build the known contacts of the user over all their accounts (the same person's contacts,
 * whichever account they wrote from). `now`, when given, ignores mail that arrived after it, so
 * a replay with `--now` sees the contacts as they were then.
 */
export function buildContacts({
  mailboxes,
  overrides,
  now,
}: {
  mailboxes: Mailbox[];
  overrides?: TrustOverrides;
  now?: Date | string;
}): KnownContacts {
  const cutoff = now === undefined ? null : new Date(now).toISOString();
  const own = new Set<string>();
  for (const mb of mailboxes) for (const a of ownAddresses(mb.account)) own.add(withoutTag(a));
  const isOwn = (a: string) => own.has(a) || (a.includes('+') && own.has(withoutTag(a)));

  const tallies = new Map<string, KnownContact>();
  const tally = (address: string, at: string, account: string): KnownContact => {
    let c = tallies.get(address);
    if (!c) {
      c = {
        address, names: [], sentTo: 0, receivedFrom: 0, repliedTo: 0, repliesFrom: 0,
        firstSeen: at, lastSeen: at, lastSentTo: null, accounts: [account],
      };
      tallies.set(address, c);
    } else {
      if (at < c.firstSeen) c.firstSeen = at;
      if (at > c.lastSeen) c.lastSeen = at;
      if (c.accounts[0] !== account && !c.accounts.includes(account)) c.accounts.push(account);
    }
    return c;
  };
  const addName = (c: KnownContact, name: string) => {
    if (!name || c.names.length >= MAX_NAMES || c.names.includes(name)) return;
    if (name.toLowerCase() === c.address) return;
    c.names.push(name);
  };

  const sent = new Map<string, SentMessage>();
  /** Message-IDs the user's mail refers to: their senders were answered by the user. */
  const answered = new Set<string>();
  const received: MessageRecord[] = [];

  // Pass 1: the user's own mail.
  for (const mb of mailboxes) {
    const kinds = folderKinds(mb);
    for (const rec of mb.messages) {
      if (cutoff && rec.internalDate > cutoff) continue;
      if (isInJunk(rec, kinds)) continue;
      const from = rec.from[0];
      if (!from) continue;
      if (!isOwn(from.address)) received.push(rec);
      else if (isSentByUser(rec, kinds)) {
        // Two records of one sent mail (the Sent copy and a stamped copy the user got back,
        // model.ts): its recipients were written to once.
        const again = sent.has(rec.messageId);
        if (!again) sent.set(rec.messageId, rec);
        if (rec.inReplyTo) answered.add(rec.inReplyTo);
        for (const r of rec.references) answered.add(r);
        if (again) continue;
        countRecipients(rec, rec.to);
        countRecipients(rec, rec.cc);
        countRecipients(rec, rec.bcc);
      }
    }
  }
  function countRecipients(rec: MessageRecord, list: Address[]) {
    for (const r of list) {
      if (isOwn(r.address)) continue;
      const c = tally(r.address, rec.internalDate, rec.account);
      c.sentTo++;
      if (!c.lastSentTo || rec.internalDate > c.lastSentTo) c.lastSentTo = rec.internalDate;
      addName(c, r.name);
    }
  }

  // Pass 2: mail from others. A sender becomes known here when the user answered them or they
  // answered the user (this needs the complete set of the user's mail from pass 1). Strangers'
  // mail is set aside: one of them may turn out to be in a conversation further on.
  const pending: MessageRecord[] = [];
  const lateKnown = new Set<string>();
  const ambiguous = idsOfSeveralSenders(received, answered);
  const count = (c: KnownContact, rec: MessageRecord, repliedTo: boolean, repliesFrom: boolean) => {
    if (c.receivedFrom === 0 && c.sentTo === 0) {
      c.firstSeen = c.lastSeen = rec.internalDate;
    } else {
      if (rec.internalDate < c.firstSeen) c.firstSeen = rec.internalDate;
      if (rec.internalDate > c.lastSeen) c.lastSeen = rec.internalDate;
    }
    if (c.accounts[0] !== rec.account && !c.accounts.includes(rec.account)) c.accounts.push(rec.account);
    c.receivedFrom++;
    if (repliedTo) c.repliedTo++;
    if (repliesFrom) c.repliesFrom++;
    addName(c, rec.from[0].name);
  };
  for (const rec of received) {
    const address = rec.from[0].address;
    const repliedTo = answered.size > 0 && answered.has(rec.messageId) && !ambiguous.has(rec.messageId);
    // A list post that answers the user's post is list traffic, not someone writing to the user.
    const repliesFrom =
      (rec.inReplyTo !== null || rec.references.length > 0) && !rec.headers['list-id'] && answersUser(rec, sent) !== null;
    let c = tallies.get(address);
    if (!c) {
      if (!repliedTo && !repliesFrom) {
        pending.push(rec);
        continue;
      }
      c = tally(address, rec.internalDate, rec.account);
      lateKnown.add(address);
    }
    count(c, rec, repliedTo, repliesFrom);
  }
  if (lateKnown.size) {
    for (const rec of pending) {
      const address = rec.from[0].address;
      if (lateKnown.has(address)) count(tallies.get(address)!, rec, false, false);
    }
  }

  const contacts = new Map<string, KnownContact>();
  const organisations = new Map<string, KnownOrganisation>();
  const names = new Map<string, string[]>();
  const knownDomains = new Set<string>();
  for (const [address, c] of tallies) {
    contacts.set(address, c);
    const domain = domainOf(address);
    const reg = registrableDomain(domain);
    if (reg) knownDomains.add(reg);
    if (c.sentTo > 0 && reg && !isFreemail(domain)) {
      const o = organisations.get(reg);
      if (!o) organisations.set(reg, { domain: reg, people: 1, sentTo: c.sentTo, lastSentTo: c.lastSentTo });
      else {
        o.people++;
        o.sentTo += c.sentTo;
        if (c.lastSentTo && (!o.lastSentTo || c.lastSentTo > o.lastSentTo)) o.lastSentTo = c.lastSentTo;
      }
    }
    for (const n of c.names) {
      const key = normaliseName(n);
      if (!key) continue;
      const list = names.get(key);
      if (!list) names.set(key, [address]);
      else if (!list.includes(address)) list.push(address);
    }
  }
  for (const a of own) knownDomains.add(registrableDomain(domainOf(a)));
  const trust = readOverrides(overrides);
  for (const [d, k] of trust.domains) if (k === 'trusted') knownDomains.add(registrableDomain(d));
  for (const [a, k] of trust.addresses) if (k === 'trusted') knownDomains.add(registrableDomain(domainOf(a)));
  knownDomains.delete('');

  return { contacts, organisations, names, own, knownDomains, sent, trust };
}

/**
 * Whether a message From one of the user's addresses was really sent by the user. The Sent
 * folder says so. Elsewhere (Gmail keeps sent mail only in All Mail) a copy that carries
 * Authentication-Results or Received-SPF came in through a receiving server from outside:
 * anyone can write the user's address into From, so such a copy does not count.
 */
function isSentByUser(rec: MessageRecord, kinds: FolderKinds): boolean {
  let draftsOnly = true;
  for (const l of rec.locations) {
    if (kinds.sent.has(l.folder)) return true;
    if (!kinds.drafts.has(l.folder)) draftsOnly = false;
  }
  if (draftsOnly) return false;
  return !rec.headers['authentication-results'] && !rec.headers['received-spf'];
}

/** The user's mail this one answers (In-Reply-To first, then References newest first), or null. */
export function answersUser(rec: MessageRecord, sent: ReadonlyMap<string, SentMessage>): SentMessage | null {
  if (rec.inReplyTo) {
    const s = sent.get(rec.inReplyTo);
    if (s) return s;
  }
  for (let i = rec.references.length - 1; i >= 0; i--) {
    const s = sent.get(rec.references[i]);
    if (s) return s;
  }
  return null;
}
