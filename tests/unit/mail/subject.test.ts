import { describe, expect, it } from 'vitest';
import { hasReplyPrefix, normaliseSubject, subjectKey } from '../../../main/core/mail/subject.js';

describe('normaliseSubject', () => {
  it.each([
    ['Q3 budget', 'q3 budget'],
    ['Re: Q3 budget', 'q3 budget'],
    ['RE: Re: AW: Q3 budget', 'q3 budget'],
    ['AW: WG: Angebot', 'angebot'],
    ['SV: VS: Odp: YNT: RV: TR: Antw: Fw: Fwd: Plan', 'plan'],
    ['Réf. : Contrat', 'contrat'],
    ['Réf : Contrat', 'contrat'],
    ['R: Preventivo', 'preventivo'],
    ['回复：会议纪要', '会议纪要'],
    ['答复: 会议纪要', '会议纪要'],
    ['ΑΠ: Προσφορά', 'προσφορά'],
    ['Re[2]: Budget', 'budget'],
    ['Re^3: Budget', 'budget'],
    ['AW(2): Budget', 'budget'],
    ['[dev] Re: [dev] Release schedule', 'release schedule'],
    ['Re: [PATCH 2/3] fix it', 'fix it'],
    ['Automatic reply: Q3 budget', 'q3 budget'],
    ['Abwesenheitsnotiz: AW: Angebot', 'angebot'],
    ['Undeliverable: Invoice 2025-117', 'invoice 2025-117'],
    ['Read: Q3 budget', 'q3 budget'],
    ['Lu : Q3 budget', 'q3 budget'],
    ['Accepted: Project sync', 'project sync'],
    ['Declined: Project sync', 'project sync'],
    ['Tentative: Project sync', 'project sync'],
    ['Vendor contract (fwd)', 'vendor contract'],
    ['  Re:   Spaces    everywhere  ', 'spaces everywhere'],
    ['Reply needed', 'reply needed'],
    ['Fwdx: not a prefix', 'fwdx: not a prefix'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseSubject(input)).toBe(expected);
  });

  it('survives thousands of nested prefixes and a megabyte subject', () => {
    const hostile = 'Re: '.repeat(50_000) + 'x';
    const t = performance.now();
    expect(typeof normaliseSubject(hostile)).toBe('string');
    expect(performance.now() - t).toBeLessThan(200);
    expect(normaliseSubject('Re: '.repeat(10) + 'Budget')).toBe('budget');
  });
});

describe('subjectKey', () => {
  it('says whether a reply, forward or automatic prefix was removed (a list tag alone is not one)', () => {
    expect(subjectKey('RE: Q3 budget')).toEqual({ key: 'q3 budget', prefixed: true });
    expect(subjectKey('Q3 budget')).toEqual({ key: 'q3 budget', prefixed: false });
    expect(subjectKey('[dev] Release schedule')).toEqual({ key: 'release schedule', prefixed: false });
    expect(subjectKey('Accepted: Project sync').prefixed).toBe(true);
    expect(subjectKey('Meeting (fwd)').prefixed).toBe(true);
  });

  it('hasReplyPrefix', () => {
    expect(hasReplyPrefix('Re: x')).toBe(true);
    expect(hasReplyPrefix('[list] AW: x')).toBe(true);
    expect(hasReplyPrefix('Regarding x')).toBe(false);
  });
});
