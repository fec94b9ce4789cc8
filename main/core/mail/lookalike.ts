// Look-alike domains: a sender's domain made to pass for one the user knows (typosquatting,
// homoglyphs, IDN/punycode, another TLD, the known name buried in a subdomain or hyphenated).
//
// Thresholds depend on the length of the registrable label (the part left of the public suffix),
// because short labels sit close to each other by chance (ibm/ibx, gmx/gmc):
//   - skeleton equal, spelling different (homoglyph, 'rn'→'m', '0'→'o', IDN):  label ≥ 3
//   - same label, other public suffix (example.co vs example.com):           label ≥ 4
//   - edit distance (optimal string alignment, on skeletons):  label 5–8 → 1, label ≥ 9 → 2;
//     labels of 4 or fewer letters never match by distance alone
//   - the known domain as labels of a longer host (example.com.evil.net) or the known label as a
//     hyphen-separated word (example-billing.com, label ≥ 4, not a generic word like "mail")
// A sender domain that is itself known, or a freemail provider, is never a look-alike (the caller
// decides the latter; see contacts/freemail.ts): gmx.de and gmx.at are both real.
import { domainToUnicode } from 'node:url';
import { getDomain, getPublicSuffix } from 'tldts';
import { MAIL_LIMITS } from './limits.js';
import { trimEndChars } from './scan.js';

/**
 * The Public Suffix List (https://publicsuffix.org) through tldts, which bundles it and is
 * released with it: its ICANN part (co.uk, k12.ca.us, so lausd.k12.ca.us is a school district
 * of its own, not "ca.us") and its private part, where every subdomain is someone else's
 * (anyone can have name.github.io). The input is a host name already.
 */
const PSL = { allowPrivateDomains: true, extractHostname: false, validateHostname: false } as const;

/**
 * Platforms where each subdomain is another customer that the PSL does not list: every
 * Microsoft 365 tenant sends mail from NAME.onmicrosoft.com.
 */
const UNLISTED_SHARED_SUFFIXES = ['onmicrosoft.com'];

function unlistedSuffixOf(d: string): string | null {
  for (const s of UNLISTED_SHARED_SUFFIXES) if (d === s || d.endsWith('.' + s)) return s;
  return null;
}

/** The public suffix of a domain ("co.uk" of a.b.co.uk; the last label when the PSL has none). */
export function publicSuffix(domain: string): string {
  const d = cleanDomain(domain);
  return unlistedSuffixOf(d) ?? getPublicSuffix(d, PSL) ?? d.slice(d.lastIndexOf('.') + 1);
}

const registrableCache = new Map<string, string>();

/** The part of a domain someone registered: mail.eu.acme.com → acme.com, a.b.co.uk → b.co.uk, lausd.k12.ca.us. */
export function registrableDomain(domain: string): string {
  if (domain.length > MAIL_LIMITS.domainChars) return computeRegistrable(domain); // no cache key of 64 KB
  let r = registrableCache.get(domain);
  if (r === undefined) {
    r = computeRegistrable(domain);
    if (registrableCache.size >= 200_000) registrableCache.clear(); // bounded: hostile input
    registrableCache.set(domain, r);
  }
  return r;
}

function computeRegistrable(domain: string): string {
  const d = cleanDomain(domain);
  // An address literal [192.0.2.1], or longer than any domain (RFC 1035: 255): nothing to reduce.
  if (!d || d.startsWith('[') || d.length > MAIL_LIMITS.domainChars) return d;
  const unlisted = unlistedSuffixOf(d);
  if (unlisted && d !== unlisted) {
    const head = d.slice(0, -(unlisted.length + 1));
    return `${head.slice(head.lastIndexOf('.') + 1)}.${unlisted}`;
  }
  // null for a public suffix itself (co.uk), a single label (localhost) or an IP address.
  return getDomain(d, PSL) ?? d;
}

function cleanDomain(domain: string): string {
  return trimEndChars(domain.trim().toLowerCase(), '.');
}

/**
 * Characters that pass for Latin letters, after the spirit of Unicode's confusables.txt
 * (UTS #39 §4 "skeleton"): Cyrillic and Greek look-alikes, a few Latin extensions, digits.
 * Upper case entries are applied before lower-casing: Cyrillic 'Н' looks like 'H', its lower
 * case 'н' does not look like 'h'.
 */
const CONFUSABLE_UPPER: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
  У: 'Y', Ѕ: 'S', І: 'I', Ј: 'J', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Һ: 'H', Ӏ: 'I',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P',
  Τ: 'T', Υ: 'Y', Χ: 'X',
};
const CONFUSABLE_LOWER: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', һ: 'h',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ү: 'y', ɡ: 'g', ь: 'b', п: 'n', г: 'r',
  // Greek
  α: 'a', ο: 'o', ρ: 'p', ι: 'i', ν: 'v', υ: 'u', κ: 'k', ϲ: 'c', χ: 'x', ϳ: 'j', ε: 'e',
  // Armenian
  օ: 'o', ս: 'u', ո: 'n', հ: 'h', ց: 'g', զ: 'q',
  // Latin letters that NFKD does not take apart
  ı: 'i', ȷ: 'j', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ŀ: 'l', ɑ: 'a', ɩ: 'i', ɪ: 'i', ʏ: 'y',
  ɛ: 'e', ɔ: 'c', ƅ: 'b',
  // Digits and symbols (domains allow digits; names may use '|')
  '0': 'o', '1': 'l', '|': 'l', '!': 'l',
};
/** Letter pairs that read as one letter at a glance (confusables.txt has all three). */
const CONFUSABLE_PAIRS: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/cl/g, 'd'],
];

/**
 * A "skeleton" of a text: two strings that look alike at a glance get the same skeleton.
 * Diacritics dropped (NFKD), confusable characters mapped to Latin, lower case.
 */
export function skeleton(text: string): string {
  // Fast path for plain ASCII (most names and domains): nothing to decompose.
  if (/^[\x20-\x7e]*$/.test(text)) {
    let mapped = text.toLowerCase();
    if (/[01|!]/.test(mapped)) mapped = mapped.replace(/[01|!]/g, (c) => CONFUSABLE_LOWER[c]);
    for (const [re, to] of CONFUSABLE_PAIRS) if (mapped.includes(re.source)) mapped = mapped.replace(re, to);
    return mapped;
  }
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x300 && code <= 0x36f) continue; // combining marks
    out += CONFUSABLE_UPPER[ch] ?? ch;
  }
  out = out.toLowerCase();
  let mapped = '';
  for (const ch of out) mapped += CONFUSABLE_LOWER[ch] ?? ch;
  for (const [re, to] of CONFUSABLE_PAIRS) mapped = mapped.replace(re, to);
  return mapped;
}

/** A domain as people see it: punycode labels (RFC 3492, "xn--") decoded. */
export function unicodeDomain(domain: string): string {
  const d = cleanDomain(domain);
  if (!d.includes('xn--')) return d;
  const u = domainToUnicode(d);
  return u || d;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein where a transposition of neighbours
 * counts 1), giving up as soon as it exceeds `max`: returns max + 1 then.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Largest edit distance that still counts as a look-alike of a known label of this length. */
export function maxTypoDistance(labelLength: number): number {
  if (labelLength >= 9) return 2;
  if (labelLength >= 5) return 1;
  return 0;
}

/** Words that say nothing about who sent a mail; never a look-alike target on their own. */
const GENERIC_LABELS = new Set([
  'mail', 'email', 'smtp', 'mx', 'www', 'web', 'info', 'news', 'login', 'secure', 'account',
  'accounts', 'service', 'services', 'support', 'online', 'help', 'admin', 'portal', 'auth',
  'verify', 'update', 'billing', 'cloud', 'home', 'group', 'team', 'app', 'apps', 'office',
  'bounce', 'bounces', 'reply', 'noreply', 'notify', 'alerts', 'my', 'go', 'api', 'cdn', 'static',
]);

export type LookalikeKind = 'homoglyph' | 'punycode' | 'typo' | 'tld' | 'subdomain' | 'combo';

export interface LookalikeMatch {
  /** The sender's domain as given (lower case). */
  domain: string;
  /** The known registrable domain it imitates. */
  known: string;
  kind: LookalikeKind;
  /** A phrase for people: "'rn' reads as 'm'", "one letter differs", "other ending (.co)". */
  detail: string;
}

interface KnownLabel {
  domain: string;
  label: string;
  skel: string;
}

export interface LookalikeIndex {
  /** The known domain a sender domain imitates, or null. Known domains themselves give null. */
  match(domain: string): LookalikeMatch | null;
  readonly size: number;
}

/**
 * An index over known domains (any form: they are reduced to registrable domains) answering
 * "which known domain does this one imitate?" in about constant time per query: exact maps for
 * skeletons and labels, and a symmetric-deletion map (the SymSpell idea) for edit distance.
 */
export function lookalikeIndex({ known }: { known: Iterable<string> }): LookalikeIndex {
  const domains = new Set<string>();
  for (const k of known) {
    const reg = registrableDomain(unicodeDomain(k));
    if (reg && reg.includes('.')) domains.add(reg);
  }
  const bySkeleton = new Map<string, KnownLabel[]>();
  const byLabel = new Map<string, KnownLabel[]>();
  const typoLabels: KnownLabel[] = [];
  const entries: number[] = [];
  const push = (map: Map<string, KnownLabel[]>, key: string, v: KnownLabel) => {
    const list = map.get(key);
    if (!list) map.set(key, [v]);
    else if (!list.includes(v)) list.push(v);
  };
  for (const domain of domains) {
    const label = labelOf(domain);
    const k: KnownLabel = { domain, label, skel: skeleton(label) };
    push(bySkeleton, k.skel, k);
    push(byLabel, label, k);
    const d = maxTypoDistance(k.skel.length);
    if (d > 0 && typoLabels.length < ENTRY_SHIFT) {
      const ki = typoLabels.push(k) - 1;
      const count = deletionHashes(k.skel, d);
      for (let i = 0; i < count; i++) entries.push(DELETION_HASHES[i] * ENTRY_SHIFT + ki);
    }
  }
  // The deletion index: (hash, known label) pairs packed into one number each and sorted, so it
  // builds with one native numeric sort and answers by binary search. A bit per hash in front of
  // it answers most misses (most queried deletions hit nothing) without searching.
  const index = Float64Array.from(entries).sort();
  let bitsLog = 10;
  while (1 << bitsLog < index.length * 8 && bitsLog < 26) bitsLog++;
  const bitMask = (1 << bitsLog) - 1;
  const bits = new Uint32Array((1 << bitsLog) >>> 5);
  for (let i = 0; i < index.length; i++) {
    const h = Math.floor(index[i] / ENTRY_SHIFT);
    bits[(h & bitMask) >>> 5] |= 1 << (h & 31);
  }
  const lookup = (h: number, found: Set<KnownLabel>) => {
    const lo0 = h * ENTRY_SHIFT;
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (index[mid] < lo0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < index.length && index[i] < lo0 + ENTRY_SHIFT; i++) found.add(typoLabels[index[i] - lo0]);
  };
  const cache = new Map<string, LookalikeMatch | null>();

  function compute(raw: string): LookalikeMatch | null {
    const domain = cleanDomain(raw);
    const shown = unicodeDomain(domain);
    const reg = registrableDomain(shown);
    if (!reg || reg.startsWith('[') || !reg.includes('.')) return null;
    if (domains.has(reg) || domains.has(registrableDomain(domain))) return null;
    const label = labelOf(reg);
    const skel = skeleton(label);
    const idn = domain.includes('xn--') || /[^\x00-\x7f]/.test(shown);

    // 1. Same skeleton, different spelling: homoglyphs, 'rn' for 'm', digits for letters, IDN.
    if (skel.length >= 3) {
      for (const k of bySkeleton.get(skel) ?? []) {
        if (k.label === label && k.domain !== reg && !idn) continue; // same name, other TLD: below
        return {
          domain, known: k.domain, kind: idn ? 'punycode' : 'homoglyph',
          detail: idn ? `written with look-alike letters (${shown})` : describeSwap(label, k.label),
        };
      }
    }
    // 2. The same name under another ending.
    if (label.length >= 4) {
      for (const k of byLabel.get(label) ?? []) {
        if (k.domain !== reg) return { domain, known: k.domain, kind: 'tld', detail: `same name, other ending (.${publicSuffix(reg)} instead of .${publicSuffix(k.domain)})` };
      }
    }
    // 3. One or two letters off.
    const candidates = new Set<KnownLabel>();
    // A known label of 9+ letters (2 edits allowed) can be reached from 7 letters up.
    const depth = skel.length >= 7 ? 2 : 1;
    if (skel.length >= 4 && index.length) {
      const count = deletionHashes(skel, depth);
      for (let i = 0; i < count; i++) {
        const h = DELETION_HASHES[i];
        if (bits[(h & bitMask) >>> 5] & (1 << (h & 31))) lookup(h, candidates);
      }
    }
    let best: { k: KnownLabel; d: number } | null = null;
    for (const k of candidates) {
      const allowed = maxTypoDistance(k.skel.length);
      const d = editDistance(skel, k.skel, allowed);
      if (d <= allowed && (!best || d < best.d)) best = { k, d };
    }
    if (best) {
      return {
        domain, known: best.k.domain, kind: idn ? 'punycode' : 'typo',
        detail: idn ? `written with look-alike letters (${shown})` : best.d === 1 ? 'one letter differs' : 'two letters differ',
      };
    }
    // 4. The known domain inside a longer host: acme.com.evil.net, acme.evil.net.
    const labels = shown.split('.');
    const regLabels = reg.split('.').length;
    for (let i = 0; i < labels.length - regLabels; i++) {
      for (const n of [2, 3]) {
        if (i + n > labels.length - regLabels) continue;
        const inner = labels.slice(i, i + n).join('.');
        if (domains.has(inner)) return { domain, known: inner, kind: 'subdomain', detail: `${inner} is only the start of the name; it belongs to ${reg}` };
      }
      const sub = labels[i];
      if (sub.length >= 5 && !GENERIC_LABELS.has(sub)) {
        for (const k of byLabel.get(sub) ?? []) return { domain, known: k.domain, kind: 'subdomain', detail: `"${sub}" is only a subdomain of ${reg}` };
      }
    }
    // 5. The known name as a word of a hyphenated name: acme-payroll.com.
    if (label.includes('-')) {
      for (const word of label.split('-')) {
        if (word.length < 4 || GENERIC_LABELS.has(word)) continue;
        for (const k of byLabel.get(word) ?? []) return { domain, known: k.domain, kind: 'combo', detail: `"${label}" adds words to ${k.label}` };
      }
    }
    return null;
  }

  return {
    size: domains.size,
    match(raw: string): LookalikeMatch | null {
      if (raw.length > MAIL_LIMITS.domainChars) return null; // not a domain name (RFC 1035)
      const key = raw.toLowerCase();
      let r = cache.get(key);
      if (r === undefined) {
        r = compute(key);
        cache.set(key, r);
      }
      return r;
    },
  };
}

/** Convenience for one-off checks; build a `lookalikeIndex` for many. */
export function findLookalike({ domain, known }: { domain: string; known: Iterable<string> }): LookalikeMatch | null {
  return lookalikeIndex({ known }).match(domain);
}

/** The registrable label: "acme" of mail.acme.co.uk. */
function labelOf(registrable: string): string {
  return registrable.split('.')[0] ?? registrable;
}

// Deletion neighbourhoods are keyed by a 30-bit polynomial hash instead of by the strings
// themselves: no string is built, and a Map of small integers is several times faster. A hash
// collision only adds a candidate that the exact edit distance then rejects.
const HASH_BASE = 0x01000193;
const MAX_LABEL = 64; // RFC 1035 §2.3.4: labels are at most 63 octets
const POW = new Int32Array(MAX_LABEL + 2);
/** Hashes are < 2^30, known labels < 2^20: hash * 2^20 + label stays an exact double. */
const ENTRY_SHIFT = 2 ** 20;
const HASH_PREFIX = new Int32Array(MAX_LABEL + 1);
POW[0] = 1;
for (let i = 1; i < POW.length; i++) POW[i] = Math.imul(POW[i - 1], HASH_BASE);

/** Room for every deletion hash of a label: 1 + n + n(n-1)/2 for n = 64. */
const DELETION_HASHES = new Int32Array(1 + MAX_LABEL + (MAX_LABEL * (MAX_LABEL - 1)) / 2);

/**
 * Writes into DELETION_HASHES the hash of every string obtained by deleting up to `depth`
 * (1 or 2) characters of `s`, `s` itself included (the same string may come more than once),
 * and returns how many it wrote. A buffer instead of a callback: this is the inner loop.
 */
function deletionHashes(s: string, depth: number): number {
  const n = Math.min(s.length, MAX_LABEL);
  const H = HASH_PREFIX;
  const out = DELETION_HASHES;
  for (let k = 0; k < n; k++) H[k + 1] = (Math.imul(H[k], HASH_BASE) + s.charCodeAt(k)) | 0;
  // hash of s[a, b): (H[b] - H[a] * B^(b-a)); a key mixes in the length.
  const mixN = Math.imul(n, 0x9e3779b1);
  const mixN1 = Math.imul(n - 1, 0x9e3779b1);
  const mixN2 = Math.imul(n - 2, 0x9e3779b1);
  let count = 0;
  out[count++] = (H[n] ^ mixN) & 0x3fffffff;
  if (n <= 1) return count;
  for (let i = 0; i < n; i++) {
    if (i > 0 && s.charCodeAt(i) === s.charCodeAt(i - 1)) continue; // same result as deleting i-1
    const left = H[i]; // s[0, i)
    const rest = (H[n] - Math.imul(H[i + 1], POW[n - i - 1])) | 0; // s[i+1, n)
    out[count++] = (((Math.imul(left, POW[n - i - 1]) + rest) | 0) ^ mixN1) & 0x3fffffff;
    if (depth < 2) continue;
    // delete j > i as well: s[0,i) + s[i+1,j) + s[j+1,n)
    for (let j = i + 1; j < n; j++) {
      if (j > i + 1 && s.charCodeAt(j) === s.charCodeAt(j - 1)) continue;
      const mid = (H[j] - Math.imul(H[i + 1], POW[j - i - 1])) | 0;
      const tail = (H[n] - Math.imul(H[j + 1], POW[n - j - 1])) | 0;
      let h = (Math.imul(left, POW[j - i - 1]) + mid) | 0;
      h = (Math.imul(h, POW[n - j - 1]) + tail) | 0;
      out[count++] = (h ^ mixN2) & 0x3fffffff;
    }
  }
  return count;
}

function describeSwap(fake: string, real: string): string {
  if (fake.includes('rn') && real.includes('m')) return `"rn" reads as "m" (${fake} vs ${real})`;
  if (fake.includes('vv') && real.includes('w')) return `"vv" reads as "w" (${fake} vs ${real})`;
  if (/[01]/.test(fake)) return `digits in place of letters (${fake} vs ${real})`;
  return `look-alike letters (${fake} vs ${real})`;
}
