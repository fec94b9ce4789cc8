// Corpus 03 (../shared/corpora/03-bounces-and-autoreplies) as labelled cases, shared by the
// evaluations that read it (bounces-autoreplies.test.ts, bounce-linking.test.ts).
//
// Labels (read from the corpus's SOURCE.txt and the upstream tests it ships):
// - sisimai: expected-labels-from-p5-sisimai/NNN-<family>-<name>.t give per file index
//   [D.S.N., reply code, reason, hardbounce]. reason "vacation" = auto-reply, "feedback" = ARF
//   report, "delivered" = success DSN; every other reason (userunknown, expired, filtered...) is a
//   failed delivery = bounce. Files without a label (added after the tests, or names that differ:
//   the .t's engine name is tried too) are left out of the bounce share but kept in question 1.
//   not/is-not-bounce-01/02 are mail written by people: they are left out of question 1.
// - BounceParser: expected-tests/*.t. A file is a non-bounce when its test says is_bounce => 0
//   (autoreply.t, non-bounce.t) or `!$bounceN->is_bounce` (warnings.t: warning-6 and -8);
//   every other file a test names is a bounce. Where a test names the failed `addresses`, they
//   are kept (`addresses`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles } from './corpus.js';

export type Label = 'bounce' | 'auto-reply' | 'feedback' | 'delivered' | 'non-bounce' | 'human' | 'spam' | 'unlabelled';

/**
 * Messages of the corpus that a person wrote (or a spammer), not a machine answering: they are
 * left out of question 1 (a person's message is an answer) and of the bounce share.
 */
export const NOT_AUTOMATIC: Record<string, { label: Label; why: string }> = {
  'sisimai/is-not-bounce-01.eml': { label: 'human', why: 'upstream non-bounce: a person\'s mail' },
  'sisimai/is-not-bounce-02.eml': { label: 'human', why: 'upstream non-bounce: a person forwarding a mail as attachment' },
  'sisimai/lhost-sendmail-14.eml': { label: 'human', why: 'a person forwarding a bounce with Apple Mail ("Fwd: Returned mail")' },
  // BounceParser's tests say of these "a non-bounce spam message is parsed as a bounce"; their
  // is_bounce => 1 pins a parser quirk (reports => 0), not a verdict.
  'bounceparser/spam-bogus-email-in-report.msg': { label: 'spam', why: 'spam, not a report (see its .t)' },
  'bounceparser/spam-lots-of-bogus-addresses.msg': { label: 'spam', why: 'spam, not a report (see its .t)' },
  'bounceparser/spam-with-image.msg': { label: 'spam', why: 'spam with an image (see its .t)' },
  'bounceparser/spam-with-badly-parsed-email.msg': { label: 'spam', why: 'spam, named by no test' },
};

function sisimaiLabels(root: string, files: string[]): Map<string, Label> {
  const labels = new Map<string, Label>();
  const present = new Set(files.map((f) => path.basename(f)));
  const testsDir = path.join(root, 'expected-labels-from-p5-sisimai');
  for (const t of listFiles(testsDir)) {
    const text = readFileSync(t, 'utf8');
    const m = /^\d+-(.+)\.t$/.exec(path.basename(t));
    if (!m) continue;
    const family = m[1].split('-')[0];
    const engine = /my \$enginename = '([^']+)'/.exec(text)?.[1].toLowerCase() ?? '';
    const prefixes = [m[1], family === m[1] ? m[1] : `${family}-${engine}`];
    for (const entry of text.matchAll(/'(\d+)'\s*=>\s*\[((?:\s*\[[^\]]*\],?)+)\s*\]/g)) {
      const reasons = [...entry[2].matchAll(/\[\s*'[^']*'\s*,\s*'[^']*'\s*,\s*'([^']*)'/g)].map((r) => r[1]);
      const label: Label = !reasons.length
        ? 'unlabelled'
        : reasons.includes('vacation')
        ? 'auto-reply'
        : reasons.every((r) => r === 'feedback')
          ? 'feedback'
          : reasons.every((r) => r === 'delivered')
            ? 'delivered'
            : 'bounce';
      for (const prefix of prefixes) {
        const file = `${prefix}-${entry[1]}.eml`;
        if (present.has(file)) {
          labels.set(file, label);
          break;
        }
      }
    }
  }
  return labels;
}

function bounceParserLabels(root: string): Map<string, Label> {
  const labels = new Map<string, Label>();
  const corpus = listFiles(path.join(root, 'corpus')).map((f) => path.basename(f));
  for (const t of listFiles(path.join(root, 'expected-tests'))) {
    if (!t.endsWith('.t')) continue;
    const text = readFileSync(t, 'utf8');
    const allZero = /is_bounce\s*=>\s*0/.test(text) && !/is_bounce\s*=>\s*1/.test(text);
    const negated = new Set([...text.matchAll(/!\$bounce(\d+)->is_bounce/g)].map((m) => m[1]));
    for (const ref of text.matchAll(/([\w.*-]+\.msg)/g)) {
      const pattern = new RegExp(`^${ref[1].replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
      for (const file of corpus.filter((f) => pattern.test(f))) {
        const n = /^warning-(\d+)\.msg$/.exec(file)?.[1];
        const label: Label = allZero || (n && negated.has(n)) ? 'non-bounce' : 'bounce';
        if (!labels.has(file) || label === 'non-bounce') labels.set(file, label);
      }
    }
  }
  return labels;
}

export interface Case {
  name: string;
  raw: Buffer;
  label: Label;
}

export function loadCases(root: string): Case[] {
  const cases: Case[] = [];
  const sisimai = path.join(root, 'sisimai-set-of-emails');
  const sFiles = [...listFiles(path.join(sisimai, 'bsd')), ...listFiles(path.join(sisimai, 'not'))];
  const sLabels = sisimaiLabels(sisimai, sFiles);
  for (const f of sFiles) {
    const base = path.basename(f);
    const name = `sisimai/${base}`;
    const label: Label = NOT_AUTOMATIC[name]?.label ?? (f.includes(`${path.sep}not${path.sep}`) ? 'non-bounce' : (sLabels.get(base) ?? 'unlabelled'));
    cases.push({ name, raw: readFileSync(f), label });
  }
  const bp = path.join(root, 'bounceparser-corpus');
  const bLabels = bounceParserLabels(bp);
  for (const f of listFiles(path.join(bp, 'corpus'))) {
    const base = path.basename(f);
    const name = `bounceparser/${base}`;
    cases.push({ name, raw: readFileSync(f), label: NOT_AUTOMATIC[name]?.label ?? bLabels.get(base) ?? 'unlabelled' });
  }
  return cases;
}
