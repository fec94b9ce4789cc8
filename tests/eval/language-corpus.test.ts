// How well the follow-up's language is read from real mail: the corpora's mails in German,
// Portuguese, French, Dutch, Spanish, Italian, English and languages without templates, labelled
// by a person (tests/eval/language-labels.tsv says how), through the product's own path: the text
// body (mail/body.ts readBody), the writer's own words (ownWords), eld (detectLanguage). Reported:
// accuracy overall and per language, and what the follow-up would be written in (a language
// without templates means English). Skipped, with a message, when the corpora are absent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage, ownWords, readBody } from '../../main/core/mail/index.js';
import { FOLLOW_UP_LANGUAGES } from '../../main/core/api.js';
import { corporaRoot, corpusDir, pct } from './corpus.js';

const present = corpusDir('02-phishing-pot-modern-spam') !== null;
const TEMPLATES = new Set<string>(FOLLOW_UP_LANGUAGES.map((l) => l.code));
const labels = readFileSync(path.join(import.meta.dirname, 'language-labels.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string]);

describe.skipIf(!present)('language of the corpora (eld on the writer’s own words)', () => {
  it('reads the language of labelled mails; a follow-up is written in the right language', async () => {
    const per = new Map<string, { n: number; ok: number }>();
    let ok = 0;
    let followUpOk = 0;
    let n = 0;
    const wrong: string[] = [];
    const started = performance.now();
    for (const [file, label] of labels) {
      const raw = readFileSync(path.join(corporaRoot, file)).toString('utf8');
      const guess = (await detectLanguage(ownWords(readBody(raw).text))).language ?? 'none';
      const hit = guess === label;
      // The follow-up's language: a template language as read, else English (language.ts).
      const wanted = TEMPLATES.has(label) ? label : 'en';
      const got = TEMPLATES.has(guess) ? guess : 'en';
      n++;
      if (hit) ok++;
      if (wanted === got) followUpOk++;
      else wrong.push(`${file}: ${label} read as ${guess}`);
      const p = per.get(label) ?? { n: 0, ok: 0 };
      p.n++;
      if (hit) p.ok++;
      per.set(label, p);
    }
    const ms = performance.now() - started;
    const table = [...per].sort((a, b) => b[1].n - a[1].n).map(([l, p]) => `${l} ${p.ok}/${p.n}`).join(', ');
    console.log(`[language eval] ${n} labelled mails in ${ms.toFixed(0)} ms: language ${ok}/${n} (${pct(ok, n)}); follow-up language ${followUpOk}/${n} (${pct(followUpOk, n)})`);
    console.log(`[language eval] per language: ${table}`);
    for (const w of wrong) console.log(`[language eval]   wrong follow-up language: ${w}`);
    expect(n).toBeGreaterThan(300);
    expect(followUpOk / n).toBeGreaterThanOrEqual(0.97);
    expect(ok / n).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
