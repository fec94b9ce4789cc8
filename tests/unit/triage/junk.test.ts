import { describe, expect, it } from 'vitest';
import { recordFromEml } from '../../../main/core/mail/record.js';
import { readAuthResults } from '../../../main/core/mail/auth-results.js';
import { buildContacts } from '../../../main/core/contacts/known.js';
import { assessAuth, junkVerdicts, type JunkVerdict } from '../../../main/core/triage/junk.js';
import type { Mailbox } from '../../../main/core/store/mailbox.js';
import { fixtureMailboxes, junkFixtureNames } from '../support/junk-mailboxes.js';

const OVERRIDES = { trusted: ['studio-sato.jp'], blocked: [] };
const all = junkVerdicts({ mailboxes: fixtureMailboxes(), overrides: OVERRIDES });
const byId = new Map(all.map((v) => [v.messageId, v]));
const verdictOf = (file: string, overrides = OVERRIDES): JunkVerdict | undefined =>
  junkVerdicts({ mailboxes: fixtureMailboxes({ only: [file] }), overrides })[0];

describe('junk verdicts per rule (one .eml fixture each)', () => {
  it.each<[string, 'rescue' | 'suspicious' | null, string | null, RegExp | null]>([
    // known contact, authentication passes (Gmail receiver)
    ['work-rescue-gmail-known-contact-dmarc-pass.eml', 'rescue', 'contact', /^You wrote to anna@acme\.com twice, last on 2026-10-02$/],
    // known organisation: weaker, and says so
    ['work-rescue-gmail-known-organisation-colleague.eml', 'rescue', 'organisation', /^Colleague at acme\.com, a company you write to/],
    // display name of a known contact on a freemail address
    ['work-suspicious-gmail-display-name-spoof-freemail.eml', 'suspicious', 'display-name', /^Display name 'Anna Berg' belongs to anna@acme\.com, but this came from anna\.berg\.acme@gmail\.com$/],
    // a freemail stranger: gmail.com is never a known organisation
    ['work-notlisted-gmail-freemail-stranger.eml', null, null, null],
    // look-alikes: punycode homoglyph, 'rn' for 'm', typo, subdomain trick
    ['work-suspicious-gmail-lookalike-punycode-homoglyph.eml', 'suspicious', 'look-alike', /^xn--cme-5cd\.com looks like acme\.com.*look-alike letters \(\u0430cme\.com\)/],
    ['work-suspicious-gmail-lookalike-rn-for-m.eml', 'suspicious', 'look-alike', /acrne\.com looks like acme\.com.*"rn" reads as "m"/],
    ['home-suspicious-outlook-lookalike-typo.eml', 'suspicious', 'look-alike', /fabrikan\.de looks like fabrikam\.de.*one letter differs/],
    ['work-suspicious-gmail-subdomain-trick.eml', 'suspicious', 'look-alike', /acme\.com is only the start of the name; it belongs to account-verify\.net/],
    // own address: DMARC fail (a forged pass further down does not help), compauth fail, no auth
    ['work-suspicious-gmail-own-address-dmarc-fail-forged-pass-below.eml', 'suspicious', 'own', /^DMARC failed for brightwave\.io: the mail may be forged$/],
    ['home-suspicious-outlook-own-address-compauth-fail.eml', 'suspicious', 'own', /compauth\) failed for outlook\.com/],
    ['home-suspicious-own-address-no-auth.eml', 'suspicious', 'own', /claims to come from your own address pat\.morgan@outlook\.com, but nothing shows/],
    // known contact, but DMARC fails (Outlook receiver)
    ['home-suspicious-outlook-dmarc-fail.eml', 'suspicious', 'contact', /^DMARC failed for acme\.com: the mail may be forged$/],
    // known contact, SPF and DKIM both fail with no DMARC result (Fastmail receiver, "i=1;")
    ['fm-suspicious-fastmail-spf-dkim-fail-no-dmarc.eml', 'suspicious', 'contact', /^SPF failed for globex\.com, its DKIM signature is broken, and globex\.com gives no DMARC result/],
    // known contact through Fastmail, all passing
    ['fm-rescue-fastmail-known-contact.eml', 'rescue', 'contact', /^You wrote to dave\.kim@initech-systems\.com once/],
    // a known address written as the display name
    ['fm-suspicious-fastmail-address-in-display-name.eml', 'suspicious', 'display-name', /^The name shows anna@acme\.com, but this came from invoices@billing-center\.example$/],
    // Reply-To on a look-alike of the sender's known domain
    ['work-suspicious-gmail-reply-to-lookalike.eml', 'suspicious', 'contact', /^Replies would go to anna@acme-corp\.com, a look-alike of acme\.com$/],
    // Outlook receiver, known contact, compauth pass
    ['home-rescue-outlook-known-contact-compauth-pass.eml', 'rescue', 'contact', /^You wrote to carla\.ruiz@fabrikam\.de once/],
    // trusted domain: rescued; trusted but DMARC fails: suspicious
    ['home-trusted-outlook-unknown-sender.eml', 'rescue', 'trusted', /^You marked studio-sato\.jp as trusted$/],
    ['home-trusted-outlook-dmarc-fail.eml', 'suspicious', 'trusted', /^DMARC failed for studio-sato\.jp/],
    // answers the user's mail
    ['home-rescue-outlook-reply-to-user-bob.eml', 'rescue', 'contact', /^It answers your mail "Saturday climbing\?" of 2026-09-26$/],
    ['work-rescue-gmail-reply-to-user-from-new-address.eml', 'rescue', 'reply', /^It answers your mail "Re: Q4 supplier review" of 2026-10-02$/],
    ['home-rescue-outlook-dave-blockable.eml', 'rescue', 'contact', /^You wrote to dave\.kim@initech-systems\.com once/],
    // the provider's own verdict (Microsoft 365): phishing, spoofing, impersonation are never rescued
    ['m365-suspicious-microsoft-phish-known-contact-dmarc-pass.eml', 'suspicious', 'contact', /^Microsoft's filter classed it as phishing \(CAT:PHSH\)$/],
    ['m365-suspicious-microsoft-high-confidence-phish-forged-clean-below.eml', 'suspicious', 'contact', /^Microsoft's filter classed it as phishing, with high confidence \(CAT:HPHSH\)$/],
    ['m365-suspicious-microsoft-spoof-user-impersonation.eml', 'suspicious', 'contact', /^Microsoft's filter found the sender's address forged \(CAT:SPOOF\)$/],
    ['m365-rescue-microsoft-spam-known-contact-forged-phish-below.eml', 'rescue', 'contact', /^You wrote to omar@wingtip-supply\.com once/],
    // SpamAssassin on the company's own Postfix
    ['acme-suspicious-spamassassin-phish-forged-clean-below.eml', 'suspicious', 'contact', /^Your provider's spam filter \(SpamAssassin\) classed it as phishing \(URI_PHISH\)$/],
    ['acme-rescue-spamassassin-forged-phish-below.eml', 'rescue', 'contact', /^You wrote to jordan\.lee@northwind-freight\.com once/],
    // a failure counts wherever it is written (issue 14: "Revised freight invoice")
    ['acme-suspicious-foreign-receiver-spf-dkim-fail-freight-invoice.eml', 'suspicious', 'contact', /^The Authentication-Results header from mail\.acme-widgets\.com says SPF failed/],
  ])('%s → %s', (file, verdict, match, firstReason) => {
    const v = verdictOf(file);
    if (verdict === null) {
      expect(v).toBeUndefined();
      return;
    }
    expect(v).toBeDefined();
    expect(v!.verdict).toBe(verdict);
    expect(v!.match).toBe(match);
    expect(v!.reasons[0]).toMatch(firstReason!);
  });

  it('covers every fixture in the junk folder', () => {
    expect(all.length).toBe(junkFixtureNames().filter((f) => !f.includes('-notlisted-')).length);
  });
});

describe('entries', () => {
  it('carry the contract fields and the extras', () => {
    const v = byId.get('0c1e9a2b-77f1-4d0e-9f3a-1b2c3d4e5f60@acme.com')!;
    expect(v).toMatchObject({
      account: 'work',
      from: 'anna@acme.com',
      fromName: 'Anna Berg',
      subject: 'Signed contract for Q4',
      receivedAt: '2026-10-05T08:14:31.000Z',
      verdict: 'rescue',
      auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
      isReplyToUser: false,
      contact: { address: 'anna@acme.com', name: 'Anna Berg', sentTo: 2 },
      organisation: null,
    });
    expect(v.id).toMatch(/^[0-9a-f]{12}$/);
    expect(v.reasons).toEqual(['You wrote to anna@acme.com twice, last on 2026-10-02', 'Passed DMARC for acme.com']);
  });

  it('name the imitated contact on a display-name spoof', () => {
    const v = all.find((e) => e.from === 'anna.berg.acme@gmail.com')!;
    expect(v.contact).toMatchObject({ address: 'anna@acme.com' });
  });

  it('are ordered: replies to the user first, then rescue before suspicious, then newest', () => {
    const keys = all.map((v) => [v.isReplyToUser, v.verdict, v.receivedAt] as const);
    expect(keys.slice(0, 2).every(([r]) => r)).toBe(true);
    for (let i = 1; i < keys.length; i++) {
      const [r0, v0, t0] = keys[i - 1];
      const [r1, v1, t1] = keys[i];
      if (r0 !== r1) expect(r0).toBe(true);
      else if (v0 !== v1) expect(v0).toBe('rescue');
      else expect(t0 >= t1).toBe(true);
    }
    expect(all[0].from).toBe('liam@northwind-partners.com'); // newest of the two replies
  });
});

describe('a failure counts wherever it is written (issue 14)', () => {
  it('"Revised freight invoice": spf=fail and dkim=fail from a server the account has not learned is suspicious, and says so in the header\'s words', () => {
    const v = verdictOf('acme-suspicious-foreign-receiver-spf-dkim-fail-freight-invoice.eml')!;
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'contact', from: 'jordan.lee@northwind-freight.com', subject: 'Revised freight invoice', auth: { spf: 'fail', dkim: 'fail', dmarc: null } });
    expect(v.reasons[0]).toBe(
      'The Authentication-Results header from mail.acme-widgets.com says SPF failed for northwind-freight.com, its DKIM signature is broken, and northwind-freight.com gives no DMARC result: the mail may be forged',
    );
    // Nothing claims the header was ignored, or that it is not the user's server.
    expect(v.reasons.join(' ')).not.toMatch(/ignored|not written by your mail server/);
    // Trusting the sender's domain does not rescue a forgery either.
    expect(verdictOf('acme-suspicious-foreign-receiver-spf-dkim-fail-freight-invoice.eml', { trusted: ['northwind-freight.com'], blocked: [] })).toMatchObject({ verdict: 'suspicious', match: 'trusted' });
  });

  it('the same header from the learned receiver gives the same verdict, in its own words', () => {
    const acme = fixtureMailboxes({ only: ['acme-suspicious-foreign-receiver-spf-dkim-fail-freight-invoice.eml'] }).find((mb) => mb.account.name === 'acme')!;
    // Once the account's mail comes through mail.acme-widgets.com, that is the receiver it learns.
    const stamped = acme.messages.map((m) =>
      m.locations[0].folder === 'INBOX' ? { ...m, headers: { ...m.headers, 'authentication-results': 'mail.acme-widgets.com; dkim=pass header.d=x.example' } } : m,
    );
    const v = junkVerdicts({ mailboxes: [{ ...acme, messages: stamped }] })[0];
    expect(v.verdict).toBe('suspicious');
    expect(v.reasons[0]).toBe('SPF failed for northwind-freight.com, its DKIM signature is broken, and northwind-freight.com gives no DMARC result: the mail may be forged');
  });
});

describe('the provider\'s own verdict', () => {
  it('phishing that authenticates says the sender\'s mailbox may have been taken over', () => {
    const v = verdictOf('m365-suspicious-microsoft-phish-known-contact-dmarc-pass.eml')!;
    expect(v.reasons).toContain('It really comes from fabrikam-partners.com (Passed DMARC for fabrikam-partners.com), so that sender\'s mailbox may have been taken over');
  });

  it('reads only the topmost header: a forged "clean" verdict below does not undo the provider\'s, a forged "phish" below is not the provider\'s', () => {
    const clean = verdictOf('m365-suspicious-microsoft-high-confidence-phish-forged-clean-below.eml')!;
    expect(clean.reasons.join(' ')).not.toMatch(/SCL -1/);
    const spam = verdictOf('m365-rescue-microsoft-spam-known-contact-forged-phish-below.eml')!;
    expect(spam.reasons).toEqual([
      'You wrote to omar@wingtip-supply.com once, last on 2026-10-06',
      'Passed DMARC for wingtip-supply.com',
      'Microsoft\'s spam filter rated it spam (SCL 5 of 9)',
      'Microsoft rates it bulk mail (BCL 7 of 9)',
    ]);
    expect(verdictOf('acme-rescue-spamassassin-forged-phish-below.eml')!.reasons).toContain('Your provider\'s spam filter (SpamAssassin) did not mark it spam: score 2.1, spam from 5.0');
    const fm = verdictOf('fm-suspicious-fastmail-address-in-display-name.eml')!;
    expect(fm.reasons).toContain('Your provider does not know the sender (not in your address book)');
    expect(fm.reasons.join(' ')).not.toMatch(/knows the sender/);
    expect(verdictOf('fm-rescue-fastmail-known-contact.eml')!.reasons).toContain('Your provider knows the sender ("Address dave.kim@initech-systems.com in From header is in addressbook")');
  });

  it('a provider\'s phishing verdict beats the user\'s trust in the sender', () => {
    const v = verdictOf('m365-suspicious-microsoft-phish-known-contact-dmarc-pass.eml', { trusted: ['fabrikam-partners.com'], blocked: [] })!;
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'trusted' });
  });
});

describe('trust and block', () => {
  it('a blocked sender or domain is never listed', () => {
    const blocked = junkVerdicts({ mailboxes: fixtureMailboxes(), overrides: { blocked: ['initech-systems.com', 'bob.lee@gmail.com'] } });
    expect(blocked.some((v) => v.from === 'dave.kim@initech-systems.com' || v.from === 'bob.lee@gmail.com')).toBe(false);
    expect(blocked.some((v) => v.from === 'anna@acme.com')).toBe(true);
  });
  it('an untrusted unknown sender is not listed; overrides given to junkVerdicts replace those of prebuilt contacts', () => {
    const mailboxes = fixtureMailboxes({ only: ['home-trusted-outlook-unknown-sender.eml'] });
    expect(junkVerdicts({ mailboxes })).toEqual([]);
    const contacts = buildContacts({ mailboxes });
    expect(junkVerdicts({ mailboxes, contacts, overrides: { trusted: ['mira@studio-sato.jp'] } })[0]).toMatchObject({ verdict: 'rescue', match: 'trusted' });
  });
});

describe('rules on hand-made records', () => {
  const base = fixtureMailboxes({ only: [] });
  const withJunk = (eml: string, account = 'work'): Mailbox[] =>
    base.map((mb) => (mb.account.name !== account ? mb : {
      ...mb,
      messages: [...mb.messages, recordFromEml(eml.replace(/\n/g, '\r\n') + '\r\n\r\nx', { account, folder: mb.folders.find((f) => f.role === 'junk')!.path, uid: 999 })],
    }));
  const one = (eml: string, account?: string) => junkVerdicts({ mailboxes: withJunk(eml, account) })[0];

  it('a pass in an A-R header the account\'s server did not write (learned from its other mail) does not count, and is not shown', () => {
    // The work account's inbox is stamped by mx.google.com; this one claims a pass from elsewhere.
    const v = one('Authentication-Results: mx.attacker.example; dmarc=pass header.from=brightwave.io\nFrom: Pat Morgan <pat.morgan@brightwave.io>\nTo: pat.morgan@brightwave.io\nSubject: s\nMessage-ID: <f1@x>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'own', auth: { dmarc: null } });
    expect(v.reasons).toContain('Its Authentication-Results header comes from mx.attacker.example, not the server that checks the rest of your mail (google.com): anyone can write a pass, so its pass does not count');
  });

  it('a failure counts wherever it is written, and the reason names the header\'s writer', () => {
    // Anna is a known contact of the work account (mx.google.com); the header is from elsewhere.
    const v = one('Authentication-Results: relay.partner-filter.example; dmarc=fail (p=reject) header.from=acme.com\nFrom: Anna Berg <anna@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: s\nMessage-ID: <f2@x>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'contact', auth: { dmarc: 'fail' } });
    expect(v.reasons[0]).toBe('The Authentication-Results header from relay.partner-filter.example says DMARC failed for acme.com: the mail may be forged');
    // Outlook's header names no server: its compauth=fail is read too.
    const o = one('Authentication-Results: spf=fail (sender IP is 192.0.2.7) smtp.mailfrom=acme.com; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=acme.com;compauth=fail reason=001\nFrom: Anna Berg <anna@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: s\nMessage-ID: <f3@x>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(o.verdict).toBe('suspicious');
    expect(o.reasons[0]).toBe('An Authentication-Results header without a server name says SPF failed for acme.com, it carries no DKIM signature, and acme.com gives no DMARC result: the mail may be forged');
  });

  it('a colleague at a known organisation without any authentication is suspicious, not rescued', () => {
    const v = one('From: New Person <new.person@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: hello\nMessage-ID: <np@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'organisation', organisation: 'acme.com' });
    expect(v.reasons[0]).toMatch(/^Nothing confirms it really comes from acme\.com/);
  });

  it('a known contact without authentication results is rescued, and the reasons say it was not verified', () => {
    const v = one('From: Anna Berg <anna@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: hi\nMessage-ID: <na@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000', 'fm');
    expect(v.verdict).toBe('rescue');
    expect(v.reasons.at(-1)).toMatch(/no authentication results/);
  });

  it('Reply-To elsewhere on an unverified known contact is suspicious (business e-mail compromise)', () => {
    const v = one('From: Anna Berg <anna@acme.com>\nReply-To: anna.berg.finance@gmail.com\nTo: pat@fastmail.com\nSubject: wire\nMessage-ID: <bec@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000', 'fm');
    expect(v.verdict).toBe('suspicious');
    expect(v.reasons[0]).toBe('Replies would go to anna.berg.finance@gmail.com, not to anna@acme.com, and nothing confirms this mail comes from acme.com');
  });

  it('Reply-To naming one of the recipients (a list) is no diversion', () => {
    const v = one('From: Anna Berg <anna@acme.com>\nReply-To: team@lists.example.org\nTo: team@lists.example.org\nSubject: minutes\nMessage-ID: <list1@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000', 'fm');
    expect(v.verdict).toBe('rescue');
  });

  it('the same display name on another address at the same authenticated organisation is that organisation\'s, not a spoof', () => {
    const v = one('Authentication-Results: mx.google.com; dkim=pass header.i=@acme.com; dmarc=pass header.from=acme.com\nFrom: Anna Berg <anna.berg@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: from my other address\nMessage-ID: <alias@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(v).toMatchObject({ verdict: 'rescue', match: 'organisation' });
  });

  it('a homoglyph display name (Cyrillic А) is still the contact\'s name', () => {
    const v = one('From: =?UTF-8?B?0JBubmEgQmVyZw==?= <payments@quick-pay.example>\nTo: pat.morgan@brightwave.io\nSubject: s\nMessage-ID: <hg@q>\nDate: Mon, 12 Oct 2026 10:00:00 +0000');
    expect(v).toMatchObject({ verdict: 'suspicious', match: 'display-name' });
  });

  it('a Microsoft verdict in mail to a Gmail account is not the provider\'s, and is not read', () => {
    // The work account's Spam (its ten fixtures) holds no X-Forefront-Antispam-Report of its
    // own: this one came with the mail (a tenant it passed through first).
    const eml = 'X-Forefront-Antispam-Report: CIP:192.0.2.1;SCL:9;SFV:SPM;CAT:PHSH;\nAuthentication-Results: mx.google.com; dkim=pass header.i=@acme.com; dmarc=pass header.from=acme.com\nFrom: Anna Berg <anna@acme.com>\nTo: pat.morgan@brightwave.io\nSubject: forwarded\nMessage-ID: <fw1@acme.com>\nDate: Mon, 12 Oct 2026 10:00:00 +0000';
    const record = recordFromEml(eml.replace(/\n/g, '\r\n') + '\r\n\r\nx', { account: 'work', folder: '[Gmail]/Spam', uid: 999 });
    const mailboxes = fixtureMailboxes().map((mb) => (mb.account.name === 'work' ? { ...mb, messages: [...mb.messages, record] } : mb));
    const v = junkVerdicts({ mailboxes }).find((e) => e.messageId === 'fw1@acme.com')!;
    expect(v.verdict).toBe('rescue');
    expect(v.reasons.join(' ')).not.toMatch(/Microsoft/);
    // With too little Junk to learn from (here: this one mail), the topmost header is read as it is.
    expect(one(eml).verdict).toBe('suspicious');
  });

  it('a school district is its own organisation: writing to lausd.k12.ca.us makes no other k12.ca.us district known', () => {
    // With a hand-kept subset of the Public Suffix List both were "ca.us", one organisation.
    const mailboxes = base.map((mb) => (mb.account.name !== 'fm' ? mb : {
      ...mb,
      messages: [
        ...mb.messages,
        recordFromEml('From: Pat <pat@fastmail.com>\r\nTo: Lee Teacher <lee.teacher@lausd.k12.ca.us>\r\nSubject: field trip\r\nMessage-ID: <trip@fastmail.com>\r\nDate: Mon, 5 Oct 2026 10:00:00 +0000\r\n\r\nx', { account: 'fm', folder: 'Sent', uid: 998 }),
        ...['sfusd', 'lausd'].map((district, i) => recordFromEml(`Authentication-Results: mx3.messagingengine.com; dkim=pass header.d=${district}.k12.ca.us; dmarc=pass header.from=${district}.k12.ca.us\r\nFrom: Sam Office <sam.office@${district}.k12.ca.us>\r\nTo: pat@fastmail.com\r\nSubject: invoice\r\nMessage-ID: <inv${i}@${district}>\r\nDate: Mon, 12 Oct 2026 10:00:00 +0000\r\n\r\nx`, { account: 'fm', folder: 'Spam', uid: 999 + i })),
      ],
    }));
    const verdicts = junkVerdicts({ mailboxes }).filter((v) => v.from.includes('k12.ca.us'));
    expect(verdicts.map((v) => [v.from, v.match, v.organisation])).toEqual([['sam.office@lausd.k12.ca.us', 'organisation', 'lausd.k12.ca.us']]);
  });

  it('mail from unknown senders is not listed, whatever its authentication says', () => {
    expect(one('Authentication-Results: mx.google.com; dmarc=fail header.from=x.example\nFrom: X <x@x.example>\nTo: pat.morgan@brightwave.io\nSubject: s\nMessage-ID: <u@x>\nDate: Mon, 12 Oct 2026 10:00:00 +0000')).toBeUndefined();
    expect(one('From: <>\nSubject: no from\nMessage-ID: <nf@x>')).toBeUndefined();
  });
});

describe('assessAuth', () => {
  const assess = (ar: string, fromDomain = 'acme.com') => assessAuth({ auth: readAuthResults({ authenticationResults: ar }), fromDomain });
  it.each([
    ['mx.google.com; dmarc=fail header.from=acme.com', true, false],
    ['mx.google.com; spf=fail smtp.mailfrom=acme.com; dkim=none', true, false],
    ['mx.google.com; spf=fail smtp.mailfrom=acme.com', true, false],
    ['mx.google.com; spf=softfail smtp.mailfrom=acme.com; dkim=fail header.d=acme.com', true, false],
    ['mx.google.com; spf=softfail smtp.mailfrom=acme.com', false, false], // a soft fail alone is not enough
    ['mx.google.com; spf=fail smtp.mailfrom=bounces.other.example', false, false], // SPF of another envelope domain
    ['mx.google.com; spf=fail smtp.mailfrom=acme.com; dkim=pass header.d=acme.com', false, true], // forwarded, still signed
    ['mx.google.com; spf=pass smtp.mailfrom=bounces.mailer.example; dkim=pass header.d=mailer.example', false, false], // not aligned
    ['mx.google.com; spf=pass smtp.mailfrom=bounce.acme.com', false, true], // relaxed alignment
    ['mx.google.com; dmarc=pass header.from=other.example', true, false], // results for another From: it was changed
    ['spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=hotmail.com;dmarc=pass action=none header.from=hotmail.com;compauth=pass reason=100', true, false], // compauth speaks of hotmail.com
    ['spf=pass smtp.mailfrom=x.example; dkim=none; dmarc=none action=none header.from=acme.com;compauth=fail reason=001', true, false],
    ['spf=pass smtp.mailfrom=acme.com; dmarc=bestguesspass action=none header.from=acme.com;compauth=pass reason=109', false, true],
  ])('%s → fails %s, passes %s', (ar, fails, passes) => {
    expect(assess(ar)).toMatchObject({ fails, passes });
  });
});
