// Evaluation over ../shared/corpora/04-notmuch-mailing-list-threads: real list traffic used as a
// pretend mailbox, one frequent poster playing the user.
//
// How the truth is derived (the corpus has no labels for this):
// - Conversations are the connected components of the messages' Message-ID / In-Reply-To /
//   References graph (ids without '@' dropped), i.e. what the authors' clients said.
// - In each conversation, the candidate is the user's latest mail that went to someone who is
//   neither the user nor a mailing list (lists learned from List-Id / List-Post, as the product
//   does) nor a no-reply address: the same eligibility the product applies.
// - The candidate is truly unanswered when no message from anyone else names it in its
//   In-Reply-To or References (a direct or indirect reply to it). Replies to other branches of
//   the conversation do not answer it in the truth, while the product counts any later message
//   from someone else in the conversation as an answer: that difference is measured, not hidden.
// The product's output (entries = the mails it says await a reply) is scored by Message-ID:
// - precision = listed mails that truly got no reply (no message from anyone else names them in
//   In-Reply-To/References) / listed mails. This is what a user sees: is a listed mail really
//   unanswered? (Scored per mail, because without headers the product's conversations are not the
//   References ones: each patch of a series is its own conversation there, and rightly listed
//   when nobody answered it.)
// - recall = truly unanswered conversations (above) whose candidate is listed / all of them.
// Run twice: with the headers as they are, and with In-Reply-To and References removed from
// every message (so only the subject + participants + time fallback can thread).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordFromEml } from '../../main/core/mail/record.js';
import { isNoReplyAddress } from '../../main/core/mail/addresses.js';
import { learnListAddresses } from '../../main/core/mail/lists.js';
import { foldersFromRoles } from '../../main/core/store/mailbox.js';
import { findUnanswered } from '../../main/core/triage/unanswered.js';
import type { MessageRecord } from '../../main/core/model.js';
import { account, corpusDir, listFiles, pct } from './corpus.js';

const dir = corpusDir('04-notmuch-mailing-list-threads');

interface Persona {
  corpus: string;
  addresses: string[];
}

const PERSONAS: Persona[] = [
  // gmane rewrote some of Joe's posts to an obfuscated address: an alias of his.
  { corpus: 'lkml', addresses: ['joe@perches.com', 'joe-6d6dil74uinbdgjk7y7tuq@public.gmane.org'] },
  // Two addresses of one person (gmane's rewritten one is an alias here).
  { corpus: 'lkml', addresses: ['sjayaraman@suse.de', 'sjayaraman-l3a5bk7wagm@public.gmane.org'] },
  { corpus: 'default', addresses: ['cworth@cworth.org'] },
];

function load(corpus: string, user: Set<string>): MessageRecord[] {
  const byId = new Map<string, MessageRecord>();
  let uid = 0;
  for (const f of listFiles(path.join(dir!, corpus))) {
    const rec = recordFromEml(readFileSync(f), { account: 'eval', uid: ++uid });
    const fromUser = user.has(rec.from[0]?.address ?? '');
    rec.locations = [{ folder: fromUser ? 'Sent' : 'INBOX', uid, flags: ['\\Seen'] }];
    if (!byId.has(rec.messageId)) byId.set(rec.messageId, rec);
  }
  return [...byId.values()];
}

/** Message-IDs of the user's mails that someone else replied to (directly or further down). */
function repliedTo(records: MessageRecord[], user: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    if (user.has(r.from[0]?.address ?? '')) continue;
    for (const id of [...r.references, ...(r.inReplyTo ? [r.inReplyTo] : [])]) out.add(id);
  }
  return out;
}

function truth(records: MessageRecord[], user: Set<string>): Set<string> {
  const lists = learnListAddresses(records);
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  const answeredIds = new Set<string>();
  for (const r of records) {
    parent.set(r.messageId, find(r.messageId));
    const ids = [...r.references, ...(r.inReplyTo ? [r.inReplyTo] : [])].filter((id) => id.includes('@'));
    for (const id of ids) {
      if (!parent.has(id)) parent.set(id, id);
      union(r.messageId, id);
      if (!user.has(r.from[0]?.address ?? '')) answeredIds.add(id);
    }
  }
  const latest = new Map<string, MessageRecord>();
  for (const r of records) {
    if (!user.has(r.from[0]?.address ?? '')) continue;
    const eligible = [...r.to, ...r.cc, ...r.bcc].some((a) => !user.has(a.address) && !lists.has(a.address) && !isNoReplyAddress(a.address));
    if (!eligible) continue;
    const c = find(r.messageId);
    const prev = latest.get(c);
    if (!prev || Date.parse(r.date ?? r.internalDate) > Date.parse(prev.date ?? prev.internalDate)) latest.set(c, r);
  }
  return new Set([...latest.values()].filter((r) => !answeredIds.has(r.messageId)).map((r) => r.messageId));
}

function score(records: MessageRecord[], persona: Persona, truthSet: Set<string>, replied: Set<string>) {
  const last = Math.max(...records.map((r) => Date.parse(r.date ?? r.internalDate)));
  const entries = findUnanswered({
    mailboxes: [{ account: account('eval', persona.addresses), folders: foldersFromRoles('eval', { INBOX: 'inbox', Sent: 'sent' }), messages: records }],
    now: new Date(last + 30 * 86_400_000),
  });
  const predicted = new Set(entries.map((e) => e.messageId));
  const correct = [...predicted].filter((id) => !replied.has(id)).length;
  const found = [...truthSet].filter((id) => predicted.has(id)).length;
  return { predicted: predicted.size, correct, found, precision: correct / (predicted.size || 1), recall: found / (truthSet.size || 1) };
}

describe.skipIf(!dir)('corpus 04: notmuch list threads as a pretend mailbox', () => {
  for (const persona of PERSONAS) {
    it(`${persona.corpus} as ${persona.addresses[0]}`, () => {
      const user = new Set(persona.addresses);
      const records = load(persona.corpus, user);
      const truthSet = truth(records, user);
      const sent = records.filter((r) => user.has(r.from[0]?.address ?? '')).length;
      const replied = repliedTo(records, user);
      const asIs = score(records, persona, truthSet, replied);
      const stripped = records.map((r) => ({ ...r, inReplyTo: null, references: [] }));
      const fallback = score(stripped, persona, truthSet, replied);
      console.log(
        `[eval 04] ${persona.corpus} as ${persona.addresses[0]}: ${records.length} messages, ${sent} sent, truly unanswered conversations ${truthSet.size} | ` +
          `with threading headers: listed ${asIs.predicted} (of which without a reply: ${asIs.correct}), precision ${pct(asIs.correct, asIs.predicted)}, recall ${pct(asIs.found, truthSet.size)} | ` +
          `In-Reply-To/References removed: listed ${fallback.predicted} (of which without a reply: ${fallback.correct}), precision ${pct(fallback.correct, fallback.predicted)}, recall ${pct(fallback.found, truthSet.size)}`,
      );
      if (asIs.predicted) expect(asIs.precision).toBeGreaterThanOrEqual(0.8);
      if (truthSet.size) expect(asIs.recall).toBeGreaterThanOrEqual(0.8);
    });
  }
});
