// What the user's own mail provider said about a message: its spam and phishing verdict headers.
//
//   Microsoft 365 (Exchange Online Protection), learn.microsoft.com "Anti-spam message headers":
//     X-Forefront-Antispam-Report: ...;SCL:5;SFV:SPM;...;CAT:PHSH;...;SFTY:9.20;...
//       CAT  the policy that applied: PHSH phishing, HPHSH high-confidence phishing, SPOOF
//            spoofing, UIMP / DIMP / GIMP impersonation of a user / a domain / a sender mailbox
//            intelligence knows, MALW malware; SPM / HSPM / BULK / NONE are no danger signs.
//       SFTY safety tip: 9.19 domain impersonation, 9.20 user impersonation.
//       SCL  spam confidence: -1 filtering skipped, 0-1 not spam, 5-6 spam, 7-9 high-confidence spam.
//     X-Microsoft-Antispam: BCL:7;...   bulk complaint level 0-9.
//   SpamAssassin (spamc/spamass-milter "tests=A,B", amavis "tests=[A=1.2, B=0.1]"):
//     X-Spam-Status: Yes, score=9.1 required=5.0 tests=...,URI_PHISH,... autolearn=no
//     X-Spam-Score: 9.1
//   Fastmail: X-Spam-known-sender: yes ("Address x in From header is in addressbook"); in_addressbook
//
// Anybody can write these headers into a mail before sending it. Only the provider's own count:
//   - `learnVerdictWriters` learns which of them the provider writes from the account's Junk
//     mail (a provider stamps every incoming mail; a sender's forged header is on a few at most);
//   - of a learned header only the topmost occurrence is read: the provider prepends its own
//     above whatever the mail arrived with.
// A phishing, spoofing, impersonation or malware verdict makes a Junk mail never "rescue"; the
// rest (scores, bulk levels, known sender) is said in the reasons and changes nothing.
import type { JunkVerdictHeader, MessageRecord } from '../model.js';

export interface ProviderVerdict {
  /** The provider classed it as phishing, spoofing, impersonation or malware. */
  dangerous: boolean;
  /** What the provider said, in plain words: the danger signs first, then the rest. */
  findings: string[];
  notes: string[];
}

/** Header values are capped at this when read (Microsoft's report runs to ~1,500 characters). */
const MAX_VALUE = 8000;
/** Share of Junk mail that must carry a header for it to be the provider's (and at least 3 mails). */
const LEARN_SHARE = 0.5;
const LEARN_SAMPLE = 2000;
const VERDICT_HEADERS: readonly JunkVerdictHeader[] = ['x-forefront-antispam-report', 'x-microsoft-antispam', 'x-spam-status', 'x-spam-score', 'x-spam-known-sender'];

/**
 * The verdict headers the account's provider writes, learned from its Junk mail (`junk`): those
 * on at least half of it. Null when there are fewer than 3 Junk mails to tell from; then each
 * header's topmost occurrence is read as it is.
 */
export function learnVerdictWriters({ junk }: { junk: readonly MessageRecord[] }): Set<JunkVerdictHeader> | null {
  const step = Math.max(1, Math.floor(junk.length / LEARN_SAMPLE));
  const counts = new Map<JunkVerdictHeader, number>();
  let total = 0;
  for (let i = 0; i < junk.length; i += step) {
    total++;
    for (const h of VERDICT_HEADERS) if (junk[i].headers[h] !== undefined) counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  if (total < 3) return null;
  const set = new Set<JunkVerdictHeader>();
  for (const [h, n] of counts) if (n >= 3 && n >= total * LEARN_SHARE) set.add(h);
  return set;
}

/** The topmost occurrence of a kept header (values are joined by '\n', topmost first). */
function topmost(value: string | undefined): string | null {
  if (value === undefined) return null;
  const nl = value.indexOf('\n');
  const v = (nl < 0 ? value : value.slice(0, nl)).slice(0, MAX_VALUE).trim();
  return v || null;
}

/** "KEY:VALUE;KEY:VALUE;..." → upper-case key → value. */
function fields(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon).trim().toUpperCase();
    if (!out.has(key)) out.set(key, part.slice(colon + 1).trim());
  }
  return out;
}

const MICROSOFT_DANGER: Readonly<Record<string, string>> = {
  PHSH: 'Microsoft\'s filter classed it as phishing',
  HPHSH: 'Microsoft\'s filter classed it as phishing, with high confidence',
  HPHISH: 'Microsoft\'s filter classed it as phishing, with high confidence',
  SPOOF: 'Microsoft\'s filter found the sender\'s address forged',
  UIMP: 'Microsoft\'s filter found it impersonates a person',
  DIMP: 'Microsoft\'s filter found it impersonates a domain',
  GIMP: 'Microsoft\'s filter found it impersonates someone you write to',
  MALW: 'Microsoft\'s filter found malware in it',
};
const MICROSOFT_SAFETY_TIP: Readonly<Record<string, string>> = {
  '9.19': 'Microsoft\'s filter found it impersonates a domain',
  '9.20': 'Microsoft\'s filter found it impersonates a person',
};

function readMicrosoft(report: string | null, antispam: string | null, out: ProviderVerdict): void {
  if (report) {
    const f = fields(report);
    const cat = (f.get('CAT') ?? '').toUpperCase();
    const danger = MICROSOFT_DANGER[cat];
    if (danger) {
      out.dangerous = true;
      out.findings.push(`${danger} (CAT:${cat})`);
    }
    const tip = MICROSOFT_SAFETY_TIP[f.get('SFTY') ?? ''];
    if (tip && tip !== danger) {
      out.dangerous = true;
      out.findings.push(`${tip} (SFTY ${f.get('SFTY')})`);
    }
    const scl = Number.parseInt(f.get('SCL') ?? '', 10);
    if (scl === -1) out.notes.push('Microsoft skipped its spam filter for it (SCL -1: an allow list or a mail flow rule)');
    else if (scl >= 7 && scl <= 9) out.notes.push(`Microsoft's spam filter rated it high-confidence spam (SCL ${scl} of 9)`);
    else if (scl >= 5 && scl <= 6) out.notes.push(`Microsoft's spam filter rated it spam (SCL ${scl} of 9)`);
    else if (scl >= 0 && scl <= 4) out.notes.push(`Microsoft's spam filter did not rate it spam (SCL ${scl} of 9)`);
  }
  if (antispam) {
    const bcl = Number.parseInt(fields(antispam).get('BCL') ?? '', 10);
    if (bcl >= 4 && bcl <= 9) out.notes.push(`Microsoft rates it bulk mail (BCL ${bcl} of 9)`);
  }
}

/** SpamAssassin rule names that mean phishing or a forged sender. */
function spamAssassinDanger(test: string): string | null {
  if (test.includes('PHISH')) return 'classed it as phishing';
  if (test === 'DMARC_REJECT' || test === 'DMARC_QUAR') return 'found it fails the DMARC policy of its sender\'s domain';
  if (test.includes('SPOOF')) return 'found signs of a forged sender or link';
  return null;
}

function readSpamAssassin(status: string | null, score: string | null, out: ProviderVerdict): void {
  let scored = false;
  if (status) {
    const flagged = /^\s*yes\b/i.test(status);
    const s = /\bscore=(-?\d{1,4}(?:\.\d{1,3})?)/i.exec(status)?.[1];
    const required = /\b(?:required|tag2)=(-?\d{1,4}(?:\.\d{1,3})?)/i.exec(status)?.[1];
    const at = status.search(/\btests=/i);
    const tests = at < 0 ? [] : (status.slice(at + 6).split(/\s(?:autolearn|version|tagged_above|shortcircuit)=/i)[0].match(/[A-Z][A-Z0-9_]{1,60}/g) ?? []).slice(0, 200);
    const seen = new Set<string>();
    for (const t of tests) {
      const danger = spamAssassinDanger(t);
      if (!danger || seen.has(danger)) continue;
      seen.add(danger);
      out.dangerous = true;
      out.findings.push(`Your provider's spam filter (SpamAssassin) ${danger} (${t})`);
    }
    if (s !== undefined) {
      scored = true;
      out.notes.push(`Your provider's spam filter (SpamAssassin) ${flagged ? 'marked it spam' : 'did not mark it spam'}: score ${s}${required !== undefined ? `, spam from ${required}` : ''}`);
    }
  }
  if (!scored && score) {
    const s = /^\s*\(?(-?\d{1,4}(?:\.\d{1,3})?)/.exec(score)?.[1];
    if (s !== undefined) out.notes.push(`Your provider's spam filter scored it ${s} (X-Spam-Score)`);
  }
}

function readKnownSender(value: string | null, out: ProviderVerdict): void {
  if (!value) return;
  if (/^\s*yes\b/i.test(value)) {
    const said = /\("([^"]{1,200})"\)/.exec(value)?.[1];
    out.notes.push(`Your provider knows the sender${said ? ` ("${said}")` : ''}`);
  } else if (/^\s*no\b/i.test(value)) {
    out.notes.push('Your provider does not know the sender (not in your address book)');
  }
}

/**
 * What the provider's verdict headers on `record` say. `writers`: the headers the provider
 * writes (`learnVerdictWriters`); null reads every header's topmost occurrence.
 */
export function readProviderVerdict({ record, writers }: { record: MessageRecord; writers: ReadonlySet<JunkVerdictHeader> | null }): ProviderVerdict {
  const out: ProviderVerdict = { dangerous: false, findings: [], notes: [] };
  const read = (h: JunkVerdictHeader) => (writers && !writers.has(h) ? null : topmost(record.headers[h]));
  readMicrosoft(read('x-forefront-antispam-report'), read('x-microsoft-antispam'), out);
  readSpamAssassin(read('x-spam-status'), read('x-spam-score'), out);
  readKnownSender(read('x-spam-known-sender'), out);
  return out;
}
