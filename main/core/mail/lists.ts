// Mailing-list addresses, learned from the list headers of the traffic the user receives.
// A list is not someone who answers: mail to a list is not "awaiting a reply".
import type { MessageRecord } from '../model.js';

/**
 * RFC 2369 §3.4: List-Post carries the posting address as a mailto: URL, or "NO" for announce
 * lists. Only the first mailto: is used; its query (?subject=...) is dropped.
 */
export function listPostAddress(value: string | undefined): string | null {
  if (!value) return null;
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
  const m = /<([^<>\s]+)>/.exec(value);
  const id = (m ? m[1] : value.trim()).toLowerCase();
  const dot = id.indexOf('.');
  if (dot <= 0 || !id.slice(dot + 1).includes('.')) return null;
  return `${id.slice(0, dot)}@${id.slice(dot + 1)}`;
}

const LIST_ROBOT_RE = /^(?:owner-(.+)|(.+)-(?:owner|request|bounces?))@(.+)$/;

/**
 * Lists older than RFC 2369/2919 (Majordomo, e.g. linux-mm@kvack.org) add no List-* headers but
 * set `Sender: owner-<list>@host` (Mailman 2: `<list>-bounces@host`) on every post: the list's
 * address, when the Sender is such a robot and not the author.
 */
export function listFromSender(record: MessageRecord): string | null {
  const sender = record.sender[0]?.address;
  if (!sender || sender === record.from[0]?.address) return null;
  const m = LIST_ROBOT_RE.exec(sender);
  if (!m) return null;
  return `${m[1] ?? m[2]}@${m[3]}`;
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
