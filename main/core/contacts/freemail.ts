// Freemail and consumer mailbox domains: anyone can get an address there, so a contact at
// gmail.com never makes gmail.com a "known organisation" (ARCHITECTURE.md, "Known contact").
//
// Maintained by hand. Sources: the providers' own sign-up pages and the lists kept by
// SpamAssassin (`freemail_domains` in 20_freemail_domains.cf) and Thunderbird's autoconfig ISPDB.
// When adding, prefer the registrable domain (the part a person can register): subdomains of it
// match too. Provider families that exist under many country TLDs (hotmail.de, yahoo.co.jp,
// gmx.at) are matched by their label below instead of listing every TLD.
import { registrableDomain } from '../mail/index.js';

/** Exact freemail domains (a subdomain of one matches as well). */
export const FREEMAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Google
  'gmail.com', 'googlemail.com',
  // Microsoft (outlook.*, hotmail.*, live.* are families below)
  'msn.com', 'passport.com', 'windowslive.com',
  // Yahoo / AOL / Verizon
  'ymail.com', 'rocketmail.com', 'aol.com', 'aim.com', 'verizon.net', 'yahoodns.net',
  // Apple
  'icloud.com', 'me.com', 'mac.com',
  // Privacy-focused and independent providers
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me', 'tutanota.com', 'tutanota.de',
  'tuta.io', 'tutamail.com', 'tuta.com', 'fastmail.com', 'fastmail.fm', 'hushmail.com',
  'mailfence.com', 'posteo.de', 'posteo.net', 'mailbox.org', 'runbox.com', 'disroot.org',
  'riseup.net', 'startmail.com', 'hey.com', 'skiff.com', 'duck.com',
  // Zoho, Mail.com family, GMX / web.de / 1&1
  'zoho.com', 'zohomail.com', 'zohomail.eu', 'mail.com', 'email.com', 'usa.com', 'post.com',
  'consultant.com', 'europe.com', 'engineer.com', 'web.de', 'email.de', 'freenet.de',
  't-online.de', 'arcor.de', '1und1.de', 'online.de', 'vodafone.de',
  // Russia, Ukraine, Central and Eastern Europe
  'mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'internet.ru', 'rambler.ru', 'ya.ru',
  'ukr.net', 'i.ua', 'meta.ua', 'seznam.cz', 'email.cz', 'centrum.cz', 'atlas.cz',
  'wp.pl', 'o2.pl', 'onet.pl', 'op.pl', 'interia.pl', 'poczta.onet.pl', 'gazeta.pl',
  'abv.bg', 'freemail.hu', 'citromail.hu', 'azet.sk', 'centrum.sk', 'post.cz',
  // Western Europe ISPs and portals
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'neuf.fr', 'bbox.fr',
  'libero.it', 'virgilio.it', 'tiscali.it', 'alice.it', 'tin.it', 'fastwebnet.it',
  'email.it', 'inwind.it', 'iol.it', 'telefonica.net', 'terra.es', 'bluewin.ch',
  'gmx.ch', 'sunrise.ch', 'hispeed.ch', 'chello.nl', 'ziggo.nl', 'kpnmail.nl', 'home.nl',
  'planet.nl', 'hetnet.nl', 'telenet.be', 'skynet.be', 'sapo.pt', 'btinternet.com',
  'sky.com', 'talktalk.net', 'virginmedia.com', 'ntlworld.com', 'blueyonder.co.uk',
  'tiscali.co.uk', 'eircom.net', 'online.no', 'telia.com', 'spray.se', 'bredband.net',
  'suomi24.fi', 'luukku.com',
  // North America
  'comcast.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'charter.net', 'cox.net',
  'earthlink.net', 'optonline.net', 'frontier.com', 'juno.com', 'netzero.net',
  'roadrunner.com', 'rr.com', 'shaw.ca', 'rogers.com', 'sympatico.ca', 'videotron.ca',
  'telus.net',
  // Asia-Pacific, Latin America, Africa
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn',
  'sohu.com', 'aliyun.com', '139.com', '189.cn', 'naver.com', 'daum.net', 'hanmail.net',
  'nate.com', 'kakao.com', 'rediffmail.com', 'bigpond.com', 'bigpond.net.au',
  'optusnet.com.au', 'xtra.co.nz', 'docomo.ne.jp', 'ezweb.ne.jp', 'softbank.ne.jp',
  'nifty.com', 'biglobe.ne.jp', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br',
  'prodigy.net.mx', 'mweb.co.za', 'webmail.co.za',
  // Disposable-address services that also hand out long-lived mailboxes
  'mailinator.com', 'guerrillamail.com', 'yopmail.com',
]);

/**
 * Providers whose name is the same under many TLDs: hotmail.com, hotmail.co.uk, live.fr,
 * yahoo.co.jp, gmx.net, yandex.com.tr... Matched on the label left of the public suffix.
 */
export const FREEMAIL_FAMILIES: ReadonlySet<string> = new Set([
  'hotmail', 'outlook', 'live', 'yahoo', 'gmx', 'yandex', 'aol', 'msn', 'mail', 'web',
]);

/** Labels that name a family only under these suffix shapes (web.de is; web.com is not). */
const FAMILY_EXCEPTIONS: Readonly<Record<string, (domain: string) => boolean>> = {
  // mail.com, mail.ru are listed above; "mail.xyz" in general is not freemail.
  mail: (d) => FREEMAIL_DOMAINS.has(d),
  web: (d) => FREEMAIL_DOMAINS.has(d),
};

/** Whether `domain` (or an address's domain) belongs to a freemail / consumer mailbox provider. */
export function isFreemail(domainOrAddress: string): boolean {
  const at = domainOrAddress.lastIndexOf('@');
  const domain = (at >= 0 ? domainOrAddress.slice(at + 1) : domainOrAddress).toLowerCase().replace(/\.$/, '');
  if (!domain) return false;
  if (FREEMAIL_DOMAINS.has(domain)) return true;
  const reg = registrableDomain(domain);
  if (FREEMAIL_DOMAINS.has(reg)) return true;
  const label = reg.split('.')[0];
  if (!FREEMAIL_FAMILIES.has(label)) return false;
  const exception = FAMILY_EXCEPTIONS[label];
  return exception ? exception(reg) : true;
}
