// The follow-up's language: the contact's mail first, then the user's, the user's pick over both;
// the texts of every language (short, one question, the greeting of its register), the closing
// and the quote's attribution line in that language; and the editor's word count and question.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_LANGUAGES, NUDGE_MAX_WORDS, checkNudge, type FollowUpLanguage } from '../../../main/core/api.js';
import { PHRASES, conversationLanguage, fullNameFor, nudgeTemplate, renderFollowUp, signOffFor } from '../../../main/core/followup/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/language', name), 'utf8');
const CODES = FOLLOW_UP_LANGUAGES.map((l) => l.code);

describe('conversationLanguage', () => {
  it("takes the contact's own mail first, even when it quotes the user's English", async () => {
    const l = await conversationLanguage({ contactTexts: [fixture('reply-de-outlook-english-quote.txt')], userTexts: ['Hi Jonas, please find the quote attached. Could you confirm by Friday?'] });
    expect(l).toMatchObject({ code: 'de', source: 'contact', detected: 'de' });
    expect(l.reason).toBe('their mail reads as German');
  });

  it("falls back to the user's mail when the contact wrote nothing", async () => {
    const l = await conversationLanguage({ contactTexts: [], userTexts: ['Buenos días, Lucía: le envío el presupuesto revisado. ¿Podría confirmarme la fecha de entrega antes del viernes?'] });
    expect(l).toMatchObject({ code: 'es', source: 'user' });
  });

  it('says English when their language has no templates, and names it', async () => {
    const l = await conversationLanguage({ contactTexts: ['お世話になっております。資料をお送りいただきありがとうございます。来週までに確認いたします。'], userTexts: [] });
    expect(l).toMatchObject({ code: 'en', source: 'default', detected: 'ja' });
    expect(l.reason).toMatch(/Japanese, which has no template/);
  });

  it("the user's pick wins over what the mail says", async () => {
    const l = await conversationLanguage({ contactTexts: [fixture('reply-fr-gmail-attribution.txt')], userTexts: [], chosen: 'it' });
    expect(l).toEqual({ code: 'it', source: 'chosen', detected: null, reason: 'you chose Italian' });
  });

  it('English when there is no text at all', async () => {
    expect(await conversationLanguage({ contactTexts: [], userTexts: [] })).toMatchObject({ code: 'en', source: 'default', detected: null });
  });
});

describe('the texts of every language', () => {
  it.each(CODES.flatMap((code) => (['first', 'second', 'last'] as const).map((step, i) => [code, step, i + 1] as const)))('%s %s nudge: one question, short, names the subject', (code, _step, n) => {
    const t = nudgeTemplate(code, n, { firstName: 'Lena', fullName: 'Lena Vogel' });
    expect(t).toContain('{subject}');
    expect(t).not.toMatch(/\{greeting\}|\{firstName\}|\{fullName\}/);
    const body = t.split('\n\n').slice(1).join(' ');
    expect(body.trim().endsWith('?')).toBe(true);
    expect(checkNudge(t)).toMatchObject({ long: false, asks: true });
    expect(checkNudge(t).words).toBeLessThanOrEqual(50);
  });

  it.each([
    ['de', 'Guten Tag Lena Vogel,', 'Guten Tag,'],
    ['fr', 'Bonjour Lena,', 'Bonjour,'],
    ['es', 'Buenos días, Lena:', 'Buenos días:'],
    ['it', 'Gentile Lena,', 'Buongiorno,'],
    ['pt', 'Bom dia, Lena,', 'Bom dia,'],
    ['nl', 'Beste Lena,', 'Goedendag,'],
    ['en', 'Hi Lena,', 'Hi,'],
  ] as [FollowUpLanguage, string, string][])('%s greets "%s", and without a name "%s"', (code, named, anonymous) => {
    expect(nudgeTemplate(code, 1, { firstName: 'Lena', fullName: 'Lena Vogel' }).split('\n')[0]).toBe(named);
    expect(nudgeTemplate(code, 1, { firstName: null, fullName: null }).split('\n')[0]).toBe(anonymous);
  });

  it('the German formal greeting uses the full name as written, "Last, First" turned round', () => {
    expect(fullNameFor('Vogel, Lena', 'Lena')).toBe('Lena Vogel');
    expect(fullNameFor('"Lena Vogel" (Hafenblick)', 'Lena')).toBe('Lena Vogel');
    expect(fullNameFor('lena.vogel@hafenblick.de', 'Lena')).toBeNull();
    expect(fullNameFor('ACME GmbH', null)).toBeNull();
    expect(fullNameFor('Lena (x) Vogel (y) via LinkedIn', 'Lena')).toBe('Lena Vogel');
    // An unclosed "(" stays; a hostile display name is refused without a quadratic scan.
    expect(fullNameFor('Lena ((( Vogel', 'Lena')).toBe('Lena ((( Vogel');
    expect(fullNameFor('Lena ' + '('.repeat(50_000), 'Lena')).toBeNull();
  });

  it('fills a German follow-up: subject in „…“, closing and the attribution line in German', () => {
    const text = renderFollowUp({
      template: nudgeTemplate('de', 1, { firstName: 'Lena', fullName: 'Lena Vogel' }),
      firstName: 'Lena',
      subject: 'Re: Logo-Dateien',
      originalText: 'Hallo Lena,\nanbei die Dateien.',
      originalFrom: { name: 'Pat Lee', address: 'pat@northwind-studio.com' },
      originalDate: '2026-11-18T11:05:00Z',
      timeZone: 'Europe/London',
      signOff: signOffFor('Pat Lee', 'de'),
      language: 'de',
    });
    // The weekday and month abbreviations are ICU's ("Mi", "Mi."): only their place is fixed.
    expect(text).toMatch(
      new RegExp(
        '^Guten Tag Lena Vogel,\n\nich möchte „Logo-Dateien“ noch einmal nach oben in Ihren Posteingang holen, falls es untergegangen ist\\. Hatten Sie schon Gelegenheit, es sich anzusehen\\?\n\n' +
          'Mit freundlichen Grüßen\nPat Lee\n\nAm Mi\\.?, 18\\. Nov\\.? 2026 um 11:05 schrieb Pat Lee <pat@northwind-studio\\.com>:\n> Hallo Lena,\n> anbei die Dateien\\.\n$',
      ),
    );
  });

  it('closings: a comma where the language writes one (none in German, DIN 5008), none without a name', () => {
    expect(signOffFor('Pat Lee', 'en')).toBe('Best regards,\nPat Lee');
    expect(signOffFor('Pat Lee', 'de')).toBe('Mit freundlichen Grüßen\nPat Lee');
    expect(signOffFor('Pat Lee', 'fr')).toBe('Cordialement,\nPat Lee');
    expect(signOffFor(null, 'en')).toBe('Best regards');
    expect(signOffFor('', 'nl')).toBe('Met vriendelijke groet');
  });

  it('a French follow-up without a subject names "mon précédent message", in « » without the spaces', () => {
    const text = renderFollowUp({ template: nudgeTemplate('fr', 2, { firstName: null, fullName: null }), firstName: null, subject: '', originalFrom: 'pat@x.test', originalDate: 'not a date', language: 'fr' });
    expect(text).toContain('au sujet de mon précédent message, car');
    expect(Object.keys(PHRASES)).toEqual(CODES);
  });
});

describe('checkNudge', () => {
  it('counts the nudge, not the quote below it', () => {
    const quote = Array.from({ length: 30 }, () => '> a line of the original mail with many words in it').join('\n');
    const c = checkNudge(`Hi Bob,\n\nAny news on the budget?\n\nBest regards,\nPat\n\nOn Thu, 5 Mar 2026 at 10:00, Pat wrote:\n${quote}\n`);
    expect(c).toEqual({ words: 10, long: false, asks: true }); // Hi Bob, Any news on the budget? Best regards, Pat
  });

  it(`flags more than ${NUDGE_MAX_WORDS} words, and a nudge without a question`, () => {
    const long = `Hi Bob,\n\n${'word '.repeat(NUDGE_MAX_WORDS)}`;
    expect(checkNudge(long)).toEqual({ words: NUDGE_MAX_WORDS + 2, long: true, asks: false });
    expect(checkNudge('¿Ha tenido ocasión de revisarlo').asks).toBe(true);
    expect(checkNudge('')).toEqual({ words: 0, long: false, asks: false });
  });
});
