import { describe, expect, it } from 'vitest';
import addressparser from 'nodemailer/lib/addressparser';
import { parseAddresses, parseDateHeader, parseHeaderBlock, parseMessageIds } from '../../../main/core/mail/headers.js';
import { buildRecord, localId } from '../../../main/core/mail/record.js';

describe('parseAddresses', () => {
  // The fast path must agree with the general parser on every shape it accepts.
  it.each([
    'anna@client.test',
    'Anna Berg <Anna@Client.Test>',
    'Anna Berg <anna@client.test>, bob@corp.test,  Carla <carla@p.test>',
    '=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>',
    '"Berg, Anna" <anna@client.test>, bob@corp.test',
    'undisclosed-recipients:;',
    'Team: a@x.test, b@y.test;',
    'anna@client.test (Anna Berg)',
    '<bare@x.test>',
  ])('%s', (value) => {
    const expected = (addressparser(value, { flatten: true }) as { name: string; address: string }[])
      .filter((a) => a.address?.includes('@'))
      .map((a) => ({ address: a.address.toLowerCase() }));
    expect(parseAddresses(value).map((a) => ({ address: a.address }))).toEqual(expected);
  });

  it('decodes encoded display names and never throws on garbage', () => {
    expect(parseAddresses('=?UTF-8?Q?J=C3=BCrgen?= <j@x.de>')).toEqual([{ name: 'Jürgen', address: 'j@x.de' }]);
    expect(parseAddresses('<<<>>>,,,@@@ "unterminated')).toEqual(expect.any(Array));
  });
});

describe('header block', () => {
  it('unfolds, keeps repeated headers, stops at the body, reads latin1 8-bit bytes', () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: a\r\n  folded\r\nReceived: 1\r\nReceived: 2\r\nFrom: '),
      Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]), // "Jürgen" in latin1
      Buffer.from(' <j@x.de>\r\n\r\nBody: not a header\r\n'),
    ]);
    const map = parseHeaderBlock(raw);
    expect(map.get('subject')).toEqual(['a folded']);
    expect(map.get('received')).toEqual(['1', '2']);
    expect(map.get('from')![0]).toBe('Jürgen <j@x.de>');
    expect(map.has('body')).toBe(false);
  });

  it.each([
    ['Mon, 2 Nov 2026 10:00:00 -0500', '2026-11-02T15:00:00.000Z'],
    ['2 Nov 2026 10:00 +0530', '2026-11-02T04:30:00.000Z'],
    ['Mon, 02 Nov 26 10:00:00 EST', '2026-11-02T15:00:00.000Z'],
    ['Mon, 2 Nov 2026 10:00:00 GMT (UTC)', '2026-11-02T10:00:00.000Z'],
    ['garbage', null],
    ['Mon, 31 Feb 0000 99:99:99 +0000', null],
  ])('Date %s', (value, iso) => {
    expect(parseDateHeader(value)?.toISOString() ?? null).toBe(iso);
  });

  it('message ids with and without brackets, cut to the last N', () => {
    expect(parseMessageIds('<a@b> <c@d>\r\n <e@f>')).toEqual(['a@b', 'c@d', 'e@f']);
    expect(parseMessageIds('a@b')).toEqual(['a@b']);
    expect(parseMessageIds('<a@b> <c@d> <e@f>', 2)).toEqual(['c@d', 'e@f']);
  });
});

describe('buildRecord', () => {
  it('a message without Message-ID gets a synthetic id that all its copies share', () => {
    const header = 'From: a@x.test\r\nSubject: hi\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n';
    const a = buildRecord({ account: 'w', folder: 'INBOX', uid: 1, flags: [], internalDate: null, header });
    const b = buildRecord({ account: 'w', folder: '[Gmail]/All Mail', uid: 9, flags: [], internalDate: null, header });
    expect(a._id).toBe(b._id);
    expect(a.messageId).toMatch(/@no-message-id\.inbox-triage$/);
    expect(a.problems).toContain('no Message-ID');
  });

  it('bogus dates and empty headers are recorded as problems, never thrown', () => {
    const r = buildRecord({ account: 'w', folder: 'INBOX', uid: 1, flags: [], internalDate: 'not a date', header: Buffer.from([0xff, 0xfe, 0x00]) });
    expect(r.problems).toEqual(expect.arrayContaining(['no Date header', 'no readable From address']));
    const s = buildRecord({ account: 'w', folder: 'INBOX', uid: 1, flags: [], internalDate: null, header: 'Date: yesterday-ish\r\nFrom: a@b.c\r\n\r\n' });
    expect(s.date).toBeNull();
    expect(s.problems![0]).toMatch(/bogus Date/);
  });

  it('local ids are stable, short and differ by account', () => {
    expect(localId('work', 'a@b')).toBe(localId('work', 'a@b'));
    expect(localId('work', 'a@b')).toMatch(/^[0-9a-f]{12}$/);
    expect(localId('home', 'a@b')).not.toBe(localId('work', 'a@b'));
    const ids = new Set(Array.from({ length: 100_000 }, (_, i) => localId('work', `m${i}@x.test`)));
    expect(ids.size).toBe(100_000);
  });
});

describe('review fixes', () => {
  it('two different mails without Message-ID and Date, same sender and subject, stay two records', () => {
    const a = buildRecord({ account: 'w', folder: 'Sent', uid: 1, flags: [], internalDate: '2026-11-02T10:00:00Z', header: 'From: me@x.test\r\nTo: dora@y.test\r\nSubject: Offer\r\n\r\n' });
    const b = buildRecord({ account: 'w', folder: 'Sent', uid: 2, flags: [], internalDate: '2026-11-02T10:05:00Z', header: 'From: me@x.test\r\nTo: eve@y.test\r\nSubject: Offer\r\n\r\n' });
    expect(a._id).not.toBe(b._id);
  });

  it.each(['Mon, 2 Nov 2026 10:00:00 +9999', 'Mon, 2 Nov 2026 10:00:00 +1560', 'Tue, 31 Feb 2026 10:00:00 +0000', 'Sat, 31 Apr 2026 10:00:00 +0000'])('impossible Date %s is bogus', (v) => {
    expect(parseDateHeader(v)).toBeNull();
  });

  it('29 Feb of a leap year is a real date', () => {
    expect(parseDateHeader('Thu, 29 Feb 2024 10:00:00 +0000')?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
  });
});
