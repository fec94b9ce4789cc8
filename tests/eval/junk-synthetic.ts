// A synthetic store for measuring the Junk analysis at scale, shaped like a real one: a quarter
// of the mail sent by the user to ~2,000 contacts on ~700 domains (a third freemail), threads
// with In-Reply-To/References between the user and contacts, Gmail-style Authentication-Results
// on received mail, mail from strangers and lists. Junk holds mostly spam from random domains
// plus some mail from contacts, display-name spoofs, look-alikes and replies to the user.
// Used by junk-speed.test.ts; the bench can use it too.
import type { MessageRecord } from '../../main/core/model.js';
import { foldersFromRoles, type Mailbox } from '../../main/core/store/mailbox.js';

/** mulberry32: a tiny seeded PRNG, so every run measures the same store. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ro', 'ta', 'vi', 'su', 'pe', 'dra', 'gon', 'ber', 'lin', 'tech', 'sys', 'net', 'corp', 'ware', 'data', 'soft', 'max', 'tri', 'zen', 'quo'];
const FIRST = ['Anna', 'Ben', 'Carla', 'Dave', 'Erin', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Marco', 'Nadia', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq'];
const LAST = ['Berg', 'Lee', 'Ruiz', 'Kim', 'Walsh', 'Haddad', 'Nowak', 'Rossi', 'Silva', 'Tanaka', 'Meyer', 'Okafor', 'Dubois', 'Larsen', 'Costa', 'Novak', 'Ito', 'Weber', 'Khan', 'Moreau'];
const FREEMAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'gmx.de', 'web.de', 'hotmail.co.uk', 'proton.me'];

export function syntheticStore({ stored = 100_000, junk = 5_000, seed = 42 } = {}): Mailbox {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const word = (n: number) => Array.from({ length: n }, () => pick(SYLLABLES)).join('');
  const own = 'pat@brightwave.io';
  const domains = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? pick(FREEMAIL) : `${word(2 + (i % 3))}${i % 5 === 0 ? '-group' : ''}.${pick(['com', 'de', 'io', 'co.uk', 'net'])}`));
  const contacts = Array.from({ length: 2000 }, (_, i) => {
    const name = `${pick(FIRST)} ${pick(LAST)}`;
    return { name, address: `${name.toLowerCase().replace(' ', '.')}${i}@${domains[i % domains.length]}` };
  });
  const strangers = Array.from({ length: 20_000 }, (_, i) => ({ name: `News ${i}`, address: `news${i}@${word(3)}.com` }));
  const ar = (from: string, ok: boolean) =>
    `mx.google.com; dkim=${ok ? 'pass' : 'none'} header.i=@${from.split('@')[1]} header.s=s1 header.b=abc; spf=${ok ? 'pass' : 'softfail'} (google.com: domain of ${from} designates 192.0.2.1 as permitted sender) smtp.mailfrom=${from}; dmarc=${ok ? 'pass' : 'none'} (p=NONE sp=NONE dis=NONE) header.from=${from.split('@')[1]}`;
  const messages: MessageRecord[] = [];
  /** Recent mail of the user and of contacts: replies go to one of these (strangers get none). */
  const userIds: string[] = [];
  const contactIds: string[] = [];
  const recent = (list: string[]) => list[list.length - 1 - Math.floor(r() * Math.min(list.length, 300))];
  let t = Date.UTC(2024, 0, 1);
  const base = (n: number, folder: string): MessageRecord => {
    t += 60_000 + Math.floor(r() * 600_000);
    const at = new Date(t).toISOString();
    return {
      _id: n.toString(16).padStart(12, '0'), account: 'bench', messageId: `m${n}.${seed}@bench.example`,
      locations: [{ folder, uid: n + 1, flags: [] }], internalDate: at, date: at, dateHeader: null,
      subject: `Subject ${n}`, from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [],
      inReplyTo: null, references: [], headers: {}, size: 2000,
    };
  };
  for (let n = 0; n < stored; n++) {
    const kind = r();
    let m: MessageRecord;
    if (kind < 0.25) {
      m = base(n, 'Sent');
      m.from = [{ name: 'Pat Morgan', address: own }];
      m.to = [pick(contacts)];
      if (r() < 0.3) m.cc = [pick(contacts), pick(contacts)];
    } else if (kind < 0.6) {
      m = base(n, 'INBOX');
      const c = pick(contacts);
      m.from = [c];
      m.to = [{ name: 'Pat Morgan', address: own }];
      m.headers['authentication-results'] = ar(c.address, true);
    } else {
      m = base(n, r() < 0.5 ? 'INBOX' : 'Archive');
      const s = pick(strangers);
      m.from = [s];
      m.to = [{ name: '', address: own }];
      m.headers['authentication-results'] = ar(s.address, r() < 0.8);
      if (r() < 0.5) m.headers['list-id'] = `<list${n % 50}.bench.example>`;
    }
    const isUser = m.from[0].address === own;
    const isContact = !isUser && !m.headers['list-id'] && m.from[0].name.indexOf('News ') !== 0;
    const parents = isUser ? contactIds : isContact ? userIds : [];
    if (parents.length && r() < 0.5) {
      const parent = recent(parents);
      m.inReplyTo = parent;
      m.references = [recent(parents), parent];
    }
    if (isUser) userIds.push(m.messageId);
    else if (isContact) contactIds.push(m.messageId);
    messages.push(m);
  }
  for (let n = stored; n < stored + junk; n++) {
    const m = base(n, 'Junk');
    const kind = r();
    if (kind < 0.05) m.from = [pick(contacts)]; // real mail from a contact: rescue
    else if (kind < 0.08) m.from = [{ name: pick(contacts).name, address: `${word(2)}@${pick(FREEMAIL)}` }]; // display-name spoof
    else if (kind < 0.1) m.from = [{ name: 'Billing', address: `billing@${domains[1 + Math.floor(r() * 200) * 3].replace(/[aeiou]/, 'x')}` }]; // look-alike
    else m.from = [{ name: `Offer ${n}`, address: `promo@${word(3)}${n}.${pick(['biz', 'top', 'xyz', 'com'])}` }];
    m.to = [{ name: '', address: own }];
    m.headers['authentication-results'] = ar(m.from[0].address, r() < 0.6);
    if (r() < 0.03) m.inReplyTo = recent(userIds); // a reply to the user's mail
    messages.push(m);
  }
  return {
    account: { name: 'bench', imap: { host: 'localhost', port: 143, security: 'none', user: own }, addresses: [own], createdAt: '2024-01-01T00:00:00Z' },
    folders: foldersFromRoles('bench', { INBOX: 'inbox', Sent: 'sent', Archive: 'archive', Junk: 'junk' }),
    messages,
  };
}
