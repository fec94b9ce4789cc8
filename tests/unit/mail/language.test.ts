// The writer's own words of a mail (quotes, attribution lines, Outlook header blocks and
// signatures cut off) and their language, read by eld: the fixtures are real layouts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLanguage, ownWords } from '../../../main/core/mail/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/language', name), 'utf8');

describe('ownWords', () => {
  it('cuts an Outlook reply at its quoted header block (the quote is in another language)', () => {
    const own = ownWords(fixture('reply-de-outlook-english-quote.txt'));
    expect(own).toMatch(/^Guten Tag Herr Lee,/);
    expect(own).toContain('Jonas Becker');
    expect(own).not.toContain('Von:');
    expect(own).not.toContain('please find');
  });

  it('cuts a Gmail reply at its attribution line, in French ("a écrit :")', () => {
    const own = ownWords(fixture('reply-fr-gmail-attribution.txt'));
    expect(own.endsWith('Chloé')).toBe(true);
    expect(own).not.toContain('a écrit');
    expect(own).not.toContain('quote attached');
  });

  it('cuts the signature at "-- " (RFC 3676 §4.3)', () => {
    const own = ownWords(fixture('reply-es-signature.txt'));
    expect(own).toContain('Gracias por el presupuesto');
    expect(own).not.toContain('confidential');
  });

  it('keeps nothing of empty or missing text', () => {
    expect(ownWords('')).toBe('');
    expect(ownWords(null)).toBe('');
    expect(ownWords('> only a quote\n> more quote')).toBe('');
  });

  it('reads a hostile body (lines of thousands of spaces, "wrote" without a colon) in linear time', () => {
    const text = fixture('hostile-long-lines.txt');
    const started = performance.now();
    for (let i = 0; i < 20; i++) ownWords(text);
    const ms = (performance.now() - started) / 20;
    // Measured 0.15 ms a run on this machine; the budget leaves room for a loaded CI.
    expect(ms).toBeLessThan(50);
    expect(ownWords(text).length).toBeLessThanOrEqual(4000 + 400);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['reply-de-outlook-english-quote.txt', 'de'],
    ['reply-fr-gmail-attribution.txt', 'fr'],
    ['reply-es-signature.txt', 'es'],
    ['english-short.txt', 'en'],
  ])('%s reads as %s (own words only)', async (name, language) => {
    const guess = await detectLanguage(ownWords(fixture(name)));
    expect(guess.language).toBe(language);
  });

  it.each([
    ['Ciao Pat, grazie mille per i campioni: ti rispondo domani con le quantità.', 'it'],
    ['Olá Pat, obrigado pelas amostras! Respondo amanhã com as quantidades.', 'pt'],
    ['Hoi Pat, bedankt voor de bestanden. Ik laat het je morgen weten.', 'nl'],
  ])('"%s" → %s', async (text, language) => {
    expect((await detectLanguage(text)).language).toBe(language);
  });

  it('says nothing of text without letters', async () => {
    expect(await detectLanguage('+49 40 123 456 / 2026-11-10')).toEqual({ language: null, reliable: false });
    expect(await detectLanguage('')).toEqual({ language: null, reliable: false });
  });
});

describe('ownWords: attribution lines as mailing lists write them', () => {
  it.each([
    ['Name <a@b> wrote:, then a blank line', 'Thanks, applied.\n\nSuresh Jayaraman <sjayaraman@suse.de> wrote:\n\n> the patch'],
    ['"* Name wrote:" (a list client)', 'Thanks, applied.\n* Henrik Kretzschmar <henne@nachtwindheim.de> wrote:\n> the patch'],
    ['an attribution wrapped over two lines', 'Thanks, applied.\n\nOn Mon, Feb 14, 2011 at 3:42 AM, Catalin Marinas\n<catalin.marinas@arm.com> wrote:\n> the patch'],
    ['a Russian attribution', 'Thanks, applied.\n02.04.2012 14:20 пользователь "bob@example.org" написал:\n> the patch'],
  ])('%s', (_what, text) => {
    expect(ownWords(text)).toBe('Thanks, applied.');
  });
});
