// Authentication-Results (RFC 8601) and Received-SPF (RFC 7208 §9.1): what the receiving server
// found out about SPF, DKIM and DMARC, reduced to the few facts the Junk rescue needs.
//
// Which header to believe. Every server on the way may add an Authentication-Results header, and
// the sender can write any number of them into the mail before it leaves. Header fields are
// prepended, so the topmost one is the one the user's own receiving server added last; all
// others came before it and may be forged. RFC 8601 §5 asks the receiver to delete A-R headers
// carrying its own authserv-id from incoming mail, but not every server does. So:
//   - only the first occurrence (topmost) is trusted, plus the occurrences that directly follow it
//     with the SAME authserv-id (Proton writes one header per method: dkim, dmarc, spf, arc);
//   - when those repeat a method, the worst result wins, so a forged "pass" further down cannot
//     undo the receiver's "fail" (it can still add a method the receiver did not check at all);
//   - Microsoft 365 / Outlook.com write no authserv-id at all ("Authentication-Results: spf=pass
//     (sender IP is ...)"): only their topmost header counts;
//   - `learnReceivers` finds the authserv-ids an account's server stamps on its other mail; a
//     topmost header from any other id is read too, but marked 'untrusted': a failure in it
//     counts wherever it is written (no forger adds a failing result to his own mail, and a
//     server on the way that found a forgery is right about it), a pass does not (anyone can
//     write one). Which server wrote it is not decided from its place among the Received lines:
//     MTAs and milters put their result above or below their own Received line, both occur.
// Received-SPF is read the same way: only the topmost one, and only when A-R has no spf result
// and its top is trusted.
// The store keeps these headers in order of appearance, joined by '\n' (model.ts).
import type { MessageRecord } from '../model.js';
import { MAIL_LIMITS } from './limits.js';
import { registrableDomain } from './lookalike.js';

/** One "method=result prop=value ..." clause of an A-R header. */
export interface AuthMethodResult {
  method: string;
  result: string;
  /** ptype.property → value, lower-case keys ("header.d", "smtp.mailfrom", "action", "reason"). */
  props: Record<string, string>;
}

/** One Authentication-Results header, parsed. */
export interface ParsedAuthHeader {
  /** The authserv-id (the receiving host, e.g. "mx.google.com"), or null when none is written. */
  authservId: string | null;
  /** ARC-style instance ("i=1; mx.messagingengine.com; ..."), or null. */
  instance: number | null;
  results: AuthMethodResult[];
}

export interface DkimResult {
  result: string;
  /** The signing domain (header.d, else the domain of header.i), lower case, or null. */
  domain: string | null;
}

/** What the trusted headers say. Results are lower case ("pass", "fail", "softfail", "none"...). */
export interface AuthResults {
  spf: string | null;
  /** The domain SPF was checked for (smtp.mailfrom, else smtp.helo). */
  spfDomain: string | null;
  dkim: DkimResult[];
  dmarc: string | null;
  /** header.from of the DMARC result. */
  dmarcFrom: string | null;
  /** Microsoft's composite authentication ("pass", "fail", "softpass", "none"), with its reason code. */
  compauth: string | null;
  compauthReason: string | null;
  arc: string | null;
  /** The authserv-id of the trusted header ('' for Microsoft's id-less one), null when there is none. */
  authservId: string | null;
  /**
   * Where the results came from. 'untrusted': the topmost header names another server than the
   * one the account learned (`learnReceivers`); its results are read, but only a failure in them
   * counts, never a pass.
   */
  source: 'authentication-results' | 'received-spf' | 'none' | 'untrusted';
  /** The authserv-id of the untrusted topmost header ('' when it names none). */
  ignoredAuthservId?: string | null;
  /** Source 'untrusted': the receivers the account learned (registrable domains, '' for Microsoft's id-less header). */
  learnedReceivers?: string[];
}

/** Rank of a result, worst first, for merging repeated methods of the trusted headers. */
const RESULT_RANK: Readonly<Record<string, number>> = {
  fail: 0, hardfail: 0, softfail: 1, permerror: 2, temperror: 3, policy: 4, neutral: 5,
  none: 6, bestguesspass: 7, softpass: 7, pass: 8,
};
const rankOf = (r: string) => RESULT_RANK[r] ?? 6;

/**
 * Strip RFC 5322 comments "( ... )" (nested, with quoted-pairs) outside quoted strings, and
 * return the text with each comment replaced by a space.
 */
function stripComments(value: string): string {
  // Fast path, the usual case: no quoted strings or escapes, so comments can go by regex
  // (innermost first, to take nested ones apart).
  // A few passes only: each removes one level of nesting, and "((((…" nests thousands deep.
  if (!value.includes('"') && !value.includes('\\')) {
    let v = value;
    for (let pass = 0; pass < 4 && v.includes('('); pass++) {
      const next = v.replace(/\([^()]*\)/g, ' ');
      if (next === v) return next.slice(0, next.indexOf('(')); // unclosed: drop the rest
      v = next;
    }
    if (!v.includes('(')) return v;
  }
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) out += ' ';
      }
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (c === '(' && !quoted) {
      depth = 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** Split on ';' outside quoted strings. */
function splitClauses(value: string): string[] {
  if (!value.includes('"')) return value.split(';').map((p) => p.trim()).filter((p) => p.length > 0);
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) {
      cur += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const isSpace = (c: string) => /\s/.test(c);
/** Characters of a key: anything but white space, '=', '"' and ';'. */
const isKeyChar = (c: string) => c !== '=' && c !== '"' && c !== ';' && !isSpace(c);
const isLineEnd = (c: string) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * "key = value key2=value2 word" → pairs; values may be quoted strings. Bare words are dropped.
 * A scan giving what /([^\s=";]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]*)/g gave, in one pass: the
 * pattern restarted inside every run of key characters, quadratic on a long one ("\\\\…").
 */
function readPairs(clause: string): [string, string][] {
  const pairs: [string, string][] = [];
  const n = clause.length;
  let i = 0;
  while (i < n) {
    if (!isKeyChar(clause[i])) {
      i++;
      continue;
    }
    const keyStart = i;
    while (i < n && isKeyChar(clause[i])) i++;
    const keyEnd = i;
    let j = i;
    while (j < n && isSpace(clause[j])) j++;
    if (clause[j] !== '=') continue; // every start inside this key ends here too: no pair
    j++;
    while (j < n && isSpace(clause[j])) j++;
    let value: string | null = null;
    if (clause[j] === '"') {
      // A quoted string; an unclosed one (or a backslash before a line end) is read bare below.
      let k = j + 1;
      while (k < n && clause[k] !== '"') {
        if (clause[k] === '\\') {
          if (k + 1 >= n || isLineEnd(clause[k + 1])) break;
          k++;
        }
        k++;
      }
      if (clause[k] === '"') {
        value = clause.slice(j + 1, k).replace(/\\(.)/g, '$1');
        j = k + 1;
      }
    }
    if (value === null) {
      const start = j;
      while (j < n && clause[j] !== ';' && !isSpace(clause[j])) j++;
      value = clause.slice(start, j);
      // As the pattern's caller did: a value read bare that starts with a quote loses its ends.
      if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    pairs.push([clause.slice(keyStart, keyEnd).toLowerCase(), value]);
    i = j;
  }
  return pairs;
}

/** Parse one Authentication-Results header value. Never throws; garbage gives no results. */
export function parseAuthResultsHeader(value: string): ParsedAuthHeader {
  const parsed: ParsedAuthHeader = { authservId: null, instance: null, results: [] };
  if (!value) return parsed;
  const clauses = splitClauses(stripComments(value.slice(0, MAIL_LIMITS.authResultsChars)));
  let i = 0;
  // ARC-Authentication-Results style instance tag, which some receivers also write here.
  const inst = clauses[0] && /^i\s*=\s*(\d+)$/i.exec(clauses[0]);
  if (inst) {
    parsed.instance = Number(inst[1]);
    i = 1;
  }
  // authserv-id [version]: a clause without '='. Microsoft writes none and starts with "spf=".
  if (clauses[i] && !clauses[i].includes('=')) {
    const id = clauses[i].split(/\s+/)[0].toLowerCase();
    parsed.authservId = id;
    i++;
  }
  for (; i < clauses.length; i++) {
    const pairs = readPairs(clauses[i]);
    if (!pairs.length) continue; // "none" (RFC 8601 §2.2: no results) or junk
    const [key, result] = pairs[0];
    const method = key.replace(/\/\d+$/, ''); // "dkim/1=pass": method version
    // RFC 8601 §2.2: methods and results are keywords. Anything else is a property without a
    // method ("header.From=...", SpamAssassin's test data) or noise.
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(method) || !/^[a-z0-9_-]+$/i.test(result)) continue;
    const props: Record<string, string> = {};
    for (const [k, v] of pairs.slice(1)) if (!(k in props)) props[k] = v;
    parsed.results.push({ method, result: result.toLowerCase(), props });
  }
  return parsed;
}

/** Received-SPF: "Pass (receiver: reason) client-ip=...; envelope-from=...". */
export function parseReceivedSpf(value: string): { result: string; domain: string | null } | null {
  if (!value) return null;
  const m = /^\s*([a-z]+)/i.exec(value);
  if (!m) return null;
  const result = m[1].toLowerCase();
  if (!(result in RESULT_RANK)) return null;
  const pairs = readPairs(stripComments(value.slice(0, MAIL_LIMITS.authResultsChars)));
  let domain: string | null = null;
  for (const [k, v] of pairs) {
    if (k === 'envelope-from' || k === 'smtp.mailfrom') domain = domainPart(v);
  }
  if (!domain) {
    const d = /domain of\s+(?:transitioning\s+)?(?:[^\s@]+@)?([a-z0-9.-]+\.[a-z]{2,})/i.exec(value);
    if (d) domain = d[1].toLowerCase();
  }
  return { result, domain };
}

function domainPart(v: string): string | null {
  const s = v.trim().replace(/^<|>$/g, '').toLowerCase();
  if (!s || s === 'none' || s === '<>') return null;
  const at = s.lastIndexOf('@');
  const d = (at >= 0 ? s.slice(at + 1) : s).replace(/\.$/, '');
  return d.includes('.') ? d : null;
}

/** Key under which an authserv-id is learned: its registrable domain (mx3.messagingengine.com → messagingengine.com). */
export function authservKey(id: string | null): string {
  return id ? registrableDomain(id) : '';
}

const topmostCache = new Map<string, string>();

/** The authserv-id key of the topmost A-R header of a stored value, cheaply ('' when it has none). */
function topmostKey(stored: string): string {
  // Fast path (it runs over many stored messages): only the first one or two clauses matter.
  let semi = stored.indexOf(';');
  if (semi < 0 || semi > 200) semi = Math.min(stored.length, 200);
  let head = stored.slice(0, semi);
  if (/^\s*i\s*=\s*\d+\s*$/i.test(head)) {
    const next = stored.indexOf(';', semi + 1);
    head = stored.slice(semi + 1, next < 0 ? Math.min(stored.length, semi + 200) : next);
  }
  let key = topmostCache.get(head);
  if (key === undefined) {
    const nl = head.indexOf('\n');
    const clause = (nl >= 0 ? head.slice(0, nl) : head).replace(/\([^()]*\)/g, ' ').trim();
    key = !clause || clause.includes('=') ? '' : authservKey(clause.split(/\s+/)[0].toLowerCase());
    if (topmostCache.size > 10_000) topmostCache.clear();
    topmostCache.set(head, key);
  }
  return key;
}

/** How many messages `learnReceivers` looks at: spread over the mailbox, enough to be sure. */
const LEARN_SAMPLE = 4000;

/**
 * The authserv-ids (as `authservKey`s) the account's own server writes: those on top of at
 * least 5% (and 3) of the mail that arrived outside Junk (a sample of up to 4,000 spread over the
 * mailbox). Null when there is too little mail with A-R to tell; then the topmost header is
 * trusted as it is.
 */
export function learnReceivers({ messages, skip }: { messages: readonly MessageRecord[]; skip?: (m: MessageRecord) => boolean }): Set<string> | null {
  const counts = new Map<string, number>();
  let total = 0;
  const step = Math.max(1, Math.floor(messages.length / (LEARN_SAMPLE * 2)));
  for (let i = 0; i < messages.length && total < LEARN_SAMPLE; i += step) {
    const m = messages[i];
    const ar = m.headers['authentication-results'];
    if (!ar || (skip && skip(m))) continue;
    const key = topmostKey(ar);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    total++;
  }
  if (total < 3) return null;
  const set = new Set<string>();
  for (const [k, n] of counts) if (n >= 3 && n >= total * 0.05) set.add(k);
  return set.size ? set : null;
}

/**
 * The trusted view of a message's authentication headers (see the top of this file).
 * `receivers`: the account's learned authserv-ids; a topmost header from another id comes out
 * with source 'untrusted' (its failures count, its passes do not).
 */
export function readAuthResults({
  authenticationResults,
  receivedSpf,
  receivers,
}: {
  authenticationResults?: string | null;
  receivedSpf?: string | null;
  receivers?: ReadonlySet<string> | null;
}): AuthResults {
  const out: AuthResults = {
    spf: null, spfDomain: null, dkim: [], dmarc: null, dmarcFrom: null, compauth: null,
    compauthReason: null, arc: null, authservId: null, source: 'none',
  };
  const occurrences = (authenticationResults ?? '').split('\n').filter((s) => s.trim());
  if (occurrences.length) {
    const top = parseAuthResultsHeader(occurrences[0]);
    const untrusted = !!receivers && receivers.size > 0 && !receivers.has(authservKey(top.authservId));
    const trusted = [top];
    if (top.authservId) {
      for (let i = 1; i < occurrences.length; i++) {
        const next = parseAuthResultsHeader(occurrences[i]);
        if (next.authservId !== top.authservId) break;
        trusted.push(next);
      }
    }
    out.authservId = top.authservId ?? '';
    out.source = untrusted ? 'untrusted' : 'authentication-results';
    if (untrusted) {
      out.ignoredAuthservId = top.authservId ?? '';
      out.learnedReceivers = [...receivers!].sort();
    }
    const worse = (a: string | null, b: string) => (a === null || rankOf(b) < rankOf(a) ? b : a);
    for (const h of trusted) {
      for (const r of h.results) {
        switch (r.method) {
          case 'spf':
            if (out.spf === null || rankOf(r.result) < rankOf(out.spf)) {
              out.spf = r.result;
              out.spfDomain = domainPart(r.props['smtp.mailfrom'] ?? '') ?? domainPart(r.props['smtp.helo'] ?? '') ?? out.spfDomain;
            }
            break;
          case 'dkim':
            out.dkim.push({ result: r.result, domain: domainPart(r.props['header.d'] ?? '') ?? domainPart(r.props['header.i'] ?? '') });
            break;
          case 'dmarc':
            if (out.dmarc === null || rankOf(r.result) < rankOf(out.dmarc)) {
              out.dmarc = r.result;
              out.dmarcFrom = domainPart(r.props['header.from'] ?? '') ?? out.dmarcFrom;
            }
            break;
          case 'compauth':
            if (out.compauth === null || rankOf(r.result) < rankOf(out.compauth)) {
              out.compauth = r.result;
              out.compauthReason = r.props['reason'] ?? null;
            }
            break;
          case 'arc':
            out.arc = worse(out.arc, r.result);
            break;
        }
      }
    }
  }
  if (out.spf === null && receivedSpf && out.source !== 'untrusted') {
    const spf = parseReceivedSpf(receivedSpf.split('\n')[0]);
    if (spf) {
      out.spf = spf.result;
      out.spfDomain = spf.domain;
      if (out.source === 'none') out.source = 'received-spf';
    }
  }
  return out;
}

/** `readAuthResults` on a stored record. */
export function authResultsOf({ record, receivers }: { record: MessageRecord; receivers?: ReadonlySet<string> | null }): AuthResults {
  return readAuthResults({
    authenticationResults: record.headers['authentication-results'],
    receivedSpf: record.headers['received-spf'],
    receivers,
  });
}
