// Evaluation: 400 real phishing / spam mails (02-phishing-pot-modern-spam, received by Outlook.com,
// most with spf/dkim/dmarc=pass for the attackers' own domains) put in Junk. None may come out
// 'rescue', even when the user has a contact with the same display name, or one at a look-alike
// of the phish's domain. The honeypot's anonymised recipient (phishing@pot) is the user here, so
// the corpus's own-address spoofs are real ones.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Address, MessageRecord } from '../../main/core/model.js';
import { registrableDomain, publicSuffix } from '../../main/core/mail/lookalike.js';
import { normaliseName } from '../../main/core/contacts/known.js';
import { isFreemail } from '../../main/core/contacts/freemail.js';
import { junkVerdicts, type JunkVerdict } from '../../main/core/triage/junk.js';
import { corpusDir, countBy, filesUnder, mailbox, readAsJunk, sentTo, verdictCounts } from './junk-corpus.js';

const dir = corpusDir('02-phishing-pot-modern-spam');
const OWN = ['phishing@pot', 'phish.me.again@gmail.com'];

/** A domain one edit away from `domain` (or the same name under another ending), or null. */
function lookalikeVariant(domain: string): string | null {
  const reg = registrableDomain(domain);
  const suffix = publicSuffix(reg);
  const label = reg.slice(0, reg.length - suffix.length - 1);
  if (label.length >= 5) {
    const i = Math.floor(label.length / 2);
    const swap = label[i] === 'a' ? 'e' : 'a';
    return `${label.slice(0, i)}${swap}${label.slice(i + 1)}.${suffix}`;
  }
  if (label.length === 4) return `${label}.${suffix === 'com' ? 'net' : 'com'}`;
  return null;
}

describe.skipIf(!dir)('junk eval: 02-phishing-pot-modern-spam', () => {
  const junk: MessageRecord[] = dir ? readAsJunk(filesUnder(path.join(dir, 'email')).filter((f) => f.endsWith('.eml'))) : [];
  const report = (label: string, entries: JunkVerdict[]) => {
    console.log(`[junk eval] phishing-pot ${label}: ${verdictCounts(entries, junk.length)}; matches ${JSON.stringify(countBy(entries, (e) => e.match))}`);
  };

  it('reads all 400 mails', () => {
    expect(junk.length).toBe(400);
  });

  it('baseline (contacts unrelated to the phish): nothing is rescued', () => {
    const messages = [...junk, sentTo(OWN[0], [{ name: 'Anna Berg', address: 'anna@acme.com' }], 1)];
    const entries = junkVerdicts({ mailboxes: [mailbox(OWN, messages)] });
    report('baseline', entries);
    expect(entries.filter((e) => e.verdict === 'rescue')).toEqual([]);
  });

  it('display-name scenario: a known contact has the display name of every phish; none is rescued', () => {
    const contacts: Address[] = [];
    let usable = 0;
    junk.forEach((r, i) => {
      const name = r.from[0]?.name ?? '';
      if (normaliseName(name)) usable++;
      if (name) contacts.push({ name, address: `contact${i}@partner${i}.example` });
    });
    const messages = [...junk, ...contacts.map((c, i) => sentTo(OWN[0], [c], i))];
    const entries = junkVerdicts({ mailboxes: [mailbox(OWN, messages)] });
    report(`display-name (${usable} phish with a usable name)`, entries);
    const rescued = entries.filter((e) => e.verdict === 'rescue');
    if (rescued.length) console.log(rescued.map((e) => `${e.from}: ${e.reasons.join(' | ')}`).join('\n'));
    expect(rescued).toEqual([]);
    // Every phish whose name can identify someone is flagged.
    expect(entries.filter((e) => e.match === 'display-name').length).toBeGreaterThanOrEqual(usable - entries.filter((e) => e.match === 'own').length);
  });

  it('look-alike scenario: a known contact at a look-alike of every phish\'s domain; none is rescued', () => {
    const contacts: Address[] = [];
    let variants = 0;
    let freemail = 0;
    let noDomain = 0;
    const imitating = new Set<string>();
    junk.forEach((r, i) => {
      const d = r.from[0]?.address.split('@')[1];
      if (!d) return;
      // Anonymised or broken From lines ("x@correios", "phishing@pot"): no real domain to imitate.
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) {
        noDomain++;
        return;
      }
      if (isFreemail(d)) freemail++;
      const v = lookalikeVariant(d);
      if (!v) return;
      variants++;
      if (!isFreemail(d)) imitating.add(r._id);
      contacts.push({ name: `Partner ${i}`, address: `contact${i}@${v}` });
    });
    const messages = [...junk, ...contacts.map((c, i) => sentTo(OWN[0], [c], i))];
    const entries = junkVerdicts({ mailboxes: [mailbox(OWN, messages)] });
    report(`look-alike (${variants} contacts at a variant, ${freemail} phish from freemail, ${noDomain} without a real domain)`, entries);
    expect(entries.filter((e) => e.verdict === 'rescue')).toEqual([]);
    // A freemail sender (gmail.com) is never a look-alike; every other imitated domain is caught.
    const caught = entries.filter((e) => imitating.has(e.id) && e.verdict === 'suspicious').length;
    console.log(`[junk eval] phishing-pot look-alike: ${caught} of ${imitating.size} non-freemail phish domains caught as imitations`);
    expect(caught).toBe(imitating.size);
  });

  it('reports the authentication results the receiver wrote', () => {
    const all = junkVerdicts({ mailboxes: [mailbox(OWN, [...junk, ...junk.map((r, i) => sentTo(OWN[0], [{ name: r.from[0]?.name || 'x', address: `c${i}@p${i}.example` }], i))])] });
    const dmarc = countBy(all, (e) => String(e.auth.dmarc));
    console.log(`[junk eval] phishing-pot listed entries by dmarc: ${JSON.stringify(dmarc)}`);
    expect(all.every((e) => e.verdict === 'suspicious')).toBe(true);
  });
});
