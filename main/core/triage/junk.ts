// Junk rescue verdicts (ARCHITECTURE.md, "Rescue"): mail in a Junk folder that comes from a known
// contact is offered back ('rescue'); mail that only looks like it does is flagged ('suspicious');
// everything else in Junk is left alone and not listed. Pure: the store's messages in, entries out.
import type { JunkEntry, JunkMatch } from '../api.js';
import type { MessageRecord } from '../model.js';
import { authResultsOf, learnReceivers, learnVerdictWriters, readProviderVerdict, type AuthResults, lookalikeIndex, registrableDomain, type LookalikeIndex } from '../mail/index.js';
import type { JunkVerdictHeader } from '../model.js';
import {
  answersUser,
  buildContacts,
  domainOf,
  folderKinds,
  isInJunk,
  isOwnAddress,
  normaliseName,
  trustOf,
  type KnownContact,
  type KnownContacts,
  type TrustOverrides,
} from '../contacts/index.js';
import { isFreemail } from '../contacts/index.js';
import type { Mailbox } from '../store/index.js';

/** Characters around an address written into a display name. */
const NAME_SEPARATORS = /[\s<>"'(),;:]+/;

/**
 * The first address written into a display name ("anna@acme.com" <x@evil.net>): what
 * /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[a-z]{2,}/i found, by a scan of each word: the word up to the
 * end of the letters after its last ".xx", when an '@' stands at least two characters before
 * that dot. The pattern backtracked cubically on a word like "a@a@a@…".
 */
export function addressInName(name: string): string | null {
  for (const word of name.split(NAME_SEPARATORS)) {
    let letters = 0;
    for (let i = word.length - 1; i >= 2; i--) {
      const c = word.charCodeAt(i) | 0x20;
      if (c >= 0x61 && c <= 0x7a && word.charCodeAt(i) < 0x80) {
        letters++;
        continue;
      }
      if (word[i] === '.' && letters >= 2) {
        if (word.lastIndexOf('@', i - 2) >= 1) return word.slice(0, i + 1 + letters);
        break; // a dot further left has no more room for "x@y" before it
      }
      letters = 0;
    }
  }
  return null;
}

/** A Junk verdict: the API's entry (one type for the concept). */
export type JunkVerdict = JunkEntry;

/** What the trusted authentication headers say about the From domain. */
export interface AuthAssessment {
  /** Authentication says the From domain is forged. */
  fails: boolean;
  /** Authentication confirms the From domain (DMARC, aligned DKIM or SPF, compauth). */
  passes: boolean;
  /** Plain-words sentences, failure first. */
  reasons: string[];
}

const day = (iso: string) => iso.slice(0, 10);
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** Who wrote an untrusted header, as the user sees it in the mail. */
function writerOf(auth: AuthResults): string {
  return auth.ignoredAuthservId ? `The Authentication-Results header from ${auth.ignoredAuthservId}` : 'An Authentication-Results header without a server name';
}

/** The receivers the account learned, for a sentence ('' is Microsoft's id-less header). */
function learnedNames(auth: AuthResults): string {
  const names = (auth.learnedReceivers ?? []).map((k) => k || 'Microsoft, which writes no server name');
  return names.join(', ') || 'none';
}

const PASSING = new Set(['pass', 'bestguesspass', 'softpass']);

/**
 * Judge SPF/DKIM/DMARC results against the From domain. Rules (ARCHITECTURE.md, "Rescue"):
 * dmarc=fail → fails; with no DMARC result, SPF hard fail and no passing DKIM signature (or SPF
 * soft fail and a broken DKIM signature) → fails, when SPF was checked for the From's domain; Microsoft's compauth=fail without DMARC pass →
 * fails; DMARC's header.from naming another domain than the From → fails (the From was changed
 * after the receiver checked it). Alignment is relaxed (RFC 7489 §3.1): same registrable domain.
 * A header the account's receiver did not write (source 'untrusted') fails by the same rules,
 * and the reason names who wrote it; it never passes.
 */
export function assessAuth({ auth, fromDomain }: { auth: AuthResults; fromDomain: string }): AuthAssessment {
  const fromReg = registrableDomain(fromDomain);
  const aligned = (d: string | null) => !!d && registrableDomain(d) === fromReg;
  const out: AuthAssessment = { fails: false, passes: false, reasons: [] };
  if (auth.source === 'none') return out;
  const untrusted = auth.source === 'untrusted';
  // A finding in words; from an untrusted header, with the name the user sees in it.
  const forged = (finding: string) =>
    untrusted ? `${writerOf(auth)} says ${finding}: the mail may be forged` : `${finding}: the mail may be forged`;
  const dkimPass = auth.dkim.filter((d) => d.result === 'pass');
  const dkimPassAligned = dkimPass.some((d) => aligned(d.domain));
  const dkimBroken = auth.dkim.some((d) => d.result === 'fail' || d.result === 'permerror');
  const dmarcDomain = auth.dmarcFrom ?? fromDomain;
  const noDmarc = auth.dmarc === null || auth.dmarc === 'none' || auth.dmarc === 'temperror' || auth.dmarc === 'permerror';

  if (auth.dmarcFrom && !aligned(auth.dmarcFrom)) {
    // The receiver evaluated a different From than the one in the mail: it was changed after
    // authentication (or carries several From addresses). None of the results is about it.
    // From a server that is not the account's own, it says nothing about this mail.
    if (!untrusted) {
      out.fails = true;
      out.reasons.push(`Its authentication results are for ${auth.dmarcFrom}, not for ${fromDomain}: the sender may have been changed`);
    }
  } else if (auth.dmarc === 'fail') {
    out.fails = true;
    out.reasons.push(forged(`DMARC failed for ${dmarcDomain}`));
  } else if (
    noDmarc &&
    !dkimPass.length &&
    (auth.spf === 'fail' || (auth.spf === 'softfail' && dkimBroken)) &&
    // SPF checks the envelope sender; its failure speaks of the From only when they align.
    (!auth.spfDomain || aligned(auth.spfDomain))
  ) {
    out.fails = true;
    const spfWord = auth.spf === 'fail' ? 'SPF failed' : 'SPF soft-failed';
    const dkimWord = dkimBroken ? 'its DKIM signature is broken' : 'it carries no DKIM signature';
    out.reasons.push(forged(`${spfWord}${auth.spfDomain ? ` for ${auth.spfDomain}` : ''}, ${dkimWord}, and ${fromDomain} gives no DMARC result`));
  } else if (auth.compauth === 'fail' && auth.dmarc !== 'pass') {
    out.fails = true;
    out.reasons.push(forged(`Microsoft's sender check (compauth) failed for ${fromDomain}`));
  }
  if (out.fails) return out;

  if (untrusted) {
    const claimsPass = [auth.spf, auth.dmarc, auth.compauth, ...auth.dkim.map((d) => d.result)].some((r) => r !== null && PASSING.has(r));
    const who = auth.ignoredAuthservId ? `comes from ${auth.ignoredAuthservId}` : 'names no server';
    out.reasons.push(
      claimsPass
        ? `Its Authentication-Results header ${who}, not the server that checks the rest of your mail (${learnedNames(auth)}): anyone can write a pass, so its pass does not count`
        : `Its Authentication-Results header ${who}, not the server that checks the rest of your mail (${learnedNames(auth)}); it shows no failure, and nothing else confirms the sender`,
    );
    return out;
  }
  if (auth.dmarc === 'pass' && (!auth.dmarcFrom || aligned(auth.dmarcFrom))) {
    out.passes = true;
    out.reasons.push(`Passed DMARC for ${dmarcDomain}`);
  } else if (dkimPassAligned) {
    out.passes = true;
    out.reasons.push(`Signed by ${fromReg} (DKIM passed)`);
  } else if (auth.dmarc === 'bestguesspass' && (!auth.dmarcFrom || aligned(auth.dmarcFrom))) {
    out.passes = true;
    out.reasons.push(`Authenticated for ${fromDomain} (SPF or DKIM aligned; the domain publishes no DMARC policy)`);
  } else if (auth.spf === 'pass' && aligned(auth.spfDomain)) {
    out.passes = true;
    out.reasons.push(`SPF passed for ${fromDomain}`);
  } else if (auth.compauth === 'pass') {
    out.passes = true;
    out.reasons.push(`Microsoft's sender check (compauth) passed for ${fromDomain}`);
  }
  return out;
}

interface Context {
  contacts: KnownContacts;
  index: LookalikeIndex;
  /** The authserv-ids the account's server writes (learnReceivers). */
  receivers: Set<string> | null;
  /** The spam verdict headers the account's provider writes (learnVerdictWriters). */
  verdictWriters: Set<JunkVerdictHeader> | null;
}

/**
 * Verdicts for every message located in a folder with role 'junk', over all mailboxes. Known
 * contacts are built from the same mailboxes unless given. `overrides`, when given, replace the
 * trust lists of `contacts`. `now` is passed to `buildContacts` (contacts as they were then).
 * Order: replies to the user's mail first, then rescue before suspicious, then newest.
 */
export function junkVerdicts({
  mailboxes,
  contacts,
  overrides,
  now,
}: {
  mailboxes: Mailbox[];
  contacts?: KnownContacts;
  overrides?: TrustOverrides;
  now?: Date | string;
}): JunkVerdict[] {
  let known = contacts ?? buildContacts({ mailboxes, overrides, now });
  if (contacts && overrides) known = { ...contacts, ...rebuildTrust(contacts, overrides) };
  let index: LookalikeIndex | null = null;
  const out: JunkVerdict[] = [];
  for (const mb of mailboxes) {
    const kinds = folderKinds(mb);
    if (!kinds.junk.size) continue;
    const junk: MessageRecord[] = [];
    for (const rec of mb.messages) if (isInJunk(rec, kinds)) junk.push(rec);
    if (!junk.length) continue;
    index ??= lookalikeIndex({ known: known.knownDomains });
    const receivers = learnReceivers({ messages: mb.messages, skip: (m) => isInJunk(m, kinds) });
    const ctx: Context = { contacts: known, index, receivers, verdictWriters: learnVerdictWriters({ junk }) };
    for (const rec of junk) {
      const v = judge(rec, ctx);
      if (v) out.push(v);
    }
  }
  out.sort(
    (a, b) =>
      Number(b.isReplyToUser) - Number(a.isReplyToUser) ||
      Number(b.verdict === 'rescue') - Number(a.verdict === 'rescue') ||
      (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return out;
}

function rebuildTrust(contacts: KnownContacts, overrides: TrustOverrides): Pick<KnownContacts, 'trust' | 'knownDomains'> {
  // Same reading as buildContacts; a tiny mailbox list gives the trust maps without a rebuild.
  const fresh = buildContacts({ mailboxes: [], overrides });
  const knownDomains = new Set(contacts.knownDomains);
  for (const d of fresh.knownDomains) knownDomains.add(d);
  return { trust: fresh.trust, knownDomains };
}

function judge(rec: MessageRecord, ctx: Context): JunkVerdict | null {
  const from = rec.from[0];
  if (!from) return null;
  const { contacts, index } = ctx;
  const address = from.address;
  const domain = domainOf(address);
  const reg = registrableDomain(domain);
  const trust = trustOf({ contacts, address });
  if (trust?.kind === 'blocked') return null; // the user asked never to see this sender again

  const contact = contacts.contacts.get(address) ?? null;
  const own = isOwnAddress(contacts, address);
  const trusted = trust?.kind === 'trusted';
  const freemail = isFreemail(domain);
  const organisation = !contact && !own && !freemail ? contacts.organisations.get(reg) ?? null : null;
  const repliedTo = answersUser(rec, contacts.sent);

  // Signals of imitation, looked up before anything costly: most Junk is from strangers, and
  // their mail is dropped here without parsing its authentication headers.
  const imitating = !contact && !own && !trusted;
  const nameKey = imitating ? normaliseName(from.name) : '';
  const nameOwners = nameKey ? contacts.names.get(nameKey) : undefined;
  // "anna@acme.com" <x@evil.net>: a known address written into the display name.
  const shownRaw = imitating && from.name.includes('@') ? addressInName(from.name)?.toLowerCase() : undefined;
  const shownAddress = shownRaw && shownRaw !== address && (contacts.contacts.has(shownRaw) || isOwnAddress(contacts, shownRaw)) ? shownRaw : null;
  const lookalike = imitating && !freemail ? index.match(domain) : null;
  const replyTo = rec.replyTo[0];
  let replyToElsewhere = false;
  let replyToLookalike: ReturnType<LookalikeIndex['match']> = null;
  if (replyTo && replyTo.address !== address) {
    const rtDomain = domainOf(replyTo.address);
    const rtKnown = contacts.contacts.has(replyTo.address) || isOwnAddress(contacts, replyTo.address) || trustOf({ contacts, address: replyTo.address })?.kind === 'trusted';
    if (registrableDomain(rtDomain) !== reg && !rtKnown) {
      replyToElsewhere = true;
      replyToLookalike = isFreemail(rtDomain) ? null : index.match(rtDomain);
    }
  }
  if (!trusted && !own && !contact && !organisation && !repliedTo && !nameOwners && !shownAddress && !lookalike && !replyToLookalike) {
    return null; // an unknown sender: not listed
  }

  const auth = authResultsOf({ record: rec, receivers: ctx.receivers });
  const assessed = assessAuth({ auth, fromDomain: domain });
  // The provider's own verdict: phishing, spoofing, impersonation or malware is never rescued.
  const provider = readProviderVerdict({ record: rec, writers: ctx.verdictWriters });

  // What speaks against it. Each entry is a sentence for the user.
  const against: string[] = [];
  let imitated: KnownContact | null = null;
  let imitation: 'display-name' | 'look-alike' | null = null;
  if (assessed.fails) against.push(...assessed.reasons);
  if (provider.dangerous) against.push(...provider.findings);

  if (nameOwners) {
    // A known contact's display name on another address. Not when the address is at the same
    // (non-freemail) organisation and that organisation's server vouches for it: that is a
    // second address of the same person, not someone else using their name.
    const sameOrg = nameOwners.some((o) => registrableDomain(domainOf(o)) === reg) && !freemail && assessed.passes;
    if (!sameOrg) {
      imitated = contacts.contacts.get(nameOwners[0]) ?? null;
      imitation = 'display-name';
      against.push(`Display name '${from.name}' belongs to ${nameOwners.join(', ')}, but this came from ${address}`);
    }
  }
  if (shownAddress) {
    imitated ??= contacts.contacts.get(shownAddress) ?? null;
    imitation ??= 'display-name';
    against.push(`The name shows ${shownAddress}, but this came from ${address}`);
  }
  if (lookalike) {
    imitation ??= 'look-alike';
    against.push(`${domain} looks like ${lookalike.known}, a domain you know, but is not it: ${lookalike.detail}`);
  }
  if (replyToLookalike) {
    imitation ??= 'look-alike';
    against.push(`Replies would go to ${replyTo.address}, a look-alike of ${replyToLookalike.known}`);
  } else if (
    replyToElsewhere &&
    (contact || organisation) &&
    !assessed.passes &&
    !rec.headers['list-id'] &&
    // Reply-To naming one of the recipients is a list or a group, not a diversion.
    !rec.to.some((a) => a.address === replyTo.address) &&
    !rec.cc.some((a) => a.address === replyTo.address)
  ) {
    against.push(`Replies would go to ${replyTo.address}, not to ${address}, and nothing confirms this mail comes from ${domain}`);
  }

  let match: JunkMatch;
  if (trusted) match = 'trusted';
  else if (own) match = 'own';
  else if (contact) match = 'contact';
  else if (organisation) match = 'organisation';
  else if (repliedTo) match = 'reply';
  else if (imitation) match = imitation;
  else return null; // a same-organisation alias, nothing else: not listed

  const reasons: string[] = [];
  let verdict: 'rescue' | 'suspicious';
  switch (match) {
    case 'trusted':
      verdict = assessed.fails || provider.dangerous ? 'suspicious' : 'rescue';
      reasons.push(`You marked ${trust!.target} as trusted`);
      break;
    case 'own':
      verdict = assessed.passes && !against.length ? 'rescue' : 'suspicious';
      if (verdict === 'rescue') reasons.push(`Sent from your own address ${address}`);
      else if (!assessed.fails) reasons.push(`It claims to come from your own address ${address}, but nothing shows it was sent by your mail provider`);
      else reasons.push(`It claims to come from your own address ${address}`);
      break;
    case 'contact':
      verdict = against.length ? 'suspicious' : 'rescue';
      reasons.push(...contactFacts(contact!));
      break;
    case 'organisation': {
      const o = organisation!;
      const people = o.people === 1 ? 'one person' : `${o.people} people`;
      reasons.push(`Colleague at ${o.domain}, a company you write to (you wrote to ${people} there, last on ${day(o.lastSentTo ?? '')})`);
      reasons.push(`A weaker match: you have never written to ${address} itself`);
      if (!against.length && !assessed.passes) against.push(`Nothing confirms it really comes from ${domain} (no passing DMARC, DKIM or SPF)`);
      verdict = against.length ? 'suspicious' : 'rescue';
      break;
    }
    case 'reply':
      verdict = against.length ? 'suspicious' : 'rescue';
      reasons.push(`You have not written to ${address} before`);
      break;
    default:
      verdict = 'suspicious';
  }
  if (repliedTo) reasons.unshift(`It answers your mail "${repliedTo.subject}" of ${day(repliedTo.internalDate)}`);
  if (verdict === 'suspicious') {
    reasons.unshift(...against);
    // Phishing that authenticates came from the sender's own servers: say so, it is the warning.
    if (provider.dangerous && assessed.passes) reasons.push(`It really comes from ${reg} (${assessed.reasons[0]}), so that sender's mailbox may have been taken over`);
  }
  else {
    reasons.push(...against); // only a trusted sender is rescued despite them: say so anyway
    if (assessed.passes) reasons.push(...assessed.reasons);
    else if (auth.source === 'none') reasons.push('It carries no authentication results, so the sender could not be verified');
    else if (auth.source !== 'untrusted') {
      const said = [auth.spf && `spf=${auth.spf}`, auth.dkim.length && `dkim=${auth.dkim.map((d) => d.result).join('/')}`, auth.dmarc && `dmarc=${auth.dmarc}`].filter(Boolean).join(', ');
      reasons.push(`Its authentication results (${said || 'none that apply'}) neither confirm nor contradict ${domain}`);
    }
  }
  if (auth.source === 'untrusted') reasons.push(...assessed.reasons);
  reasons.push(...provider.notes);
  if (verdict === 'rescue' && replyTo && replyTo.address !== address && !against.length && registrableDomain(domainOf(replyTo.address)) !== reg) {
    reasons.push(`Replies go to ${replyTo.address}`);
  }

  // From a header the account's receiver did not write, only failures are shown: a pass there
  // proves nothing, and a badge must not say otherwise.
  const shown = (r: string | null) => (r !== null && auth.source === 'untrusted' && PASSING.has(r) ? null : r);
  const dkimRaw = auth.dkim.length ? (auth.dkim.some((d) => d.result === 'pass') ? 'pass' : auth.dkim[0].result) : null;
  const dkim = shown(dkimRaw);
  const shownContact = contact ?? imitated;
  return {
    id: rec._id,
    account: rec.account,
    messageId: rec.messageId,
    from: address,
    fromName: from.name,
    subject: rec.subject,
    receivedAt: rec.internalDate,
    verdict,
    reasons: dedupe(reasons),
    auth: { spf: shown(auth.spf), dkim, dmarc: shown(auth.dmarc) },
    isReplyToUser: !!repliedTo,
    match,
    contact: shownContact
      ? { address: shownContact.address, name: shownContact.names[0] ?? '', sentTo: shownContact.sentTo, receivedFrom: shownContact.receivedFrom, lastSeen: shownContact.lastSeen }
      : null,
    organisation: organisation?.domain ?? null,
  };
}

/** What the user's history with a contact says, most telling first. */
function contactFacts(c: KnownContact): string[] {
  const facts: string[] = [];
  if (c.sentTo > 0) facts.push(`You wrote to ${c.address} ${times(c.sentTo)}, last on ${day(c.lastSentTo ?? c.lastSeen)}`);
  if (c.repliesFrom > 0) facts.push(`${c.address} answered your mail ${times(c.repliesFrom)}`);
  if (c.sentTo === 0 && c.repliedTo > 0) facts.push(`You replied to ${c.address} ${times(c.repliedTo)}, last contact on ${day(c.lastSeen)}`);
  return facts;
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
