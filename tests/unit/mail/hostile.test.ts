// Every mail parser and classifier over the hostile fixtures of tests/fixtures/hostile (2 MB
// References, 32 KB "a@a@…" fields, NUL bytes, 100 KB header lines, unbalanced quotes and
// brackets, MIME 1000 levels deep and 5000 parts, HTML that never closes): each call finishes
// within a bound (generous for a loaded 2-core machine: a guard against exponential blow-up, not a
// performance test), never throws, and gives a sane result within the caps of mail/limits.ts.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  MAIL_LIMITS,
  classifyAutomated,
  conversations,
  threadRecords,
  dateHeaderOffsetMinutes,
  decodeWords,
  findLookalike,
  hasReplyPrefix,
  listIdAddressGuess,
  listPostAddress,
  mayBeDsn,
  needsBody,
  outOfOfficeReturnDate,
  parseAddresses,
  parseAuthResultsHeader,
  parseContentType,
  parseDateHeader,
  parseHeaderBlock,
  parseMessageIds,
  parseReceivedSpf,
  readAuthResults,
  readBody,
  readDsn,
  recordFromEml,
  registrableDomain,
  skeleton,
  subjectKey,
  unicodeDomain,
  learnListAddresses,
} from '../../../main/core/mail/index.js';
import { parseDateHeader as parseDateOffset } from '../../../main/core/calendar/index.js';
import { bounded } from '../support/bounded.js';

const DIR = resolve(import.meta.dirname, '../../fixtures/hostile');
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();
describe.each(FIXTURES)('%s', (name) => {
  const raw = readFileSync(join(DIR, name));
  const text = raw.toString('latin1');
  /** What sync keeps of a body it needs (imap/bodies.ts). */
  const stored = raw.subarray(0, MAIL_LIMITS.storedBodyBytes).toString('utf8');
  const received = '2025-11-18T09:00:00.000Z';

  it('builds a record with every field within its cap', () => {
    const r = bounded('recordFromEml', () => recordFromEml(raw, { folder: 'INBOX' }));
    expect(r.subject.length).toBeLessThanOrEqual(MAIL_LIMITS.subjectChars);
    expect(r.references.length).toBeLessThanOrEqual(MAIL_LIMITS.referencesKept);
    expect((r.dateHeader ?? '').length).toBeLessThanOrEqual(MAIL_LIMITS.dateHeaderChars);
    expect(r.messageId.length).toBeLessThanOrEqual(MAIL_LIMITS.messageIdChars);
    for (const v of Object.values(r.headers)) expect(v!.length).toBeLessThanOrEqual(MAIL_LIMITS.keptHeaderChars);
    for (const list of [r.from, r.to, r.cc, r.bcc, r.replyTo, r.sender]) {
      expect(list.length).toBeLessThanOrEqual(MAIL_LIMITS.addressesPerField);
      for (const a of list) expect(a.address.length + a.name.length).toBeLessThanOrEqual(2 * MAIL_LIMITS.addressChars);
    }
    expect(JSON.stringify(r).length).toBeLessThan(200_000);
  });

  it('reads every header with every header parser', () => {
    const map = bounded('parseHeaderBlock', () => parseHeaderBlock(raw));
    for (const [field, values] of map) {
      expect(values.length).toBeLessThanOrEqual(MAIL_LIMITS.headerOccurrences);
      for (const v of values) {
        expect(v.length).toBeLessThanOrEqual(MAIL_LIMITS.headerValueChars);
        bounded(`parseAddresses(${field})`, () => parseAddresses(v));
        bounded(`parseMessageIds(${field})`, () => parseMessageIds(v, MAIL_LIMITS.referencesKept));
        bounded(`parseDateHeader(${field})`, () => parseDateHeader(v));
        bounded(`dateHeaderOffsetMinutes(${field})`, () => dateHeaderOffsetMinutes(v));
        bounded(`calendar parseDateHeader(${field})`, () => parseDateOffset(v));
        bounded(`decodeWords(${field})`, () => decodeWords(v.slice(0, MAIL_LIMITS.subjectChars * 8)));
        bounded(`subjectKey(${field})`, () => subjectKey(v.slice(0, MAIL_LIMITS.subjectChars)));
        bounded(`hasReplyPrefix(${field})`, () => hasReplyPrefix(v.slice(0, MAIL_LIMITS.subjectChars)));
        bounded(`listPostAddress(${field})`, () => listPostAddress(v));
        bounded(`listIdAddressGuess(${field})`, () => listIdAddressGuess(v));
        bounded(`parseAuthResultsHeader(${field})`, () => parseAuthResultsHeader(v));
        bounded(`parseReceivedSpf(${field})`, () => parseReceivedSpf(v));
        bounded(`readAuthResults(${field})`, () => readAuthResults({ authenticationResults: v, receivedSpf: v, receivers: new Set(['acme.example']) }));
        bounded(`parseContentType(${field})`, () => parseContentType(v));
        const domain = v.slice(v.lastIndexOf('@') + 1, v.lastIndexOf('@') + 1 + MAIL_LIMITS.domainChars);
        bounded(`domains(${field})`, () => [registrableDomain(domain), skeleton(domain), unicodeDomain(domain), findLookalike({ domain, known: ['acme.example', 'lausd.k12.ca.us'] })]);
      }
    }
  });

  it('reads the body, its report and its return date, from the whole source and from what sync stores', () => {
    const record = recordFromEml(raw, { folder: 'INBOX' });
    for (const [label, body] of [['source', text], ['stored', stored]] as const) {
      const parts = bounded(`readBody(${label})`, () => readBody(body, record.headers['content-type'] ?? null));
      expect(parts.text.length).toBeLessThanOrEqual(MAIL_LIMITS.bodyChars * 2);
      expect(parts.deliveryStatus.length + parts.originalHeaders.length + parts.dispositions.length + parts.calendar.length).toBeLessThanOrEqual(MAIL_LIMITS.mimeParts);
      const dsn = bounded(`readDsn(${label})`, () => readDsn(parts));
      for (const a of dsn.recipients) expect(a.length).toBeLessThanOrEqual(MAIL_LIMITS.mailboxChars);
      const back = bounded(`outOfOfficeReturnDate(${label})`, () => outOfOfficeReturnDate(parts.text, { receivedAt: received }));
      if (back) expect(Date.parse(back) - Date.parse(received)).toBeLessThan(401 * 86_400_000);
      const c = bounded(`classifyAutomated(${label})`, () => classifyAutomated(record, body));
      expect(c.reason.length).toBeLessThan(200);
    }
    bounded('needsBody', () => needsBody(record));
    bounded('mayBeDsn', () => mayBeDsn(record));
    bounded('learnListAddresses', () => learnListAddresses([record]));
  });

  it('threads with ordinary mail', () => {
    const record = recordFromEml(raw, { folder: 'INBOX', uid: 1 });
    const other = recordFromEml('From: Pat <pat@acme.example>\r\nTo: lee@lists.example\r\nSubject: the longest thread\r\nDate: Mon, 17 Nov 2025 10:00:00 +0100\r\nMessage-ID: <ref-0.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@lists.example>\r\n\r\nHi', { folder: 'Sent', uid: 2 });
    const threads = bounded('threadRecords', () => threadRecords([record, other], { own: new Set(['pat@acme.example']) }));
    const convs = bounded('conversations', () => conversations(threads));
    expect([...convs.values()].flat().sort()).toEqual([0, 1]);
  });
});

describe('sane results on the hostile fixtures', () => {
  const rec = (name: string) => recordFromEml(readFileSync(join(DIR, name)), { folder: 'INBOX' });
  const src = (name: string) => readFileSync(join(DIR, name)).toString('latin1');

  it('the a@a@… bounce is a failed DSN with no recipient (no address is that long)', () => {
    const c = classifyAutomated(rec('dsn-final-recipient-a-at-31k.eml'), src('dsn-final-recipient-a-at-31k.eml'));
    expect(c.kind).toBe('dsn-failed');
    expect(c.dsn?.recipients).toEqual([]);
    expect(c.dsn?.status).toBe('5.1.1');
  });

  it('2 MB References keep their last 200 ids, the parent last', () => {
    const r = rec('references-2mb.eml');
    expect(r.references).toHaveLength(MAIL_LIMITS.referencesKept);
    expect(r.references.at(-1)).toMatch(/^ref-\d+\.x{30}@lists\.example$/);
    const last = Number(/ref-(\d+)/.exec(r.references.at(-1)!)![1]);
    expect(Number(/ref-(\d+)/.exec(r.references[0])![1])).toBe(last - MAIL_LIMITS.referencesKept + 1);
    expect(src('references-2mb.eml')).toContain(`<ref-${last}.`);
    expect(src('references-2mb.eml')).not.toContain(`<ref-${last + 1}.`);
  });

  it('MIME nested 1000 levels deep is read to the depth cap, and 5000 parts to the part cap', () => {
    const deep = readBody(src('mime-nested-1000.eml'));
    expect(deep.deliveryStatus).toEqual([]); // the report sits 1000 levels down
    expect(classifyAutomated(rec('mime-nested-1000.eml'), src('mime-nested-1000.eml')).kind).toBe('dsn-failed'); // by its subject
    const many = readBody(src('mime-parts-5000.eml'));
    expect(many.text.split('\n').filter((l) => l.startsWith('part ')).length).toBeLessThanOrEqual(MAIL_LIMITS.mimeParts);
  });

  it('an out-of-office note of trigger words and half dates is an out-of-office without a made-up date far away', () => {
    const c = classifyAutomated(rec('ooo-return-date-trigger-words.eml'), src('ooo-return-date-trigger-words.eml'));
    expect(c.kind).toBe('out-of-office');
  });

  it('NUL bytes and unclosed HTML still give the words around them', () => {
    expect(rec('nul-bytes.eml').from[0]?.address ?? '').not.toContain('\u0000\u0000');
    const html = readBody(src('html-unclosed-tags.eml'));
    expect(html.text.length).toBeGreaterThan(0);
    expect(classifyAutomated(rec('html-unclosed-tags.eml'), src('html-unclosed-tags.eml')).kind).toBe('out-of-office');
  });
});
