// Records held compactly: what many records repeat is kept once. An account's mail names the same
// few thousand people, folders, flags and list headers over and over, and a Message-ID comes back
// in the References of every reply; JSON.parse makes a new string and a new address object for
// each. Measured on the bench's store (100k messages, 72 MB log): the loaded records took
// 133 MB of heap; sharing them here takes it to the figure in docs/ARCHITECTURE.md.
// Records stay read-only (MessageLog.all): a shared address or flag list is never changed in
// place, only replaced (every writer spreads a record into a new one).
import type { Address, MessageLocation, MessageRecord } from '../model.js';

const ADDRESS_FIELDS = ['from', 'sender', 'replyTo', 'to', 'cc', 'bcc'] as const;

/** Longer values are seldom repeated (and a pool of them would cost more than it saves). */
const MAX_POOLED_CHARS = 256;

export class InternPool {
  private readonly strings = new Map<string, string>();
  private readonly addresses = new Map<string, Address>();
  private readonly flagLists = new Map<string, string[]>();

  /** The pooled copy of `s` (anything not a string, as it is: a hand-edited record). */
  string<T>(s: T): T {
    if (typeof s !== 'string' || s.length > MAX_POOLED_CHARS) return s;
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit as T;
    this.strings.set(s, s);
    return s;
  }

  private address(a: Address): Address {
    if (!a || typeof a.address !== 'string' || typeof a.name !== 'string') return a;
    const key = `${a.name}\u0000${a.address}`;
    const hit = this.addresses.get(key);
    if (hit) return hit;
    const shared = { name: this.string(a.name), address: this.string(a.address) };
    this.addresses.set(key, shared);
    return shared;
  }

  private addressList(list: Address[]): void {
    for (let i = 0; i < list.length; i++) list[i] = this.address(list[i]);
  }

  private flags(flags: string[]): string[] {
    if (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string')) return flags;
    const key = flags.join('\u0000');
    const hit = this.flagLists.get(key);
    if (hit) return hit;
    const shared = flags.map((f) => this.string(f));
    this.flagLists.set(key, shared);
    return shared;
  }

  /** The record with its repeated parts shared (changed in place: it was just parsed). */
  record(r: MessageRecord): MessageRecord {
    if (typeof r.account === 'string') r.account = this.string(r.account);
    if (typeof r.messageId === 'string') r.messageId = this.string(r.messageId);
    if (typeof r.inReplyTo === 'string') r.inReplyTo = this.string(r.inReplyTo);
    if (Array.isArray(r.references)) for (let i = 0; i < r.references.length; i++) r.references[i] = this.string(r.references[i]);
    if (Array.isArray(r.locations)) {
      for (const l of r.locations as MessageLocation[]) {
        if (!l || typeof l !== 'object') continue;
        l.folder = this.string(l.folder);
        l.flags = this.flags(l.flags);
      }
    }
    if (typeof r.subject === 'string') r.subject = this.string(r.subject);
    for (const k of ADDRESS_FIELDS) if (Array.isArray(r[k])) this.addressList(r[k]);
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') (r.headers as Record<string, string>)[k] = this.string(v);
    }
    return r;
  }
}
