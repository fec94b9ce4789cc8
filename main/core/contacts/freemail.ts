// Freemail and consumer mailbox domains: anyone can get an address there, so a contact at
// gmail.com never makes gmail.com a "known organisation" (ARCHITECTURE.md, "Known contact").
//
// The domains come from two maintained lists, united, because each lacks providers the other has
// (issue 14 replaced a hand-kept list):
//   - email-providers (github.com/derhuerst/email-providers, released monthly): 8,760 domains of
//     mail providers, from goware/emailproviders; has yahoo.co.jp, gmx.at, live.fr, proton.me;
//   - free-email-domains-list (github.com/ihmpavel/free-email-domains-list): 96,649 free and
//     disposable mail domains from a community list; has fastmail.com, posteo.de, tuta.io,
//     duck.com, which the first lacks.
// Names reserved for documentation and testing (RFC 2606: example.com/.net/.org, .example, .test,
// .invalid, .localhost) are no provider's; email-providers lists example.com, which samples and
// tests use as a company.
// A subdomain of a listed domain matches too (its registrable domain is looked up).
import { createRequire } from 'node:module';
import { registrableDomain } from '../mail/index.js';

const RESERVED = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/;

let freemail: ReadonlySet<string> | null = null;

/**
 * The united list, built on first use: the lists are a 2 MB module and a 130 KB JSON file (~100 ms to load), which
 * commands that never judge a domain should not pay for.
 */
function freemailDomains(): ReadonlySet<string> {
  if (!freemail) {
    const require = createRequire(import.meta.url);
    const { DOMAINS } = require('free-email-domains-list/build/src/constants.js') as { DOMAINS: ReadonlySet<string> };
    // Its JSON file, not its index: the index loads the JSON through a require relative to
    // itself, which the CLI bundle (esbuild) cannot follow.
    const emailProviders = require('email-providers/all.json') as string[];
    const all = new Set<string>();
    for (const list of [emailProviders, DOMAINS]) for (const d of list) if (!RESERVED.test(d)) all.add(d.toLowerCase());
    freemail = all;
  }
  return freemail;
}

/** Whether `domain` (or an address's domain) belongs to a freemail / consumer mailbox provider. */
export function isFreemail(domainOrAddress: string): boolean {
  const at = domainOrAddress.lastIndexOf('@');
  const domain = (at >= 0 ? domainOrAddress.slice(at + 1) : domainOrAddress).toLowerCase().replace(/\.$/, '');
  if (!domain) return false;
  const list = freemailDomains();
  return list.has(domain) || list.has(registrableDomain(domain));
}
