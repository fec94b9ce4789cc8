// Mailing-list addresses, learned from the list headers of the traffic the user receives.
// A list is not someone who answers: mail to a list is not "awaiting a reply".
import type { MessageRecord } from '../model.js';
import { MAIL_LIMITS } from './limits.js';

/**
 * RFC 2369 §3.4: List-Post carries the posting address as a mailto: URL, or "NO" for announce
 * lists. Only the first mailto: is used; its query (?subject=...) is dropped.
 */
export function listPostAddress(value: string | undefined): string | null {
  if (!value) return null;
  if (value.length > MAIL_LIMITS.listHeaderChars) value = value.slice(0, MAIL_LIMITS.listHeaderChars);
  const m = /<\s*mailto:([^>?\s]+)/i.exec(value) ?? /mailto:([^>?\s,]+)/i.exec(value);
  if (!m) return null;
  let addr: string;
  try {
    addr = decodeURIComponent(m[1]);
  } catch {
    addr = m[1];
  }
  addr = addr.trim().toLowerCase();
  return addr.includes('@') ? addr : null;
}

/**
 * RFC 2919: List-Id is `"description" <list-label.domain>`. Mailman, Google Groups and vger
 * build the label as "<list-name>.<host>" with the posting address "<list-name>@<host>", so the
 * first dot turned into '@' is a good guess of the address (linux-kernel.vger.kernel.org →
 * linux-kernel@vger.kernel.org). It is only a guess, kept next to the List-Post address.
 */
export function listIdAddressGuess(value: string | undefined): string | null {
  if (!value) return null;
  if (value.length > MAIL_LIMITS.listHeaderChars) value = value.slice(0, MAIL_LIMITS.listHeaderChars);
  const m = /<([^<>\s]+)>/.exec(value);
  const id = (m ? m[1] : value.trim()).toLowerCase();
  const dot = id.indexOf('.');
  if (dot <= 0 || !id.slice(dot + 1).includes('.')) return null;
  return `${id.slice(0, dot)}@${id.slice(dot + 1)}`;
}

const ROBOT_SUFFIXES = ['-owner@', '-request@', '-bounces@', '-bounce@'];

/**
 * "owner-<list>@host" or "<list>-owner|request|bounce(s)@host" → "<list>@host", else null. By index,
 * with what /^(?:owner-(.+)|(.+)-(?:owner|request|bounces?))@(.+)$/ matched (its greedy groups
 * take the last '@' and the last suffix), without its quadratic backtracking on "owner-@a@a@…".
 */
function robotList(sender: string): string | null {
  if (/[\n\r\u2028\u2029]/.test(sender)) return null;
  if (sender.startsWith('owner-')) {
    const at = sender.lastIndexOf('@', sender.length - 2);
    if (at >= 7) return `${sender.slice(6, at)}@${sender.slice(at + 1)}`;
  }
  for (let dash = sender.lastIndexOf('-'); dash >= 1; dash = sender.lastIndexOf('-', dash - 1)) {
    for (const suffix of ROBOT_SUFFIXES) {
      if (sender.startsWith(suffix, dash) && dash + suffix.length < sender.length) return `${sender.slice(0, dash)}@${sender.slice(dash + suffix.length)}`;
    }
  }
  return null;
}

/**
 * Lists older than RFC 2369/2919 (Majordomo, e.g. linux-mm@kvack.org) add no List-* headers but
 * set `Sender: owner-<list>@host` (Mailman 2: `<list>-bounces@host`) on every post: the list's
 * address, when the Sender is such a robot and not the author.
 */
export function listFromSender(record: MessageRecord): string | null {
  const sender = record.sender[0]?.address;
  if (!sender || sender === record.from[0]?.address) return null;
  return robotList(sender);
}

/** The posting addresses of every list seen in `records`. */
export function learnListAddresses(records: Iterable<MessageRecord>): Set<string> {
  const lists = new Set<string>();
  // The same few lists send most of a mailbox's mail: read each header value once.
  const seen = new Set<string>();
  for (const r of records) {
    const h = r.headers;
    const post = h['list-post'];
    if (post !== undefined && !seen.has(post)) {
      seen.add(post);
      const a = listPostAddress(post);
      if (a) lists.add(a);
    }
    const id = h['list-id'];
    if (id !== undefined && !seen.has(id)) {
      seen.add(id);
      const guess = listIdAddressGuess(id);
      if (guess) lists.add(guess);
    }
    if (r.sender.length) {
      const viaSender = listFromSender(r);
      if (viaSender) lists.add(viaSender);
    }
  }
  return lists;
}

/** The addresses of the list(s) a message came through (List-Post, List-Id's guess, Sender). */
export function listAddressesOf(record: MessageRecord): string[] {
  const out: string[] = [];
  const h = record.headers;
  if (h['list-post']) {
    const post = listPostAddress(h['list-post']);
    if (post) out.push(post);
  }
  if (h['list-id']) {
    const guess = listIdAddressGuess(h['list-id']);
    if (guess && !out.includes(guess)) out.push(guess);
  }
  if (record.sender.length) {
    const viaSender = listFromSender(record);
    if (viaSender && !out.includes(viaSender)) out.push(viaSender);
  }
  return out;
}

/** Whether the message came through a mailing list (List-* headers, or a list robot as Sender). */
export function isListMessage(record: MessageRecord): boolean {
  return Boolean(record.headers['list-id'] || record.headers['list-post'] || listFromSender(record));
}
