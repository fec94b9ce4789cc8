// The two analyses over a mailbox holding every hostile fixture (tests/fixtures/hostile), in INBOX
// and in Junk, with the bodies sync keeps (32 KB) for the records that need one: both finish
// within the bound, never throw, and still give the ordinary answer for the user's own mail.
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAIL_LIMITS, needsBody, recordFromEml } from '../../../main/core/mail/index.js';
import { findUnanswered } from '../../../main/core/triage/unanswered.js';
import { junkVerdicts } from '../../../main/core/triage/junk.js';
import { isFreemail } from '../../../main/core/contacts/index.js';
import type { MessageRecord } from '../../../main/core/model.js';
import { mailbox, NOW, rec } from '../../fixtures/eml/fixtures.js';
import { bounded } from '../support/bounded.js';

const DIR = resolve(import.meta.dirname, '../../fixtures/hostile');

function hostileMailbox() {
  const records: MessageRecord[] = [rec('sent-lunch.eml', 'Sent'), rec('sent-q3-budget.eml', 'Sent')];
  const bodies = new Map<string, string>();
  let uid = 100;
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.eml'))) {
    const raw = readFileSync(join(DIR, name));
    for (const folder of ['INBOX', 'Junk']) {
      const r = recordFromEml(raw, { account: 'work', folder, uid: ++uid, internalDate: '2025-11-18T09:00:00Z' });
      // The same Message-ID in two folders is one record with two locations in the store.
      const known = records.find((x) => x._id === r._id);
      if (known) known.locations.push(...r.locations);
      else records.push(r);
      if (needsBody(r)) bodies.set(r._id, raw.subarray(0, MAIL_LIMITS.storedBodyBytes).toString('utf8'));
    }
  }
  return { mb: mailbox(records), bodies };
}

describe('analyses over hostile mail', () => {
  // The freemail list loads on first use (~0.1-0.7 s here): not part of what is timed.
  beforeAll(() => void isFreemail('gmail.com'));

  it('unanswered still lists the sent mail, within the bound', () => {
    const { mb, bodies } = hostileMailbox();
    const entries = bounded('findUnanswered', () => findUnanswered({ mailboxes: [mb], now: NOW, bodies }));
    expect(entries.map((e) => e.subject).sort()).toEqual(['Lunch next week?', 'Q3 budget']);
  });

  it('junk verdicts come within the bound, and no stranger is rescued', () => {
    const { mb } = hostileMailbox();
    const verdicts = bounded('junkVerdicts', () => junkVerdicts({ mailboxes: [mb], now: NOW }));
    expect(verdicts.filter((v) => v.verdict === 'rescue')).toEqual([]);
  });
});
