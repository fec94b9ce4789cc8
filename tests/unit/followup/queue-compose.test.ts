// The follow-up mail: threading headers, subject, text and the raw message sent and kept in Sent.
import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { MAX_REFERENCES, buildRawMessage, followUpText, newMessageId, threadHeaders } from '../../../main/core/followup/compose.js';
import { parseHeaderBlock, firstHeader } from '../../../main/core/mail/headers.js';
import { budgetThread } from './queue-fixtures.js';

describe('threadHeaders', () => {
  it('replies in the thread: In-Reply-To the original, References extended, Re: once', () => {
    const q1 = budgetThread().find((r) => r.messageId === 'q1@acme.test')!;
    expect(threadHeaders(q1)).toEqual({ subject: 'Re: Budget 2026', inReplyTo: 'q1@acme.test', references: ['root@client.de', 'q1@acme.test'] });
  });
  it.each([
    ['Budget', 'Re: Budget'],
    ['Re: Budget', 'Re: Budget'],
    ['RE: AW: Budget', 'Re: Budget'],
    ['Re[2]: Budget', 'Re: Budget'],
    ['Fwd: Budget', 'Re: Fwd: Budget'],
    ['', 'Re:'],
  ])('subject %j → %j', (subject, expected) => {
    expect(threadHeaders({ subject, messageId: 'a@b', references: [] }).subject).toBe(expected);
  });
  it('keeps the root and the latest ids of a long References, without duplicates or junk ids', () => {
    const refs = Array.from({ length: 60 }, (_, i) => `m${i}@x.test`);
    const h = threadHeaders({ subject: 's', messageId: 'last@x.test', references: [...refs, 'm59@x.test', 'no-at-sign', 'has space@x'] });
    expect(h.references).toHaveLength(MAX_REFERENCES);
    expect(h.references[0]).toBe('m0@x.test');
    expect(h.references.at(-1)).toBe('last@x.test');
    expect(h.references.at(-2)).toBe('m59@x.test');
    expect(new Set(h.references).size).toBe(h.references.length);
    expect(h.references).not.toContain('no-at-sign');
  });
});

describe('newMessageId', () => {
  it('is unique, at the sender’s domain', () => {
    const a = newMessageId('Pat@Acme.test');
    expect(a).toMatch(/^[a-z0-9]+\.[0-9a-f]{18}\.triage@acme\.test$/);
    expect(newMessageId('pat@acme.test')).not.toBe(a);
    expect(newMessageId('broken')).toMatch(/@inbox-triage\.invalid$/);
  });
});

describe('followUpText', () => {
  const q1 = budgetThread().find((r) => r.messageId === 'q1@acme.test')!;
  it('greets by first name, names the subject, asks, and quotes the original', () => {
    const text = followUpText({ step: 1, recipient: { name: 'Bob Maier', address: 'bob@client.de' }, original: q1, originalText: 'Could you confirm the budget?\n', userTimeZone: 'Europe/London' });
    expect(text).toMatch(/^Hi Bob,\n/);
    expect(text).toContain('"Budget 2026"');
    expect(text).toMatch(/\?\n\nOn Thu, 5 Mar 2026 at 10:00, Pat Lee <pat@acme\.test> wrote:\n> Could you confirm the budget\?\n$/);
  });
  it('quotes the subject alone when the text could not be fetched', () => {
    const text = followUpText({ step: 2, recipient: { name: '', address: 'bob@client.de' }, original: q1, originalText: null, userTimeZone: 'Europe/London' });
    expect(text).toMatch(/> \[Subject: Budget 2026\]\n$/);
    expect(text).toContain('Just following up once more');
  });
});

describe('buildRawMessage', () => {
  it('writes the threading headers, Cc, Date and the stored Message-ID; no Bcc, no X-Mailer', async () => {
    const raw = await buildRawMessage({
      from: { name: 'Pat Lee', address: 'pat@acme.test' },
      to: ['bob@client.de'],
      cc: ['carla@client.de'],
      subject: 'Re: Budget 2026 – Übersicht',
      text: 'Hi Bob,\n\nDid you see it?\n\n> quoted\n',
      messageId: 'abc.123.triage@acme.test',
      inReplyTo: 'q1@acme.test',
      references: ['root@client.de', 'q1@acme.test'],
      date: new Date('2026-03-10T08:00:00Z'),
    });
    const head = raw.toString('latin1').split('\r\n\r\n')[0];
    const headers = parseHeaderBlock(raw);
    expect(firstHeader(headers, 'message-id')).toBe('<abc.123.triage@acme.test>');
    expect(firstHeader(headers, 'in-reply-to')).toBe('<q1@acme.test>');
    expect(firstHeader(headers, 'references')).toBe('<root@client.de> <q1@acme.test>');
    expect(firstHeader(headers, 'cc')).toBe('carla@client.de');
    expect(head).not.toMatch(/^bcc:/im);
    expect(head).not.toMatch(/^x-mailer:/im);
    expect(raw.toString('latin1')).not.toMatch(/[^\x00-\x7f]/); // 7-bit clean: any server takes it
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Re: Budget 2026 – Übersicht');
    expect(parsed.from?.value).toEqual([{ name: 'Pat Lee', address: 'pat@acme.test' }]);
    expect(parsed.date?.toISOString()).toBe('2026-03-10T08:00:00.000Z');
    expect(parsed.text).toBe('Hi Bob,\n\nDid you see it?\n\n> quoted\n');
  });

  it('keeps the display names of To and Cc (issue 15), RFC 2047-encoded where needed; hostile names stay on one line', async () => {
    const raw = await buildRawMessage({
      from: { name: 'Pat Lee', address: 'pat@acme.test' },
      to: ['bob@client.de', 'ana@client.de'],
      cc: ['jörg@client.de'.replace('ö', 'o')],
      toNamed: [
        { name: 'Bob Miller', address: 'bob@client.de' },
        { name: 'Ana\r\nBcc: evil@x.test', address: 'ana@client.de' },
      ],
      ccNamed: [{ name: 'Jörg Groß', address: 'jorg@client.de' }],
      subject: 'Re: Budget',
      text: 'Hi Bob,\n',
      messageId: 'abc.124.triage@acme.test',
      inReplyTo: 'q1@acme.test',
      references: ['q1@acme.test'],
      date: new Date('2026-03-10T08:00:00Z'),
    });
    const head = raw.toString('latin1').split('\r\n\r\n')[0];
    expect(head).not.toMatch(/^bcc:/im);
    const parsed = await simpleParser(raw);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : null).toEqual([
      { name: 'Bob Miller', address: 'bob@client.de' },
      { name: 'Ana Bcc: evil@x.test', address: 'ana@client.de' },
    ]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : null).toEqual([{ name: 'Jörg Groß', address: 'jorg@client.de' }]);
  });

  it('an entry queued before names were kept still sends to the bare addresses', async () => {
    const raw = await buildRawMessage({
      from: { name: '', address: 'pat@acme.test' },
      to: ['bob@client.de'],
      cc: [],
      subject: 'Re: Budget',
      text: 'Hi,\n',
      messageId: 'abc.125.triage@acme.test',
      inReplyTo: 'q1@acme.test',
      references: ['q1@acme.test'],
      date: new Date('2026-03-10T08:00:00Z'),
    });
    expect(firstHeader(parseHeaderBlock(raw), 'to')).toBe('bob@client.de');
  });
});
