// Evaluation over ../shared/corpora/04-notmuch-mailing-list-threads (read in place, never copied):
// linux-kernel list traffic as a pretend mailbox, Joe Perches (joe@perches.com, and gmane's
// rewritten address of his) playing the user. Prints the rhythms of the people who answered him
// most, one line each, and checks two of them by hand: their reply delays are computed here from
// the raw files (own header parsing, a second-by-second walk of their business hours), not by the
// product's code, and must agree with what computeRhythms reports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordFromEml } from '../../main/core/mail/record.js';
import { foldersFromRoles } from '../../main/core/store/mailbox.js';
import { computeRhythms, type Rhythm } from '../../main/core/contacts/rhythm.js';
import type { MessageRecord } from '../../main/core/model.js';
import { account, corpusDir, listFiles } from './corpus.js';

const dir = corpusDir('04-notmuch-mailing-list-threads');
const USER = ['joe@perches.com', 'joe-6d6dil74uinbdgjk7y7tuq@public.gmane.org'];

function load(): { records: MessageRecord[]; files: string[] } {
  const user = new Set(USER);
  const byId = new Map<string, MessageRecord>();
  const files = listFiles(path.join(dir!, 'lkml'));
  let uid = 0;
  for (const f of files) {
    const rec = recordFromEml(readFileSync(f), { account: 'eval', uid: ++uid });
    rec.locations = [{ folder: user.has(rec.from[0]?.address ?? '') ? 'Sent' : 'INBOX', uid, flags: ['\\Seen'] }];
    if (!byId.has(rec.messageId)) byId.set(rec.messageId, rec);
  }
  return { records: [...byId.values()], files };
}

// ---- by hand ------------------------------------------------------------------------------------

interface Raw {
  from: string;
  date: number;
  offset: number;
  id: string;
  parent: string | null;
  auto: boolean;
}

/** The few headers needed, read straight from the file (unfolded, first occurrence). */
function readRaw(file: string): Raw {
  const text = readFileSync(file, 'latin1');
  const head = text.slice(0, text.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1].trim() ?? '';
  const ids = (v: string) => [...v.matchAll(/<([^>]+)>/g)].map((m) => m[1]);
  const from = (/<([^>]+)>/.exec(header('From'))?.[1] ?? header('From')).toLowerCase();
  const d = /(\d{1,2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})/.exec(header('Date'))!;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(d[2]) / 3;
  const offset = (d[7] === '-' ? -1 : 1) * (Number(d[8]) * 60 + Number(d[9]));
  const date = Date.UTC(Number(d[3]), month, Number(d[1]), Number(d[4]), Number(d[5]), Number(d[6])) - offset * 60_000;
  const refs = ids(header('References'));
  const parent = ids(header('In-Reply-To'))[0] ?? refs[refs.length - 1] ?? null;
  const auto = /auto-(replied|generated)/i.test(header('Auto-Submitted')) || /^(automatic reply|out of office)/i.test(header('Subject'));
  return { from, date, offset, id: ids(header('Message-ID'))[0] ?? file, parent, auto };
}

/**
 * Business hours between two instants, walked second by second on the contact's clock (a fixed
 * offset: no DST change falls inside these spans), Monday–Friday 09:00–17:00, minus the listed
 * public holidays (YYYY-MM-DD).
 */
function walk(from: number, to: number, offset: number, holidays: string[]): number {
  let seconds = 0;
  for (let t = from; t < to; t += 1000) {
    const local = new Date(t + offset * 60_000);
    const day = local.getUTCDay();
    const hour = local.getUTCHours();
    if (day === 0 || day === 6 || hour < 9 || hour >= 17) continue;
    if (holidays.includes(local.toISOString().slice(0, 10))) continue;
    seconds++;
  }
  return seconds / 3600;
}

/** Each of Joe's mails the contact answered: the first human reply to it, with the delay. */
function byHand(raws: Raw[], contact: string, offset: number, holidays: string[]): number[] {
  const user = new Set(USER);
  const joe = new Map(raws.filter((r) => user.has(r.from)).map((r) => [r.id, r]));
  const first = new Map<string, number>();
  for (const r of raws) {
    if (r.from !== contact || r.auto || !r.parent) continue;
    const mine = joe.get(r.parent);
    if (!mine || r.date <= mine.date) continue;
    const seen = first.get(mine.id);
    if (seen === undefined || r.date < seen) first.set(mine.id, r.date);
  }
  return [...first].map(([id, at]) => walk(joe.get(id)!.date, at, offset, holidays)).sort((a, b) => a - b);
}

const median = (s: number[]) => (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2);
const p80 = (s: number[]) => s[Math.ceil(0.8 * s.length) - 1];
const round2 = (x: number) => Math.round(x * 100) / 100;

function line(r: Rhythm): string {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const peakDay = r.weekdayShare.indexOf(Math.max(...r.weekdayShare));
  const peakHour = r.hourShare.indexOf(Math.max(...r.hourShare));
  return (
    `${r.address}: ${r.answered} of Joe's mails answered, median ${r.medianReplyHours} h, 80% within ${r.p80ReplyHours} h (${r.p80ReplyDays} business days); ` +
    `${r.messages} mails of theirs${r.messages ? `, mostly ${days[peakDay]} around ${String(peakHour).padStart(2, '0')}:00` : ''}; ` +
    `${r.timeZone} (${r.timeZoneSource}); active period ${r.activePeriod ? `${r.activePeriod.start}-${r.activePeriod.end}` : 'none'}; last wrote ${r.lastWroteAt?.slice(0, 16) ?? '-'}`
  );
}

describe.skipIf(!dir)('corpus 04: rhythms of the people who answer joe@perches.com on linux-kernel', () => {
  it('prints the most frequent correspondents and agrees with two computed by hand', () => {
    const { records, files } = load();
    const last = Math.max(...records.map((r) => Date.parse(r.date ?? r.internalDate)));
    const mb = { account: account('eval', USER), folders: foldersFromRoles('eval', { INBOX: 'inbox', Sent: 'sent' }), messages: records };
    const rhythms = computeRhythms({ mailboxes: [mb], now: new Date(last + 86_400_000) });
    const top = [...rhythms.values()].filter((r) => r.answered > 0 || r.messages > 2).sort((a, b) => b.answered - a.answered || b.messages - a.messages).slice(0, 8);
    console.log(`[eval rhythm] ${records.length} messages, ${rhythms.size} known contacts of joe@perches.com; the most frequent correspondents:`);
    for (const r of top) console.log(`[eval rhythm]   ${line(r)}`);

    const raws = files.map(readRaw);

    // David Miller (Los Angeles, -0800 in November 2010, after the 7 November DST change):
    // Joe's patch series went out on Sunday evening, the answers came on Monday morning.
    const davem = rhythms.get('davem@davemloft.net')!;
    expect(davem).toMatchObject({ timeZone: 'America/Los_Angeles', country: 'US' });
    const dm = byHand(raws, 'davem@davemloft.net', -480, ['2010-11-11', '2010-11-25']);
    console.log(`[eval rhythm] by hand, davem: ${dm.length} delays ${dm.map((x) => x.toFixed(2)).join(' ')} h`);
    expect(davem.answered).toBe(dm.length);
    expect(dm.length).toBeGreaterThanOrEqual(5);
    expect(davem.medianReplyHours).toBe(round2(median(dm)));
    expect(davem.p80ReplyHours).toBe(round2(p80(dm)));

    // Mark Brown: all his offsets +0000, a .com domain: no zone evidence, so the account's zone
    // (UTC here, no country: no holidays) decides, as inferTimeZone's last fallback says.
    const broonie = rhythms.get('broonie@opensource.wolfsonmicro.com')!;
    expect(broonie).toMatchObject({ timeZone: 'UTC', timeZoneSource: 'account' });
    const mb2 = byHand(raws, 'broonie@opensource.wolfsonmicro.com', 0, []);
    console.log(`[eval rhythm] by hand, broonie: ${mb2.length} delays ${mb2.map((x) => x.toFixed(2)).join(' ')} h`);
    expect(broonie.answered).toBe(mb2.length);
    expect(mb2.length).toBeGreaterThanOrEqual(5);
    expect(broonie.medianReplyHours).toBe(round2(median(mb2)));
    expect(broonie.p80ReplyHours).toBe(round2(p80(mb2)));
  });
});
