import { describe, expect, it } from 'vitest';
import { learnVerdictWriters, readProviderVerdict } from '../../../main/core/mail/provider-verdict.js';
import { FETCHED_HEADERS, FETCHED_JUNK_HEADERS, fetchedHeadersFor, recordFromEml } from '../../../main/core/mail/record.js';
import { JUNK_VERDICT_HEADERS } from '../../../main/core/model.js';

const rec = (...headers: string[]) => recordFromEml([...headers, 'From: a@b.example', 'Subject: s', '', 'x'].join('\r\n'), { folder: 'Junk' });
const verdict = (...headers: string[]) => readProviderVerdict({ record: rec(...headers), writers: null });

describe('readProviderVerdict: Microsoft 365', () => {
  it.each<[string, boolean, string[]]>([
    ['CIP:1.2.3.4;CTRY:US;LANG:en;SCL:9;SRV:;IPV:NLI;SFV:SPM;H:x;PTR:;CAT:PHSH;SFS:(1)(2);DIR:INB;', true, ['Microsoft\'s filter classed it as phishing (CAT:PHSH)']],
    ['SCL:9;CAT:HPHSH;', true, ['Microsoft\'s filter classed it as phishing, with high confidence (CAT:HPHSH)']],
    ['SCL:5;CAT:SPOOF;SFTY:9.20;', true, ['Microsoft\'s filter found the sender\'s address forged (CAT:SPOOF)', 'Microsoft\'s filter found it impersonates a person (SFTY 9.20)']],
    ['SCL:5;CAT:NONE;SFTY:9.19;', true, ['Microsoft\'s filter found it impersonates a domain (SFTY 9.19)']],
    ['SCL:5;CAT:DIMP;SFTY:9.19;', true, ['Microsoft\'s filter found it impersonates a domain (CAT:DIMP)']],
    ['SCL:9;CAT:MALW;', true, ['Microsoft\'s filter found malware in it (CAT:MALW)']],
    ['SCL:5;SFV:SPM;CAT:SPM;SFTY:9.25;', false, []], // spam and a first-contact tip: no danger
    ['SCL:-1;SFV:SKN;CAT:NONE;', false, []],
  ])('%s', (report, dangerous, findings) => {
    expect(verdict(`X-Forefront-Antispam-Report: ${report}`)).toMatchObject({ dangerous, findings });
  });

  it('says the spam confidence and bulk level in words', () => {
    expect(verdict('X-Forefront-Antispam-Report: SCL:-1;SFV:SKN;CAT:NONE;', 'X-Microsoft-Antispam: BCL:0;').notes).toEqual(['Microsoft skipped its spam filter for it (SCL -1: an allow list or a mail flow rule)']);
    expect(verdict('X-Forefront-Antispam-Report: SCL:1;CAT:NONE;').notes).toEqual(['Microsoft\'s spam filter did not rate it spam (SCL 1 of 9)']);
    expect(verdict('X-Forefront-Antispam-Report: SCL:6;CAT:SPM;', 'X-Microsoft-Antispam: BCL:8;ARA:1444111002|1720799024;').notes).toEqual([
      'Microsoft\'s spam filter rated it spam (SCL 6 of 9)',
      'Microsoft rates it bulk mail (BCL 8 of 9)',
    ]);
  });

  it('reads the topmost header only: Microsoft prepends its own above what the mail came with', () => {
    const v = verdict('X-Forefront-Antispam-Report: SCL:1;CAT:NONE;', 'X-Forefront-Antispam-Report: SCL:9;CAT:PHSH;');
    expect(v.dangerous).toBe(false);
    expect(verdict('X-Forefront-Antispam-Report: SCL:9;CAT:PHSH;', 'X-Forefront-Antispam-Report: SCL:-1;CAT:NONE;SFV:SKN;').dangerous).toBe(true);
  });
});

describe('readProviderVerdict: SpamAssassin and Fastmail', () => {
  it.each<[string, boolean, string[], string[]]>([
    ['Yes, score=12.4 required=5.0 tests=DKIM_SIGNED,HTML_MESSAGE,URI_PHISH autolearn=no version=3.4.6', true, ['Your provider\'s spam filter (SpamAssassin) classed it as phishing (URI_PHISH)'], ['Your provider\'s spam filter (SpamAssassin) marked it spam: score 12.4, spam from 5.0']],
    // amavis writes the tests with their scores in brackets
    ['Yes, score=8.31 tag=2 tag2=6.31 kill=6.31 tests=[DMARC_REJECT=3, SPF_FAIL=0.9] autolearn=no autolearn_force=no', true, ['Your provider\'s spam filter (SpamAssassin) found it fails the DMARC policy of its sender\'s domain (DMARC_REJECT)'], ['Your provider\'s spam filter (SpamAssassin) marked it spam: score 8.31, spam from 6.31']],
    ['No, score=-0.9 required=5.0 tests=BAYES_00,SPF_PASS autolearn=ham version=4.0.0', false, [], ['Your provider\'s spam filter (SpamAssassin) did not mark it spam: score -0.9, spam from 5.0']],
    // lower case test names and the word "phishing" elsewhere are not a rule
    ['No, score=1.0 required=5.0 tests=none autolearn=no phishing', false, [], ['Your provider\'s spam filter (SpamAssassin) did not mark it spam: score 1.0, spam from 5.0']],
  ])('%s', (status, dangerous, findings, notes) => {
    expect(verdict(`X-Spam-Status: ${status}`)).toMatchObject({ dangerous, findings, notes });
  });

  it('X-Spam-Score speaks only when X-Spam-Status gives no score; X-Spam-known-sender (Fastmail) is a note', () => {
    expect(verdict('X-Spam-Score: 6.2').notes).toEqual(['Your provider\'s spam filter scored it 6.2 (X-Spam-Score)']);
    expect(verdict('X-Spam-Status: Yes, score=6.2 required=5.0 tests=X', 'X-Spam-Score: 62').notes).toEqual(['Your provider\'s spam filter (SpamAssassin) marked it spam: score 6.2, spam from 5.0']);
    expect(verdict('X-Spam-known-sender: yes ("Address a@b.example in From header is in addressbook"); in_addressbook').notes).toEqual(['Your provider knows the sender ("Address a@b.example in From header is in addressbook")']);
    expect(verdict('X-Spam-known-sender: no', 'X-Spam-known-sender: yes ("forged")').notes).toEqual(['Your provider does not know the sender (not in your address book)']);
  });

  it('is linear on hostile values: 100 KB header lines, no crash on garbage', () => {
    const long = 'A'.repeat(100_000);
    const t = performance.now();
    for (const h of [`X-Spam-Status: Yes, score=${'9'.repeat(50_000)} tests=${'PHISH_'.repeat(20_000)}`, `X-Forefront-Antispam-Report: ${';:'.repeat(50_000)}`, `X-Spam-Score: ${long}`, `X-Spam-known-sender: yes ("${long}`, 'X-Microsoft-Antispam: BCL:;;;']) verdict(h);
    expect(performance.now() - t).toBeLessThan(2000); // a few ms idle; room for a loaded machine
    expect(verdict('X-Forefront-Antispam-Report: garbage', 'X-Spam-Status: ???')).toEqual({ dangerous: false, findings: [], notes: [] });
  });
});

describe('learnVerdictWriters', () => {
  const junk = (n: number, header: string) => Array.from({ length: n }, () => rec(header));
  it('learns the headers on at least half of the Junk mail (and 3 mails)', () => {
    const learned = learnVerdictWriters({ junk: [...junk(6, 'X-Forefront-Antispam-Report: SCL:5;CAT:SPM;'), ...junk(2, 'X-Spam-Status: No, score=0')] });
    expect(learned).toEqual(new Set(['x-forefront-antispam-report']));
  });
  it('a header a few spammers forge is not the provider\'s; too little Junk gives null', () => {
    expect(learnVerdictWriters({ junk: [...junk(2, 'X-Spam-Status: No, score=-5'), ...junk(8, 'X-Other: 1')] })).toEqual(new Set());
    expect(learnVerdictWriters({ junk: junk(2, 'X-Spam-Status: No') })).toBeNull();
  });
  it('a header the provider does not write is not read', () => {
    const record = rec('X-Forefront-Antispam-Report: SCL:9;CAT:PHSH;');
    expect(readProviderVerdict({ record, writers: new Set(['x-spam-status']) }).dangerous).toBe(false);
    expect(readProviderVerdict({ record, writers: new Set(['x-forefront-antispam-report']) }).dangerous).toBe(true);
  });
});

describe('which headers sync fetches', () => {
  it('fetches the providers\' verdicts in Junk only, and keeps them on the record', () => {
    for (const h of JUNK_VERDICT_HEADERS) {
      expect(FETCHED_HEADERS).not.toContain(h);
      expect(FETCHED_JUNK_HEADERS).toContain(h);
    }
    expect(fetchedHeadersFor('junk')).toBe(FETCHED_JUNK_HEADERS);
    expect(fetchedHeadersFor('inbox')).toBe(FETCHED_HEADERS);
    expect(FETCHED_JUNK_HEADERS.length).toBe(FETCHED_HEADERS.length + JUNK_VERDICT_HEADERS.length);
    expect(rec('X-Spam-Status: Yes', 'X-Spam-Status: No').headers['x-spam-status']).toBe('Yes\nNo');
  });
});
