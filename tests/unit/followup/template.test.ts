import { describe, expect, it } from 'vitest';
import {
  FOLLOW_UP_TEMPLATES,
  MAX_QUOTED_LINES,
  firstNameFor,
  renderFollowUp,
  replySubject,
  stripReplyPrefixes,
  templateForStep,
} from '../../../main/core/followup/index.js';

describe('follow-up templates', () => {
  it.each(Object.entries(FOLLOW_UP_TEMPLATES))('%s: short, names the subject, ends with one question', (_step, template) => {
    expect(template).toContain('{firstName}');
    expect(template).toContain('{subject}');
    const body = template.split('\n\n').slice(1).join(' ');
    const sentences = body.split(/(?<=[.?!])\s+/).filter(Boolean);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(4);
    expect(body.trim().endsWith('?')).toBe(true);
    expect(body.split('?').length - 1).toBe(1);
  });

  it('picks first, second, last by step', () => {
    expect(templateForStep(1)).toBe(FOLLOW_UP_TEMPLATES.first);
    expect(templateForStep(2)).toBe(FOLLOW_UP_TEMPLATES.second);
    expect(templateForStep(3)).toBe(FOLLOW_UP_TEMPLATES.last);
    expect(templateForStep(7)).toBe(FOLLOW_UP_TEMPLATES.last);
  });
});

describe('firstNameFor', () => {
  it.each([
    { name: 'Müller, Hans', address: 'h.mueller@firma.de', first: 'Hans' },
    { name: null, address: 'hans.mueller@firma.de', first: 'Hans' },
    { name: '', address: 'hans_mueller@firma.de', first: 'Hans' },
    { name: 'Dr. Jane Smith', address: 'js@example.com', first: 'Jane' },
    { name: 'Prof. Dr. Hans Müller', address: 'x@uni.de', first: 'Hans' },
    { name: '"Jane Smith"', address: 'js@example.com', first: 'Jane' },
    { name: 'Jane Smith, PhD', address: 'js@example.com', first: 'Jane' },
    { name: 'JANE SMITH', address: 'js@example.com', first: 'Jane' },
    { name: 'mary-jane watson', address: 'mj@example.com', first: 'Mary-Jane' },
    { name: 'J. Robert Smith', address: 'jrs@example.com', first: 'Robert' },
    { name: 'J. Smith', address: 'js@example.com', first: null },
    { name: 'Hans Müller via Google Groups', address: 'group@googlegroups.com', first: 'Hans' },
    { name: 'Jane Smith (ACME)', address: 'js@acme.com', first: 'Jane' },
    { name: 'ACME Support', address: 'support@acme.com', first: null },
    { name: 'ACME', address: 'hello@acme.com', first: null },
    { name: 'Sales Team', address: 'sales@acme.com', first: null },
    { name: 'ACME GmbH', address: 'kontakt@acme.de', first: null },
    { name: null, address: 'info@acme.com', first: null },
    { name: null, address: 'sales.team@acme.com', first: null },
    { name: null, address: 'jsmith@example.com', first: null },
    { name: 'jsmith@example.com', address: 'jsmith@example.com', first: null },
    { name: '山田 太郎', address: 'taro.yamada@kaisha.jp', first: null },
  ])('$name <$address> → $first', ({ name, address, first }) => {
    expect(firstNameFor({ name, address })).toBe(first);
  });

  it.each([
    { text: 'Sounds good.\n\nBest,\nHans\n', first: 'Hans' },
    { text: 'See attached.\n\nCheers, Jon', first: 'Jon' },
    { text: 'Thanks for the update!\nLet us talk on Monday.\n\nKind regards,\n\nDr. Jane Smith\nHead of Sales, ACME', first: 'Jane' },
    { text: 'Ok.\n\nViele Grüße\nHans Müller\n\nOn Tue, 3 Mar 2026, Pat wrote:\n> Best,\n> Pat', first: 'Hans' },
    { text: 'Thanks!\nSee you Monday', first: null },
    { text: 'Thanks for your help, that works.', first: null },
  ])('sign-off of %j → $first', ({ text, first }) => {
    expect(firstNameFor({ name: null, address: 'x@example.com', signOffText: text })).toBe(first);
  });

  it('prefers the display name, then the sign-off, then the address', () => {
    expect(firstNameFor({ name: 'Jane Smith', address: 'hans.mueller@x.de', signOffText: 'Best,\nJon' })).toBe('Jane');
    expect(firstNameFor({ name: 'ACME Support', address: 'support@acme.com', signOffText: 'Best,\nJon' })).toBe('Jon');
    expect(firstNameFor({ name: null, address: 'hans.mueller@x.de', signOffText: 'no sign-off here' })).toBe('Hans');
  });
});

describe('replySubject', () => {
  it.each([
    ['Budget 2027', 'Re: Budget 2027'],
    ['Re: Budget 2027', 'Re: Budget 2027'],
    ['RE: Re: re: Budget 2027', 'Re: Budget 2027'],
    ['AW: Re: Budget', 'Re: Budget'],
    ['SV: Budget', 'Re: Budget'],
    ['Re[2]: Budget', 'Re: Budget'],
    ['回复：预算', 'Re: 预算'],
    ['Re: Fwd: Budget', 'Re: Fwd: Budget'],
    ['Reply needed: Budget', 'Re: Reply needed: Budget'],
    ['', 'Re:'],
    ['Re:', 'Re:'],
  ])('%j → %j', (subject, reply) => {
    expect(replySubject(subject)).toBe(reply);
  });

  it('strips only leading reply prefixes', () => {
    expect(stripReplyPrefixes('Re: About the Re: prefix')).toBe('About the Re: prefix');
  });
});

describe('renderFollowUp', () => {
  const base = {
    template: FOLLOW_UP_TEMPLATES.first,
    subject: 'Re: Fwd: Budget 2027',
    originalFrom: { name: 'Pat Lee', address: 'pat@acme.com' },
    originalDate: '2026-03-03T14:05:00Z',
  };

  it('fills the placeholders and quotes the original below', () => {
    const text = renderFollowUp({ ...base, firstName: 'Hans', originalText: 'Hello Hans,\n\nplease see the numbers.\r\n\r\nPat\n\n' });
    expect(text).toBe(
      'Hi Hans,\n\nI wanted to bring "Budget 2027" back to the top of your inbox in case it got buried. Did you have a chance to look at it?\n\n' +
        'On Tue, 3 Mar 2026 at 14:05 UTC, Pat Lee <pat@acme.com> wrote:\n' +
        '> Hello Hans,\n>\n> please see the numbers.\n>\n> Pat\n',
    );
  });

  it('says "Hi," without a name and names "my previous message" without a subject', () => {
    const text = renderFollowUp({ ...base, subject: 'Re: ', firstName: null, originalText: null });
    expect(text.startsWith('Hi,\n\nI wanted to bring my previous message back')).toBe(true);
    expect(text).not.toContain('wrote:');
  });

  it('writes the date in the given zone', () => {
    const text = renderFollowUp({ ...base, firstName: 'Hans', originalText: 'x', timeZone: 'Europe/Berlin' });
    expect(text).toContain('On Tue, 3 Mar 2026 at 15:05, Pat Lee <pat@acme.com> wrote:');
  });

  it(`limits the quote to ${MAX_QUOTED_LINES} lines`, () => {
    const original = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = renderFollowUp({ ...base, firstName: 'Hans', originalText: original });
    const quoted = text.split('\n').filter((l) => l.startsWith('>'));
    expect(quoted).toHaveLength(MAX_QUOTED_LINES + 1);
    expect(quoted.at(-2)).toBe(`> line ${MAX_QUOTED_LINES}`);
    expect(quoted.at(-1)).toBe('> [...]');
  });

  it('renders custom templates and keeps unknown placeholders', () => {
    const text = renderFollowUp({ ...base, template: '{firstName}, any news on {subject}? {other}', firstName: 'Ana', originalText: null });
    expect(text).toBe('Ana, any news on Budget 2027? {other}\n');
  });
});
