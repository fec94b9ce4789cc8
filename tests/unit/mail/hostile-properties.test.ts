// Property-based hostile input (fast-check): header blocks, field values and bodies built from the
// atoms that hurt parsers (NUL, quotes, brackets, '@', encoded-word starts, folding, long runs of
// one atom up to the sizes sync stores). Every parser and classifier must return within the bound,
// never throw, and keep its output within the caps of mail/limits.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAIL_LIMITS,
  classifyAutomated,
  conversations,
  dateHeaderOffsetMinutes,
  findLookalike,
  hasReplyPrefix,
  listIdAddressGuess,
  listPostAddress,
  needsBody,
  outOfOfficeReturnDate,
  parseAddresses,
  parseAuthResultsHeader,
  parseContentType,
  parseDateHeader,
  parseMessageIds,
  parseReceivedSpf,
  readBody,
  readDsn,
  recordFromEml,
  registrableDomain,
  subjectKey,
  threadRecords,
} from '../../../main/core/mail/index.js';
import { parseDateHeader as parseDateOffset } from '../../../main/core/calendar/index.js';
import { bounded } from '../support/bounded.js';

const ATOMS = [
  'a', '@', 'a@', '<', '>', '"', '\\', '(', ')', '[', ']', ';', ':', ',', '.', '=', '=?', '?=', '=?UTF-8?B?', '=?utf-8?q?',
  ' ', '\t', '\r\n ', '\n', '\u0000', '\u00ff', 'é', '动', '\u2028', '\uFFFD', '-', '+', '0', '12', ':00', 'Mon,', ' Nov ',
  '+0100', 'GMT', 're:', 'Re: ', 'AW:', '[2]', '(fwd)', 'back on ', 'until ', 'bis ', 'de retour le ', 'hasta el ',
  'mailto:', 'owner-', '-request', 'spf=', 'dkim=', 'dmarc=fail', 'header.d=', 'rfc822;', 'xn--', 'boundary="', '--',
  '<script', '</style>', '&#', 'Final-Recipient: ', 'Action: failed', 'multipart/report', 'report-type=delivery-status',
];

/** A run of one atom repeated up to `maxRepeat` times: the shape that makes backtracking explode. */
const run = (maxRepeat: number) => fc.tuple(fc.constantFrom(...ATOMS), fc.integer({ min: 1, max: maxRepeat })).map(([a, n]) => a.repeat(n));
/** A hostile value: a few atoms and long runs. */
const hostile = (maxRepeat: number) => fc.array(fc.oneof(fc.constantFrom(...ATOMS), run(maxRepeat)), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));

const HEADERS = ['From', 'To', 'Cc', 'Reply-To', 'Sender', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References', 'Content-Type', 'Auto-Submitted', 'Precedence', 'X-Auto-Response-Suppress', 'List-Id', 'List-Post', 'Authentication-Results', 'Received-SPF'];
const headerBlock = fc.array(fc.tuple(fc.constantFrom(...HEADERS), hostile(4000)), { minLength: 1, maxLength: HEADERS.length }).map((fields) => fields.map(([n, v]) => `${n}: ${v}`).join('\r\n'));
const message = fc.tuple(headerBlock, hostile(8000)).map(([h, b]) => `${h}\r\n\r\n${b}`);

const RUNS = { numRuns: 150 };

describe('field parsers on hostile values', () => {
  it('addresses, ids, dates, subjects, lists, authentication results, content types and domains', () => {
    fc.assert(
      fc.property(hostile(16_000), (v) => {
        const addrs = bounded('parseAddresses', () => parseAddresses(v));
        expect(addrs.length).toBeLessThanOrEqual(MAIL_LIMITS.addressesPerField);
        const ids = bounded('parseMessageIds', () => parseMessageIds(v, MAIL_LIMITS.referencesKept));
        for (const id of ids) expect(id.length).toBeLessThanOrEqual(MAIL_LIMITS.messageIdChars);
        bounded('parseDateHeader', () => parseDateHeader(v));
        bounded('dateHeaderOffsetMinutes', () => dateHeaderOffsetMinutes(v));
        bounded('calendar parseDateHeader', () => parseDateOffset(v));
        bounded('subjectKey', () => subjectKey(v.slice(0, MAIL_LIMITS.subjectChars)));
        bounded('hasReplyPrefix', () => hasReplyPrefix(v.slice(0, MAIL_LIMITS.subjectChars)));
        bounded('listPostAddress', () => listPostAddress(v));
        bounded('listIdAddressGuess', () => listIdAddressGuess(v));
        bounded('parseAuthResultsHeader', () => parseAuthResultsHeader(v));
        bounded('parseReceivedSpf', () => parseReceivedSpf(v));
        bounded('parseContentType', () => parseContentType(v));
        const domain = v.slice(0, MAIL_LIMITS.domainChars);
        bounded('registrableDomain', () => registrableDomain(domain));
        bounded('findLookalike', () => findLookalike({ domain, known: ['acme.example', 'lausd.k12.ca.us'] }));
      }),
      RUNS,
    );
  });

  it('return dates stay within a year after the mail', () => {
    fc.assert(
      fc.property(hostile(3000), (text) => {
        const d = bounded('outOfOfficeReturnDate', () => outOfOfficeReturnDate(text, { receivedAt: '2025-11-18T09:00:00Z' }));
        if (d) expect(Date.parse(d)).toBeLessThanOrEqual(Date.parse('2026-12-24'));
      }),
      RUNS,
    );
  });
});

describe('whole messages', () => {
  it('record building, body reading, DSN and auto-reply classification, threading', () => {
    fc.assert(
      fc.property(message, (raw) => {
        const r = bounded('recordFromEml', () => recordFromEml(raw, { folder: 'INBOX' }));
        expect(r.subject.length).toBeLessThanOrEqual(MAIL_LIMITS.subjectChars);
        expect(r.references.length).toBeLessThanOrEqual(MAIL_LIMITS.referencesKept);
        for (const v of Object.values(r.headers)) expect(v!.length).toBeLessThanOrEqual(MAIL_LIMITS.keptHeaderChars);
        for (const a of [...r.from, ...r.to, ...r.cc, ...r.replyTo, ...r.sender]) expect(a.address.length).toBeLessThanOrEqual(MAIL_LIMITS.addressChars);
        const parts = bounded('readBody', () => readBody(raw));
        bounded('readBody (BODY[TEXT])', () => readBody(raw.slice(raw.indexOf('\r\n\r\n') + 4), r.headers['content-type'] ?? null));
        bounded('readDsn', () => readDsn(parts));
        bounded('classifyAutomated', () => classifyAutomated(r, raw.slice(0, MAIL_LIMITS.storedBodyBytes)));
        bounded('needsBody', () => needsBody(r));
        const threads = bounded('threadRecords', () => threadRecords([r, { ...r, _id: 'x', messageId: 'other@x' }], { own: new Set(['pat@acme.example']) }));
        bounded('conversations', () => conversations(threads));
      }),
      { numRuns: 100 },
    );
  });
});
