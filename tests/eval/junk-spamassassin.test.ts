// Evaluation over 01-spamassassin-project-test-messages: the user has written to the sender of
// every ham mail in nice/ (a synthetic Sent mail each), and then the ham itself lands in Junk,
// together with all of spam/. Ham from a known sender should come out 'rescue' (we report the
// share and why the rest did not); spam should not, and we report every one that does and why.
// phishing/ holds URL feeds, not mails: there is nothing to put in Junk from it.
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../main/core/model.js';
import { junkVerdicts } from '../../main/core/triage/junk.js';
import { corpusDir, countBy, filesUnder, mailbox, readAsJunk, sentTo } from './junk-corpus.js';

const dir = corpusDir('01-spamassassin-project-test-messages');
const OWN = ['pat@inbox-triage.test'];

describe.skipIf(!dir)('junk eval: 01-spamassassin-project-test-messages', () => {
  const ham: MessageRecord[] = dir ? readAsJunk(filesUnder(path.join(dir, 'nice'))) : [];
  const spam: MessageRecord[] = dir ? readAsJunk(filesUnder(path.join(dir, 'spam')), 10_000) : [];
  const hamSenders = [...new Set(ham.map((r) => r.from[0]?.address).filter((a): a is string => !!a))];
  const sent = hamSenders.map((address, i) => sentTo(OWN[0], [{ name: '', address }], i));
  const entries = junkVerdicts({ mailboxes: [mailbox(OWN, [...ham, ...spam, ...sent])] });
  const byId = new Map(entries.map((e) => [e.id, e]));

  it('ham from known senders placed in Junk comes out rescue', () => {
    const withFrom = ham.filter((r) => r.from.length);
    const verdicts = withFrom.map((r) => byId.get(r._id)?.verdict ?? 'not listed');
    const counts = countBy(verdicts, (v) => v);
    const share = (counts.rescue ?? 0) / withFrom.length;
    console.log(`[junk eval] spamassassin nice/ (${ham.length} ham, ${withFrom.length} with a From, ${hamSenders.length} senders, all written to): ${JSON.stringify(counts)}; rescue share ${(share * 100).toFixed(1)}%`);
    for (const r of withFrom) {
      const e = byId.get(r._id);
      if (e?.verdict !== 'rescue') console.log(`[junk eval]   ham not rescued: ${r.from[0].address}: ${e ? e.reasons.join(' | ') : 'not listed'}`);
    }
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  it('spam in Junk: how many come out rescue, and why', () => {
    const listed = spam.map((r) => byId.get(r._id)).filter((e) => !!e);
    const counts = countBy(listed, (e) => e!.verdict);
    console.log(`[junk eval] spamassassin spam/ (${spam.length}): rescue ${counts.rescue ?? 0}, suspicious ${counts.suspicious ?? 0}, not listed ${spam.length - listed.length}`);
    for (const e of listed) console.log(`[junk eval]   spam ${e!.verdict}: ${e!.from}: ${e!.reasons.join(' | ')}`);
    // A spam is only rescued when its sender address is one the user wrote to (the test set
    // reuses sender@example.com and friends in nice/ and spam/).
    for (const e of listed.filter((x) => x!.verdict === 'rescue')) expect(hamSenders).toContain(e!.from);
  });

  it('phishing/ holds feeds of URLs, not mails', () => {
    const p = path.join(dir!, 'phishing');
    const files = existsSync(p) ? readdirSync(p) : [];
    console.log(`[junk eval] spamassassin phishing/: ${files.join(', ')} (URL feeds, no mail to evaluate)`);
    expect(files.every((f) => /\.(txt|csv)$/.test(f))).toBe(true);
  });
});
