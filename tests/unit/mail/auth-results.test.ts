import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authResultsOf,
  learnReceivers,
  parseAuthResultsHeader,
  parseReceivedSpf,
  readAuthResults,
} from '../../../main/core/mail/auth-results.js';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { FIXTURES } from '../support/junk-mailboxes.js';

const fixture = (file: string) => recordFromEml(readFileSync(path.join(FIXTURES, 'junk', file)), { folder: 'Junk' });

describe('parseAuthResultsHeader', () => {
  it('reads Gmail (mx.google.com): header.i for DKIM, p=/dis= comments dropped', () => {
    const h = parseAuthResultsHeader(
      'mx.google.com; dkim=pass header.i=@acme.com header.s=s1 header.b=Zk3f9aQ1; spf=pass (google.com: domain of anna@acme.com designates 198.51.100.25 as permitted sender) smtp.mailfrom=anna@acme.com; dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=acme.com',
    );
    expect(h.authservId).toBe('mx.google.com');
    expect(h.results.map((r) => `${r.method}=${r.result}`)).toEqual(['dkim=pass', 'spf=pass', 'dmarc=pass']);
    expect(h.results[0].props['header.i']).toBe('@acme.com');
    expect(h.results[1].props['smtp.mailfrom']).toBe('anna@acme.com');
  });

  it('reads Outlook / Exchange Online: no authserv-id, no space after ";", compauth with reason', () => {
    const h = parseAuthResultsHeader(
      'spf=fail (sender IP is 218.4.247.49) smtp.mailfrom=mega.nz; dkim=none (message not signed) header.d=none;dmarc=fail action=oreject header.from=mega.nz;compauth=fail reason=000',
    );
    expect(h.authservId).toBeNull();
    expect(h.results.map((r) => `${r.method}=${r.result}`)).toEqual(['spf=fail', 'dkim=none', 'dmarc=fail', 'compauth=fail']);
    expect(h.results[2].props.action).toBe('oreject');
    expect(h.results[3].props.reason).toBe('000');
  });

  it('reads Fastmail, with and without an ARC-style "i=1;" instance', () => {
    const plain = parseAuthResultsHeader('mx4.messagingengine.com; dkim=pass (2048-bit rsa key sha256) header.d=x.com header.i=@x.com; dmarc=pass policy.published-domain-policy=reject (p=reject,d=none) header.from=x.com; x-aligned-from=pass (Address match); x-me-sender=none');
    expect(plain.authservId).toBe('mx4.messagingengine.com');
    expect(plain.instance).toBeNull();
    expect(plain.results.map((r) => r.method)).toEqual(['dkim', 'dmarc', 'x-aligned-from', 'x-me-sender']);
    const arc = parseAuthResultsHeader('i=1; mx3.messagingengine.com; arc=none (no signatures found); spf=fail smtp.mailfrom=erin@globex.com');
    expect(arc.instance).toBe(1);
    expect(arc.authservId).toBe('mx3.messagingengine.com');
    expect(arc.results.map((r) => `${r.method}=${r.result}`)).toEqual(['arc=none', 'spf=fail']);
  });

  it('keeps an authserv-id version and reads method versions ("dkim/1=pass")', () => {
    const h = parseAuthResultsHeader('mx.microsoft.com 1; dkim/1=pass header.d=a.example');
    expect(h.authservId).toBe('mx.microsoft.com');
    expect(h.results[0]).toMatchObject({ method: 'dkim', result: 'pass' });
  });

  it.each([
    ['comments holding ";" and "="', 'example.org; dkim=pass (2048-bit key; unprotected) header.d=gmail.com header.b=SI+iqkld', 'dkim', 'gmail.com'],
    ['a quoted string with escaped quotes and parens', 'example.org; dkim=fail header.d=gmail.com header.i=" foo bar \\"xyz\\"@gmail.com" header.b=x', 'dkim', 'gmail.com'],
    ['a comment between property and "=" (SpamAssassin authrestest4)', 'authrestest4int 2; spf=fail reason (BAH) = "just some (<>.%&! reason" smtp.mailfrom=dogma.slashnull.org', 'spf', undefined],
    ['nested comments', 'example.org; spf=pass (a (nested; comment) here) smtp.mailfrom=a.example', 'spf', undefined],
  ])('survives %s', (_label, value, method, d) => {
    const h = parseAuthResultsHeader(value);
    expect(h.results[0].method).toBe(method);
    if (d) expect(h.results[0].props['header.d']).toBe(d);
  });

  it('reads the SpamAssassin quoted reason whole', () => {
    const h = parseAuthResultsHeader('authrestest4int 2; spf=fail reason (BAH) = "just some (<>.%&! reason" smtp.mailfrom=dogma.slashnull.org');
    expect(h.results[0].props.reason).toBe('just some (<>.%&! reason');
    expect(h.results[0].props['smtp.mailfrom']).toBe('dogma.slashnull.org');
  });

  it.each([
    ['empty', ''],
    ['"none" (RFC 8601: no results)', 'mx.example.org 1; none'],
    ['garbage', ';;;=;(((unclosed "quote'],
    ['8-bit junk', 'm\u00fcll; \u0000\u00ff=\u00fe'],
    ['a property without a method', 'somewhere.someplace.org; header.From=mickey@someplace.org'],
  ])('gives no results for %s without throwing', (_label, value) => {
    expect(parseAuthResultsHeader(value).results).toEqual([]);
  });

  it('copes with a 2 MB header', () => {
    const h = parseAuthResultsHeader('mx.example.org; dkim=pass header.d=a.example; ' + 'x=y '.repeat(500_000));
    expect(h.results[0]).toMatchObject({ method: 'dkim', result: 'pass' });
  });
});

describe('parseReceivedSpf', () => {
  it.each([
    ['Pass (protection.outlook.com: domain of gmail.com designates 209.85.218.44 as permitted sender) receiver=protection.outlook.com; client-ip=209.85.218.44; helo=mail-ej1-f44.google.com; pr=C', 'pass', 'gmail.com'],
    ['fail (dostech.ca: 69.61.78.188 is authorized) receiver=FC5-VPC; identity=mfrom; envelope-from="spamassassin@dostech.ca"; helo=dostech.ca', 'fail', 'dostech.ca'],
    ['SoftFail (protection.outlook.com: domain of transitioning outlook.com discourages use of 192.0.2.201 as permitted sender)', 'softfail', 'outlook.com'],
    ['None (protection.outlook.com: nonkfrgr.co.uk does not designate permitted sender hosts)', 'none', null],
  ])('%s', (value, result, domain) => {
    expect(parseReceivedSpf(value)).toEqual({ result, domain });
  });
  it('ignores what is not a result', () => {
    expect(parseReceivedSpf('whatever happened here')).toBeNull();
    expect(parseReceivedSpf('')).toBeNull();
  });
});

describe('readAuthResults: which header is trusted', () => {
  it('trusts only the topmost header: a forged "pass" from another server below is ignored', () => {
    const a = readAuthResults({
      authenticationResults: [
        'mx.google.com; spf=softfail smtp.mailfrom=ceo@acme.com; dmarc=fail (p=REJECT) header.from=acme.com',
        'mail.attacker.example; dkim=pass header.d=acme.com; dmarc=pass header.from=acme.com',
      ].join('\n'),
    });
    expect(a).toMatchObject({ authservId: 'mx.google.com', dmarc: 'fail', spf: 'softfail', dkim: [], source: 'authentication-results' });
  });

  it('merges the following headers of the same server (Proton writes one per method)', () => {
    const rec = recordFromEml(
      [
        'Authentication-Results: mailin022.protonmail.ch; dkim=pass (Good 2048 bit rsa-sha256 signature) header.d=gmail.com header.a=rsa-sha256',
        'Authentication-Results: mailin022.protonmail.ch; dmarc=pass (p=none dis=none) header.from=gmail.com',
        'Authentication-Results: mailin022.protonmail.ch; spf=pass smtp.mailfrom=gmail.com',
        'Authentication-Results: mailin022.protonmail.ch; arc=none smtp.remote-ip=209.85.161.66',
        'From: DocuSign <johnmercy2723@gmail.com>',
        'Subject: x',
        '',
        '',
      ].join('\r\n'),
    );
    expect(authResultsOf({ record: rec })).toMatchObject({ spf: 'pass', dmarc: 'pass', dmarcFrom: 'gmail.com', arc: 'none', dkim: [{ result: 'pass', domain: 'gmail.com' }] });
  });

  it('lets the worst result win when the same server repeats a method (a forged pass cannot undo a fail)', () => {
    const rec = fixture('work-suspicious-gmail-own-address-dmarc-fail-forged-pass-below.eml');
    const a = authResultsOf({ record: rec });
    expect(a.dmarc).toBe('fail');
    expect(a.spf).toBe('softfail');
  });

  it('trusts only the first of Microsoft\'s id-less headers', () => {
    const a = readAuthResults({
      authenticationResults: 'spf=pass (sender IP is 2a01:111:f400:feae::62d) smtp.mailfrom=x.onmicrosoft.com; dmarc=pass action=none header.from=x.onmicrosoft.com\ndkim=none (message not signed) header.d=none;dmarc=none action=none header.from=x.onmicrosoft.com;',
    });
    expect(a).toMatchObject({ authservId: '', dmarc: 'pass', spf: 'pass', dkim: [] });
  });

  it('falls back to the topmost Received-SPF when A-R has no spf', () => {
    expect(readAuthResults({ receivedSpf: 'softfail (a.example: b) identity=mfrom; envelope-from="x@y.example"\npass (forged) envelope-from=x@y.example' })).toMatchObject({ spf: 'softfail', spfDomain: 'y.example', source: 'received-spf' });
    expect(readAuthResults({ authenticationResults: 'mx.google.com; dkim=pass header.i=@a.example', receivedSpf: 'fail (x)' })).toMatchObject({ spf: 'fail', source: 'authentication-results' });
  });

  it('marks a topmost header from a server that is not the account\'s receiver untrusted, and still reads it', () => {
    const receivers = new Set(['google.com']);
    const a = readAuthResults({ authenticationResults: 'mx.attacker.example; dmarc=pass header.from=brightwave.io', receivers });
    // Read, so that a failure in it counts (junk.ts); marked, so that its pass does not.
    expect(a).toMatchObject({ source: 'untrusted', ignoredAuthservId: 'mx.attacker.example', learnedReceivers: ['google.com'], dmarc: 'pass' });
    expect(readAuthResults({ authenticationResults: 'spf=fail smtp.mailfrom=a.example;compauth=fail reason=000', receivers })).toMatchObject({ source: 'untrusted', ignoredAuthservId: '', spf: 'fail', compauth: 'fail' });
    // Received-SPF below an untrusted top is not read.
    expect(readAuthResults({ authenticationResults: 'mx.attacker.example; dkim=none', receivedSpf: 'fail (x)', receivers }).spf).toBeNull();
    expect(readAuthResults({ authenticationResults: 'mx.google.com; dmarc=pass header.from=a.example', receivers }).dmarc).toBe('pass');
    // mx1…mx6.messagingengine.com are one receiver.
    expect(readAuthResults({ authenticationResults: 'mx6.messagingengine.com; spf=pass smtp.mailfrom=a.example', receivers: new Set(['messagingengine.com']) }).spf).toBe('pass');
  });
});

describe('learnReceivers', () => {
  const rec = (ar: string, folder = 'INBOX') => ({ ...recordFromEml(`Authentication-Results: ${ar}\r\nFrom: a@b.example\r\n\r\n`, { folder }), headers: { 'authentication-results': ar } });
  it('learns the ids on top of most mail, by registrable domain, skipping Junk', () => {
    const msgs = [
      ...Array.from({ length: 20 }, (_, i) => rec(`mx${(i % 3) + 1}.messagingengine.com; spf=pass`)),
      rec('mx.google.com; spf=pass'),
      ...Array.from({ length: 10 }, () => rec('spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=x', 'Junk')),
    ];
    const learned = learnReceivers({ messages: msgs, skip: (m) => m.locations[0].folder === 'Junk' });
    expect(learned).toEqual(new Set(['messagingengine.com']));
  });
  it('learns Microsoft\'s id-less header as ""', () => {
    const msgs = Array.from({ length: 5 }, () => rec('spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=x.example'));
    expect(learnReceivers({ messages: msgs })).toEqual(new Set(['']));
  });
  it('learns nothing from too little mail', () => {
    expect(learnReceivers({ messages: [rec('mx.google.com; spf=pass')] })).toBeNull();
  });
});
