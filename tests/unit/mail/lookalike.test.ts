import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  findLookalike,
  lookalikeIndex,
  registrableDomain,
  skeleton,
  unicodeDomain,
} from '../../../main/core/mail/lookalike.js';
import { isFreemail } from '../../../main/core/contacts/freemail.js';

const KNOWN = ['example.com', 'acme.com', 'fabrikam.de', 'initech-systems.com', 'paypal.com', 'gmail.com', 'ibm.com', 'gmx.de', 'northwind.co.uk', 'microsoft.com'];

describe('registrableDomain', () => {
  it.each([
    ['mail.eu.acme.com', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['ACME.COM.', 'acme.com'],
    ['a.b.northwind.co.uk', 'northwind.co.uk'],
    ['scsettings.onmicrosoft.com', 'scsettings.onmicrosoft.com'],
    ['x.scsettings.onmicrosoft.com', 'scsettings.onmicrosoft.com'],
    ['mail.lovedale.edu.za', 'lovedale.edu.za'],
    ['x.aspernatur.sa.com', 'aspernatur.sa.com'],
    ['bb.com.br', 'bb.com.br'],
    ['localhost', 'localhost'],
    // The full Public Suffix List (tldts): k12.ca.us is a suffix, so each school district is its own.
    ['lausd.k12.ca.us', 'lausd.k12.ca.us'],
    ['mail.lausd.k12.ca.us', 'lausd.k12.ca.us'],
    ['mail.sfusd.k12.ca.us', 'sfusd.k12.ca.us'],
    ['city.kawasaki.jp', 'city.kawasaki.jp'],
    ['x.pat.github.io', 'pat.github.io'],
    ['mail.yahoo.co.jp', 'yahoo.co.jp'],
    ['[192.0.2.1]', '[192.0.2.1]'],
  ])('%s → %s', (d, r) => expect(registrableDomain(d)).toBe(r));
});

describe('skeleton and edit distance', () => {
  it('maps homoglyphs, digits and letter pairs to what they look like', () => {
    expect(skeleton('аррlе')).toBe('apple'); // Cyrillic а, р, р, е
    expect(skeleton('examp1e')).toBe('example');
    expect(skeleton('g00gle')).toBe('google');
    expect(skeleton('exarnple')).toBe('example');
    expect(skeleton('vvalmart')).toBe('walmart');
    expect(skeleton('Ánna Bérg')).toBe('anna berg');
    expect(skeleton('ΑΝΝΑ')).toBe('anna'); // Greek capitals
  });
  it('counts a swap of neighbours as one edit and gives up past the limit', () => {
    expect(editDistance('acme', 'amce')).toBe(1);
    expect(editDistance('fabrikam', 'fabrikan')).toBe(1);
    expect(editDistance('initechsystems', 'initechsystmes')).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
  it('decodes punycode', () => {
    expect(unicodeDomain('xn--cme-5cd.com')).toBe('\u0430cme.com');
    expect(typeof unicodeDomain('xn--broken--.com')).toBe('string'); // malformed: whatever Node makes of it, no throw
  });
});

describe('findLookalike', () => {
  const cyrillicAcme = domainToASCII('\u0430cme.com'); // xn--cme-5cd.com
  const cyrillicPaypal = domainToASCII('p\u0430yp\u0430l.com');
  it.each([
    ['examp1e.com', 'example.com', 'homoglyph'],
    ['exarnple.com', 'example.com', 'homoglyph'],
    ['acrne.com', 'acme.com', 'homoglyph'],
    ['rnicrosoft.com', 'microsoft.com', 'homoglyph'],
    [cyrillicAcme, 'acme.com', 'punycode'],
    [cyrillicPaypal, 'paypal.com', 'punycode'],
    ['\u0430cme.com', 'acme.com', 'punycode'], // raw UTF-8 (SMTPUTF8) domain
    ['fabrikan.de', 'fabrikam.de', 'typo'],
    ['paypai.com', 'paypal.com', 'typo'], // "paypaI" with a capital I, lower-cased by DNS
    ['pyapal.com', 'paypal.com', 'typo'],
    ['initech-sytsems.com', 'initech-systems.com', 'typo'],
    ['inltech-sistems.com', 'initech-systems.com', 'typo'], // two edits on a long label
    ['fabrikam.com', 'fabrikam.de', 'tld'],
    ['example.co', 'example.com', 'tld'],
    ['northwind.com', 'northwind.co.uk', 'tld'],
    ['example.com.evil.net', 'example.com', 'subdomain'],
    ['login.acme.com.verify-now.info', 'acme.com', 'subdomain'],
    ['paypal.secure-login.net', 'paypal.com', 'subdomain'],
    ['acme-payroll.com', 'acme.com', 'combo'],
    ['secure-paypal-billing.net', 'paypal.com', 'combo'],
  ])('%s imitates %s (%s)', (domain, known, kind) => {
    expect(findLookalike({ domain, known: KNOWN })).toMatchObject({ known, kind });
  });

  it.each([
    ['acme.com', 'the known domain itself'],
    ['mail.acme.com', 'a subdomain of a known domain'],
    ['ibx.com', 'short labels sit close by chance (ibm/ibx)'],
    ['ibm.de', 'a 3-letter label under another TLD'],
    ['gmx.at', 'gmx.at vs gmx.de (both real freemail)'],
    ['acne.com', '4-letter labels never match by distance alone'],
    ['fabric.de', 'two edits on an 8-letter label'],
    ['initiative-systems.com', 'far from any known label'],
    ['mail.evil.net', 'a generic subdomain word'],
    ['help-center.com', 'generic words in a hyphenated name'],
    ['unrelated.org', 'unrelated'],
  ])('%s is not a look-alike: %s', (domain) => {
    expect(findLookalike({ domain, known: KNOWN })).toBeNull();
  });

  it('treats mixed known lists as registrable domains and answers from a cache', () => {
    const idx = lookalikeIndex({ known: ['anna@acme.com'.split('@')[1], 'mail.eu.fabrikam.de'] });
    expect(idx.size).toBe(2);
    expect(idx.match('fabrikarn.de')?.known).toBe('fabrikam.de');
    expect(idx.match('FABRIKARN.DE')?.known).toBe('fabrikam.de');
  });

  it('finds nothing among thousands of unrelated names against thousands of similar known ones', () => {
    // Timing is measured in tests/eval/junk-speed.test.ts; a unit test on a shared machine
    // only checks that the hashed deletion index gives no false matches.
    const known = Array.from({ length: 3000 }, (_, i) => `company${i.toString(36)}name.com`);
    const idx = lookalikeIndex({ known });
    let hits = 0;
    for (let i = 0; i < 5000; i++) if (idx.match(`spam${i}sender${i % 7}.biz`)) hits++;
    expect(hits).toBe(0);
    expect(idx.match('company1anane.com')?.known).toBe('company1aname.com');
  });
});

describe('isFreemail', () => {
  it.each([
    'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.co.uk', 'hotmail.fr', 'live.de', 'msn.com',
    'yahoo.co.jp', 'yahoo.com', 'ymail.com', 'icloud.com', 'me.com', 'aol.com', 'gmx.de', 'gmx.at',
    'gmx.net', 'web.de', 'mail.ru', 'yandex.ru', 'yandex.com.tr', 'proton.me', 'protonmail.com',
    'zoho.com', 'fastmail.com', 'qq.com', '163.com', 'naver.com', 'orange.fr', 'free.fr', 'libero.it',
    't-online.de', 'comcast.net', 'anna@GMAIL.com', 'eu.mail.ru',
    // From the maintained lists that replaced the hand-kept one (email-providers, free-email-domains-list).
    'posteo.de', 'tuta.io', 'tutanota.com', 'duck.com', 'mailbox.org', 'seznam.cz', 'wp.pl', 'hey.com',
  ])('%s is freemail', (d) => expect(isFreemail(d)).toBe(true));
  it.each(['acme.com', 'web.com', 'mail.acme.com', 'mailchimp.com', 'livestream.com', 'gmail-support.com', 'outlook-verify.net', '', 'example.com', 'lausd.k12.ca.us', 'google.com', 'microsoft.com'])(
    '%s is not freemail',
    (d) => expect(isFreemail(d)).toBe(false),
  );
});
