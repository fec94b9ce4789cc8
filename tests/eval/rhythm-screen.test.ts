// Rhythms classify only the mail that may be automatic (rhythm.ts mayBeAutomatic) and count the
// rest as the person's own. Over ../shared/corpora/03-bounces-and-autoreplies (real DSNs from ~90
// MTAs and real auto-replies, read in place): every message classifyAutomated calls automatic,
// read from its headers as sync stores them, must pass that screen. Target: 0 missed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyAutomated, isHumanAnswer } from '../../main/core/mail/autoreply.js';
import { recordFromEml } from '../../main/core/mail/record.js';
import { mayBeAutomatic } from '../../main/core/contacts/rhythm.js';
import { corpusDir, listFiles } from './corpus.js';

const dir = corpusDir('03-bounces-and-autoreplies');

describe.skipIf(!dir)('corpus 03: the automatic-mail screen of rhythms', () => {
  it('lets every automatic message through to classifyAutomated', () => {
    const files = listFiles(dir!).filter((f) => /\.(eml|msg|txt)$/i.test(f) || !/\.\w+$/.test(f));
    let automatic = 0;
    let screened = 0;
    const missed: string[] = [];
    for (const f of files) {
      const r = recordFromEml(readFileSync(f));
      if (isHumanAnswer(classifyAutomated(r))) continue;
      automatic++;
      if (mayBeAutomatic(r)) screened++;
      else missed.push(`${f.slice(dir!.length + 1)}: "${r.subject}" from ${r.from[0]?.address}`);
    }
    console.log(`[eval rhythm] screen: ${files.length} files, ${automatic} automatic by headers, ${screened} passed the screen, ${missed.length} missed${missed.length ? `: ${missed.slice(0, 10).join('; ')}` : ''}`);
    expect(automatic).toBeGreaterThan(300);
    expect(missed).toEqual([]);
  });
});
