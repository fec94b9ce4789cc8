import { describe, expect, it } from 'vitest';
import { hintsFor, ownWords } from '../../../main/core/triage/hints.js';
import { USER, mail } from '../support/rhythm-history.js';

const OWN = new Set([USER]);
const BERLIN = { timeZone: 'Europe/Berlin', country: 'DE', hours: null };

function hints(o: { at: string; to?: string; headers?: string[]; text?: string; window?: { timeZone: string; country: string | null; hours: null } }) {
  const record = mail({ from: USER, to: o.to ?? 'anna@alpha.de', at: o.at, headers: o.headers });
  return hintsFor({ record, sentAt: record.date!, own: OWN, ...(o.window ?? BERLIN), text: o.text ?? null });
}

describe('hintsFor', () => {
  it('nothing to say about a short mail to one person inside their window', () => {
    expect(hints({ at: '2025-03-04 10:00 +0100' })).toEqual([]);
  });

  it('outside their business hours, in their zone', () => {
    expect(hints({ at: '2025-03-04 10:00 +0100', window: { timeZone: 'Asia/Tokyo', country: 'JP', hours: null } })).toEqual([
      'sent at 18:00 their time (Asia/Tokyo), outside their business hours 09:00–17:00: it arrived while they were away',
    ]);
  });

  it('on their weekend: Saturday in Germany, Friday in Saudi Arabia', () => {
    expect(hints({ at: '2025-03-08 11:00 +0100' })).toEqual(['sent on Saturday 11:00 their time (Europe/Berlin), their weekend (Saturday–Sunday in DE): it waited under the new week\'s mail']);
    expect(hints({ at: '2025-03-07 10:00 +0100', window: { timeZone: 'Asia/Riyadh', country: 'SA', hours: null } })).toEqual([
      'sent on Friday 12:00 their time (Asia/Riyadh), their weekend (Friday–Saturday in SA): it waited under the new week\'s mail',
    ]);
  });

  it('on a public holiday of their country', () => {
    expect(hints({ at: '2025-04-21 10:00 +0200' })).toEqual(['sent on Easter Monday, a public holiday in DE (Monday 10:00 their time (Europe/Berlin)): it waited under the next day\'s mail']);
  });

  it('long, counting only the user’s own words (not the quote or the signature)', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    expect(hints({ at: '2025-03-04 10:00 +0100', text: words(250) })).toEqual([
      'long: 250 words; short mails (under 200 words) with one clear question get answered more often',
    ]);
    const quoted = `${words(120)}\n\nOn Monday Anna wrote:\n> ${words(300)}\n-- \nPat\n${words(100)}`;
    expect(ownWords(quoted)).toBe(124);
    expect(hints({ at: '2025-03-04 10:00 +0100', text: quoted })).toEqual([]);
  });

  it('many people in To with no clear owner; a list or a no-reply address is not a person', () => {
    expect(hints({ at: '2025-03-04 10:00 +0100', to: 'a@x.de, b@x.de, c@x.de, pat@acme.example' })).toEqual([
      'sent to 3 people in To with no clear owner: ask one person by name and put the others in Cc',
    ]);
    expect(hints({ at: '2025-03-04 10:00 +0100', to: 'a@x.de, b@x.de, noreply@x.de' })).toEqual([]);
  });

  it('an attachment (multipart/mixed)', () => {
    expect(hints({ at: '2025-03-04 10:00 +0100', headers: ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"'] })).toEqual([
      'carried an attachment: such mail lands in Junk more often; a link or a short mail first may get through',
    ]);
  });
});
