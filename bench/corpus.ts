// A synthetic but realistic mailbox for the benchmark: the user writes to ~1,500 contacts at
// ~300 companies in many time zones; most of their mail is answered (threaded replies with
// References), some gets auto-replies or bounces, newsletters and list mail fill the Inbox, and
// Junk holds spam with Authentication-Results plus a few real contacts' mails.
// Deterministic (seeded PRNG), so every run measures the same data.
import { buildMessage, rfc5322Date } from '../tests/rig/mail.js';

export interface GeneratedMessage {
  folder: 'INBOX' | 'Sent' | 'Junk' | 'Archive';
  raw: string;
  flags: string[];
  internalDate: Date;
}

export const USER = 'pat@acme-consulting.test';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Felix', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Lars', 'Mia', 'Noah', 'Olga', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zoe'];
const LAST = ['Berg', 'Smith', 'Dubois', 'Tanaka', 'Müller', 'García', 'Rossi', 'Kowalski', 'Sharma', 'Silva', 'Nguyen', 'Olsen', 'Brown', 'Costa', 'Novak'];
const ZONES = [
  { tld: 'de', offsets: ['+0100', '+0200'] },
  { tld: 'com', offsets: ['-0500', '-0400'] },
  { tld: 'co.uk', offsets: ['+0000', '+0100'] },
  { tld: 'co.jp', offsets: ['+0900', '+0900'] },
  { tld: 'in', offsets: ['+0530', '+0530'] },
  { tld: 'com.br', offsets: ['-0300', '-0300'] },
  { tld: 'com.au', offsets: ['+1100', '+1000'] },
  { tld: 'fr', offsets: ['+0100', '+0200'] },
];
const TOPICS = ['Proposal', 'Invoice 2026-', 'Kick-off meeting', 'Contract draft', 'Quarterly review', 'Pricing question', 'Project timeline', 'Workshop dates', 'Follow-up on our call', 'Budget approval'];

interface Contact {
  name: string;
  address: string;
  offsets: string[];
}

/** Date header in the contact's offset, summer or winter by month. */
function localDate(d: Date, offsets: string[]): string {
  const summer = d.getUTCMonth() >= 3 && d.getUTCMonth() <= 9;
  const off = summer ? offsets[1] : offsets[0];
  const sign = off[0] === '-' ? -1 : 1;
  const mins = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(3)));
  const local = new Date(d.getTime() + mins * 60_000);
  return rfc5322Date(local).replace('+0000', off);
}

export function* generateMailbox(total = 100_000, seed = 42): Generator<GeneratedMessage> {
  const rand = prng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)];
  const companies = Array.from({ length: 300 }, (_, i) => {
    const z = ZONES[i % ZONES.length];
    return { domain: `company${i}.${z.tld}`, offsets: z.offsets };
  });
  const contacts: Contact[] = Array.from({ length: 1500 }, (_, i) => {
    const c = companies[i % companies.length];
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    return { name: `${first} ${last}`, address: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@${c.domain}`, offsets: c.offsets };
  });

  const quota = { INBOX: Math.round(total * 0.6), Sent: Math.round(total * 0.3), Junk: Math.round(total * 0.05), Archive: 0 };
  quota.Archive = total - quota.INBOX - quota.Sent - quota.Junk;
  const made = { INBOX: 0, Sent: 0, Junk: 0, Archive: 0 };
  const start = Date.UTC(2024, 0, 2, 8);
  const span = Date.UTC(2026, 10, 1) - start;
  let n = 0;
  const id = () => `<b${++n}.${Math.floor(rand() * 1e9).toString(36)}@bench.test>`;

  // Conversations: the user writes, the contact usually answers (Inbox or Archive), sometimes
  // the user writes again.
  while (made.Sent < quota.Sent) {
    const c = pick(contacts);
    const topic = `${pick(TOPICS)}${Math.floor(rand() * 900 + 100)}`;
    let t = new Date(start + rand() * span);
    const refs: string[] = [];
    const rounds = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < rounds && made.Sent < quota.Sent; r++) {
      const sentId = id();
      yield {
        folder: 'Sent',
        raw: buildMessage({ from: `Pat Doe <${USER}>`, to: `${c.name} <${c.address}>`, subject: r ? `Re: ${topic}` : topic, date: t, messageId: sentId, ...(refs.length ? { inReplyTo: refs[refs.length - 1], references: [...refs] } : {}) }),
        flags: ['\\Seen'],
        internalDate: t,
      };
      made.Sent++;
      refs.push(sentId);
      const fate = rand();
      t = new Date(t.getTime() + (1 + rand() * 72) * 3600_000);
      const folder = made.Archive < quota.Archive && rand() < 0.15 ? 'Archive' : 'INBOX';
      if (fate < 0.7 && made[folder] < quota[folder]) {
        const replyId = id();
        yield {
          folder,
          raw: buildMessage({ from: `${c.name} <${c.address}>`, to: USER, subject: `Re: ${topic}`, date: localDate(t, c.offsets), messageId: replyId, inReplyTo: sentId, references: [...refs], headers: { 'Authentication-Results': `mx.acme-consulting.test; spf=pass smtp.mailfrom=${c.address.split('@')[1]}; dkim=pass header.d=${c.address.split('@')[1]}; dmarc=pass header.from=${c.address.split('@')[1]}` } }),
          flags: rand() < 0.9 ? ['\\Seen'] : [],
          internalDate: t,
        };
        made[folder]++;
        refs.push(replyId);
      } else if (fate < 0.75 && made.INBOX < quota.INBOX) {
        yield {
          folder: 'INBOX',
          raw: buildMessage({ from: `${c.name} <${c.address}>`, to: USER, subject: `Automatic reply: ${topic}`, date: localDate(t, c.offsets), inReplyTo: sentId, references: [sentId], headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }, body: 'I am out of the office until Monday, December 1 and will reply on my return.\n' }),
          flags: [],
          internalDate: t,
        };
        made.INBOX++;
      }
      t = new Date(t.getTime() + (2 + rand() * 96) * 3600_000);
    }
  }

  // Inbox and Archive fill: newsletters, list mail, notifications, and mail contacts start.
  for (const folder of ['INBOX', 'Archive'] as const) {
    while (made[folder] < quota[folder]) {
      const t = new Date(start + rand() * span);
      const kind = rand();
      let raw: string;
      if (kind < 0.35) {
        raw = buildMessage({ from: `Team Updates <news@list${Math.floor(rand() * 20)}.test>`, to: USER, subject: `Weekly digest ${Math.floor(rand() * 1e4)}`, date: t, headers: { 'List-Id': `<updates.list${Math.floor(rand() * 20)}.test>`, 'List-Unsubscribe': '<mailto:unsubscribe@list.test>', Precedence: 'list' } });
      } else if (kind < 0.5) {
        raw = buildMessage({ from: `Notifications <no-reply@service${Math.floor(rand() * 30)}.test>`, to: USER, subject: `Your receipt #${Math.floor(rand() * 1e6)}`, date: t });
      } else {
        const c = pick(contacts);
        raw = buildMessage({ from: `${c.name} <${c.address}>`, to: USER, cc: rand() < 0.3 ? pick(contacts).address : undefined, subject: `${pick(TOPICS)} ${Math.floor(rand() * 1e4)}`, date: localDate(t, c.offsets) });
      }
      yield { folder, raw, flags: rand() < 0.8 ? ['\\Seen'] : [], internalDate: t };
      made[folder]++;
    }
  }

  // Junk: spam with failing or absent authentication, and a few real contacts.
  while (made.Junk < quota.Junk) {
    const t = new Date(start + rand() * span);
    const real = rand() < 0.05;
    const c = pick(contacts);
    const spamDomain = `deals${Math.floor(rand() * 500)}.example`;
    const raw = real
      ? buildMessage({ from: `${c.name} <${c.address}>`, to: USER, subject: `${pick(TOPICS)} ${Math.floor(rand() * 1e4)}`, date: localDate(t, c.offsets), headers: { 'Authentication-Results': `mx.acme-consulting.test; spf=pass smtp.mailfrom=${c.address.split('@')[1]}; dkim=pass header.d=${c.address.split('@')[1]}; dmarc=pass header.from=${c.address.split('@')[1]}` } })
      : buildMessage({ from: `${rand() < 0.2 ? c.name : 'Prize Center'} <win@${spamDomain}>`, to: USER, subject: `You won ${Math.floor(rand() * 1e4)} dollars`, date: t, headers: { 'Authentication-Results': `mx.acme-consulting.test; spf=fail smtp.mailfrom=${spamDomain}; dkim=none; dmarc=fail header.from=${spamDomain}` } });
    yield { folder: 'Junk', raw, flags: [], internalDate: t };
    made.Junk++;
  }
}
