// Every argument that crosses from a client into the service is checked, naming the field
// (STYLE.md practice 6); the HTTP bridge and the IPC handlers share these checks.
import { describe, expect, it } from 'vitest';
import { validateArgs } from '../../../main/app/validate.js';
import { API_METHODS } from '../../../main/core/api.js';
import { TriageError } from '../../../main/core/errors.js';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TriageError);
    expect((e as TriageError).code).toBe('bad-input');
    return (e as Error).message;
  }
  throw new Error('no error');
};

const account = { name: 'work', imap: { host: 'imap.example.com', port: 993, security: 'tls', user: 'pat@example.com' } };

describe('validateArgs', () => {
  it('accepts good calls and drops trailing optional arguments', () => {
    expect(validateArgs('listAccounts', [])).toEqual([]);
    expect(validateArgs('sync', [null])).toEqual([]);
    expect(validateArgs('addAccount', [{ ...account, password: 'pw' }])).toEqual([{ ...account, password: 'pw' }]);
    expect(validateArgs('resend', ['abc', { now: '2026-11-23T09:00:00Z', text: 'Hi' }])).toEqual(['abc', { now: '2026-11-23T09:00:00Z', text: 'Hi' }]);
    expect(validateArgs('saveSettings', [{ businessHours: { start: '08:30', end: '16:00' }, minAgeHours: 12 }])).toHaveLength(1);
    expect(validateArgs('resend', ['abc', { plan: 3, cap: 3 }])).toEqual(['abc', { plan: 3, cap: 3 }]);
    expect(validateArgs('cancel', ['abc', { plan: true }])).toEqual(['abc', { plan: true }]);
    expect(validateArgs('updateFollowUp', ['abc', { text: 'Hi', scheduledAt: '2026-11-23T09:00:00Z' }])).toEqual(['abc', { text: 'Hi', scheduledAt: '2026-11-23T09:00:00Z' }]);
    expect(validateArgs('sendNow', ['abc'])).toEqual(['abc']);
  });

  it.each([
    ['addAccount', [{ ...account, imap: { ...account.imap, port: 99999 } }], '"account.imap.port" must be a whole number from 1 to 65535'],
    ['addAccount', [{ ...account, imap: { ...account.imap, security: 'ssl' } }], '"account.imap.security" must be one of tls, starttls, none'],
    ['addAccount', [{ ...account, admin: true }], '"account.admin" is not a known field'],
    ['addAccount', [{ name: 'x' }], '"account.imap" is missing'],
    ['rescue', [42], '"id" must be text'],
    ['rescue', ['a', { undo: 'yes' }], '"options.undo" must be true or false'],
    ['unanswered', [{ now: 'yesterday' }], '"options.now" must be an ISO-8601 instant'],
    ['unansweredHead', [{ limit: 0 }], '"options.limit" must be a whole number from 1 to 1000'],
    ['unansweredHead', [{ limit: 100, dismissed: true }], '"options.dismissed" is not a known field'],
    ['trust', ['a@b.c', 'maybe'], '"kind" must be one of trusted, blocked'],
    ['saveSettings', [{ businessHours: { start: '9', end: '17:00' } }], '"patch.businessHours.start" must be a time of day'],
    ['dismiss', [], '"id" is missing'],
    ['dismiss', ['a', 'b'], 'takes at most 1 argument'],
    ['listAccounts', 'not a list', 'must be a list'],
    ['resend', ['a', { plan: 6 }], '"options.plan" must be a whole number from 1 to 5'],
    ['resend', ['a', { cap: 0 }], '"options.cap" must be a whole number from 1 to 10'],
    ['cancel', ['a', { plan: 'all' }], '"options.plan" must be true or false'],
    ['updateFollowUp', ['a', { text: '' }], '"change.text" must not be empty'],
    ['updateFollowUp', ['a', { text: 'x'.repeat(10_001) }], '"change.text" must be at most 10000 characters'],
    ['updateFollowUp', ['a', { notBefore: '2026-11-23T09:00:00Z' }], '"change.notBefore" is not a known field'],
    ['updateFollowUp', ['a', { scheduledAt: 'tomorrow' }], '"change.scheduledAt" must be an ISO-8601 instant'],
    ['sendNow', [], '"id" is missing'],
  ] as const)('%s %j → %s', (method, args, expected) => {
    expect(message(() => validateArgs(method, args as unknown))).toContain(expected);
  });

  it('has checks for every method', () => {
    for (const m of API_METHODS) expect(() => validateArgs(m, [])).not.toThrow(/undefined/);
  });
});

describe('validateArgs: issue 12 (languages, pictures, the exact mail)', () => {
  it('takes a template language for a follow-up, and refuses any other', () => {
    expect(validateArgs('previewFollowUp', ['abc', { lang: 'de' }])).toEqual(['abc', { lang: 'de' }]);
    expect(message(() => validateArgs('resend', ['abc', { lang: 'ja' }]))).toBe('resend: "options.lang" must be one of en, de, fr, es, it, pt, nl.');
  });

  it('rhythmPicture takes an address and optionally a follow-up id and an instant; outgoingMail an id', () => {
    expect(validateArgs('rhythmPicture', ['lena@hafenblick.de', { followUpId: 'f1' }])).toEqual(['lena@hafenblick.de', { followUpId: 'f1' }]);
    expect(message(() => validateArgs('rhythmPicture', ['lena@hafenblick.de', { now: 'yesterday' }]))).toMatch(/"options.now" must be an ISO-8601 instant/);
    expect(message(() => validateArgs('rhythmPicture', ['lena@hafenblick.de', { planned: 'x' }]))).toMatch(/"options.planned" is not a known field/);
    expect(message(() => validateArgs('outgoingMail', []))).toMatch(/"id" is missing/);
  });
});
