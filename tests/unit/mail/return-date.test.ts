import { describe, expect, it } from 'vitest';
import { outOfOfficeReturnDate } from '../../../main/core/mail/autoreply.js';

// Thursday 20 November 2025.
const AT = '2025-11-20T10:00:00Z';

describe('outOfOfficeReturnDate', () => {
  it.each([
    // English
    ['I will be back on Monday, December 1.', '2025-12-01'],
    ['I am out of the office, returning 12/01.', '2025-12-01'],
    ['Back in the office on 2025-12-08.', '2025-12-08'],
    ['I am on leave from Nov 24 until Dec 3 and will return on December 4th, 2025.', '2025-12-04'],
    ['Out of the office until Friday.', '2025-11-21'],
    ['I will be traveling on November 24-28 with limited access to email.', '2025-11-28'],
    ['I am away until 5 December.', '2025-12-05'],
    // German
    ['Ich bin ab dem 1. Dezember wieder im Büro.', '2025-12-01'],
    ['Ich bin bis zum 5.12.2025 nicht erreichbar.', '2025-12-05'],
    ['Ab 3.12. bin ich wieder erreichbar.', '2025-12-03'],
    ['Ich bin bis einschließlich Freitag, 28. November abwesend.', '2025-11-28'],
    // French
    ['Je serai de retour le 3 décembre.', '2025-12-03'],
    ["Je suis absent jusqu'au lundi 1er décembre.", '2025-12-01'],
    ['Je suis absent du 24 au 28 novembre.', '2025-11-28'],
    // Spanish
    ['Estaré fuera; regresaré el 2 de diciembre.', '2025-12-02'],
    ['Fuera de la oficina hasta el 10/12.', '2025-12-10'],
    ['Estoy de vacaciones del 24 al 30 de noviembre de 2025.', '2025-11-30'],
  ])('%s → %s', (text, expected) => {
    expect(outOfOfficeReturnDate(text, { receivedAt: AT })).toBe(expected);
  });

  it.each([
    ['Thank you for your mail, I will answer soon.'],
    ['Ich bin ab dem 24.11. im Urlaub.'], // the start of the absence, not the return
    ['Back on 1 January 2019.'], // long past: a quoted old mail, not a return date
    [''],
  ])('no return date in %j', (text) => {
    expect(outOfOfficeReturnDate(text, { receivedAt: AT })).toBeNull();
  });

  it('a date without a year is the next occurrence on or after the mail', () => {
    expect(outOfOfficeReturnDate('back on January 7', { receivedAt: '2025-12-20T08:00:00Z' })).toBe('2026-01-07');
    expect(outOfOfficeReturnDate('back on December 1', { receivedAt: '2025-12-20T08:00:00Z' })).toBe('2026-12-01');
  });

  it('an ambiguous numeric date takes the nearer reading after the mail', () => {
    // 12/01 in late November is December 1 (month first); in early January it is 12 January.
    expect(outOfOfficeReturnDate('returning 12/01', { receivedAt: '2025-11-20T08:00:00Z' })).toBe('2025-12-01');
    expect(outOfOfficeReturnDate('returning 12/01', { receivedAt: '2026-01-05T08:00:00Z' })).toBe('2026-01-12');
    expect(outOfOfficeReturnDate('returning 05/01/2010', { receivedAt: '2010-04-07T08:00:00Z' })).toBe('2010-05-01');
  });

  it('reads a subject too (Lotus Notes "AUTO:" replies)', () => {
    expect(outOfOfficeReturnDate('AUTO: Smith, John is out of the office. (returning 05/01/2010)', { receivedAt: '2010-04-07T08:00:00Z' })).toBe(
      '2010-05-01',
    );
  });

  describe('a month without a day is the first working day of that month (issue 15)', () => {
    it.each([
      // English
      ['I am back in January.', '2026-01-02'], // 1 January is New Year's Day, a Thursday
      ['Back early January.', '2026-01-02'],
      ['I am on sabbatical until September 2026.', '2026-09-01'],
      ['Returning in March.', '2026-03-02'], // 1 March 2026 is a Sunday
      // German
      ['Ich bin in Elternzeit bis Januar 2027.', '2027-01-04'], // Friday 1 January is a holiday
      ['Ich bin ab März wieder im Büro.', '2026-03-02'],
      ['Ich bin im Februar wieder erreichbar.', '2026-02-02'],
      // French
      ['Je suis en congé parental, de retour en janvier.', '2026-01-02'],
      ["En congé sabbatique jusqu'en mars 2026.", '2026-03-02'],
      // Spanish
      ['Estoy de baja por maternidad hasta enero de 2027.', '2027-01-04'],
      ['Regresaré en marzo.', '2026-03-02'],
    ])('%s → %s', (text, expected) => {
      expect(outOfOfficeReturnDate(text, { receivedAt: AT })).toBe(expected);
    });

    it('a long leave may end more than a year ahead; an ordinary absence may not', () => {
      expect(outOfOfficeReturnDate('I am on parental leave until January 2028.', { receivedAt: AT })).toBe('2028-01-03');
      expect(outOfOfficeReturnDate('Ich bin in Elternzeit bis Januar 2028.', { receivedAt: AT })).toBe('2028-01-03');
      expect(outOfOfficeReturnDate('I am away until January 2028.', { receivedAt: AT })).toBeNull();
    });

    it.each([
      ['I am back in November.'], // the month of the mail: no telling when in it
      ['I may be back later.'],
      ['Ich bin im Januar im Urlaub.'], // the absence, not the return
    ])('no return date in %j', (text) => {
      expect(outOfOfficeReturnDate(text, { receivedAt: AT })).toBeNull();
    });
  });

  it('a bogus received date gives null rather than a guess', () => {
    expect(outOfOfficeReturnDate('back on December 1', { receivedAt: 'not a date' })).toBeNull();
  });
});
