// The texts a follow-up is written from: the original (quoted below the nudge) and the mails the
// conversation's language is read from (language.ts). Fetched together, in one IMAP session, only
// when a text is first needed; the sample mailbox reads its bundled sources instead.
import type { MessageRecord } from '../model.js';
import type { Mailbox } from '../store/index.js';
import { roleMap } from '../store/index.js';
import { isOwnAddress, readBody } from '../mail/index.js';
import { fetchSourceHeads, fetchText, withImap } from '../imap/index.js';
import { demoSources, isDemoAccount } from '../demo/index.js';
import type { FollowUpDeps } from './deps.js';
import { bestLocation } from './compose.js';
import type { ConversationState } from './conversation-state.js';

/** Mails read for the language, per side: the newest few say enough. */
const LANGUAGE_MAILS = 3;
/** The first part of a source holds the text of a mail worth reading for its language. */
const LANGUAGE_SOURCE_BYTES = 64 * 1024;

const newestFirst = (a: MessageRecord, b: MessageRecord) => (b.date ?? b.internalDate).localeCompare(a.date ?? a.internalDate);

/**
 * Whose mails tell the language: the contact's own in this conversation, else their latest
 * anywhere (outside Junk, where their address may be forged); and the user's other mails in the
 * conversation (the one followed up is the quote, read anyway).
 */
export function languageSources(input: { mailbox: Mailbox; target: MessageRecord; state: ConversationState; contact: string; own: ReadonlySet<string> }): {
  contact: MessageRecord[];
  user: MessageRecord[];
} {
  const { mailbox, target, state, contact, own } = input;
  const roles = roleMap(mailbox);
  const outsideJunk = (r: MessageRecord) => r.locations.some((l) => roles.get(l.folder) !== 'junk');
  const theirs = mailbox.messages.filter((r) => r.from[0]?.address === contact && outsideJunk(r));
  const inThread = theirs.filter((r) => state.messageIds.has(r.messageId));
  const mine = mailbox.messages.filter((r) => r !== target && state.messageIds.has(r.messageId) && !!r.from[0] && isOwnAddress(r.from[0].address, own));
  return {
    contact: (inThread.length ? inThread : theirs).sort(newestFirst).slice(0, LANGUAGE_MAILS),
    user: mine.sort(newestFirst).slice(0, LANGUAGE_MAILS - 1),
  };
}

export interface ConversationTexts {
  /** The original's text for the quote; null (its subject stands in) when it could not be read. */
  quote: string | null;
  /** Text bodies by record id (those that could be read). */
  texts: Map<string, string>;
}

export async function conversationTexts(deps: Pick<FollowUpDeps, 'store' | 'secrets' | 'log'>, mailbox: Mailbox, target: MessageRecord, others: MessageRecord[]): Promise<ConversationTexts> {
  const texts = new Map<string, string>();
  if (isDemoAccount(mailbox.account)) {
    const sources = await demoSources(deps.store);
    for (const r of others) {
      const src = sources.get(r._id);
      if (src) texts.set(r._id, readBody(src).text);
    }
    const own = sources.get(target._id);
    return { quote: own ? readBody(own).text.trim() || null : null, texts };
  }
  const where = bestLocation(target, roleMap(mailbox));
  const wanted = others.filter((r) => r.locations.length);
  if (!where && !wanted.length) return { quote: null, texts };
  try {
    return await withImap({ account: mailbox.account, secrets: deps.secrets }, async (client) => {
      const quote = where ? await fetchText(client, where, target.size) : null;
      if (wanted.length) {
        try {
          for (const [id, src] of await fetchSourceHeads(client, wanted, LANGUAGE_SOURCE_BYTES)) texts.set(id, readBody(src).text);
        } catch (e) {
          deps.log.warn(`could not read the conversation's other mails for its language (${(e as Error).message}); the original alone decides.`);
        }
      }
      return { quote, texts };
    });
  } catch (e) {
    deps.log.warn(`could not fetch the text of "${target.subject}" to quote it (${(e as Error).message}); quoting its subject only.`);
    return { quote: null, texts };
  }
}
