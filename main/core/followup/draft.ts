// What every follow-up of one sent mail shares (recipients, sender, thread headers, the contact,
// the quoted original), and a queue entry made from it.
import type { FollowUpLanguage, LanguageChoice } from '../api.js';
import type { Address, MessageRecord } from '../model.js';
import type { Mailbox } from '../store/index.js';
import { ownAddresses } from '../store/index.js';
import { TriageError } from '../errors.js';
import { isOwnAddress } from '../mail/index.js';
import { settingsSignOffName } from '../settings/index.js';
import type { BestSendTime } from '../contacts/index.js';
import type { FollowUpDeps } from './deps.js';
import { followUpText, newMessageId, threadHeaders, type ThreadHeaders } from './compose.js';
import { contactContext, type ContactContext } from './contact-context.js';
import type { ConversationState } from './conversation-state.js';
import { conversationLanguage } from './language.js';
import { conversationTexts, languageSources } from './texts.js';
import { newQueueId, type FollowUp } from './queue.js';

export interface Draft {
  account: string;
  target: MessageRecord;
  conversationKey: string;
  recipient: string;
  from: Address;
  to: string[];
  cc: string[];
  /** The same with the display names the original carried. */
  toNamed: Address[];
  ccNamed: Address[];
  headers: ThreadHeaders;
  contact: ContactContext;
  /** The sample mailbox: what is queued never leaves the machine. */
  demo: boolean;
  outOfOfficeUntil: string | null;
  /** The conversation's language (the user's pick, else detected): what the text is written in. */
  language: () => Promise<LanguageChoice>;
  /** The text for a template step (1 first, 2 second, 3 last); `custom`: the Settings template may
   *  be used (when it is written in the conversation's language: language.ts). */
  text: (step: number, custom: boolean) => Promise<string>;
}

export async function draftFollowUp(
  deps: Pick<FollowUpDeps, 'store' | 'secrets' | 'log' | 'defaultTimeZone'>,
  input: { mailbox: Mailbox; target: MessageRecord; state: ConversationState; now: Date; lang?: FollowUpLanguage | null },
): Promise<Draft> {
  const { mailbox, target, state, now } = input;
  const account = mailbox.account;
  const own = ownAddresses(account);
  const others = (list: Address[]) => list.filter((a) => !isOwnAddress(a.address, own));
  const toAddrs = others(target.to);
  const ccAddrs = others(target.cc).filter((c) => !toAddrs.some((t) => t.address === c.address));
  const recipient = toAddrs[0] ?? ccAddrs[0] ?? others(target.bcc)[0];
  if (!recipient) throw new TriageError('bad-input', `"${target.subject}" has no recipient other than you.`);
  const toNamed = toAddrs.length ? toAddrs : [recipient];
  const to = toNamed.map((a) => a.address);
  const contact = await contactContext({ store: deps.store, mailbox, address: recipient.address, now, defaultTimeZone: deps.defaultTimeZone });
  const fromAddress = target.from[0]?.address && isOwnAddress(target.from[0].address, own) ? target.from[0].address : account.addresses[0];
  const from: Address = { address: fromAddress, name: displayName(mailbox, fromAddress) };
  // Signed with the name set in Settings, else the one the user's own sent mail shows.
  const signOffName = (await settingsSignOffName(deps.store)) ?? from.name;
  // One fetch for the quote and the mails the language is read from (texts.ts), when first needed.
  const sources = languageSources({ mailbox, target, state, contact: recipient.address, own });
  let texts: ReturnType<typeof conversationTexts> | null = null;
  const fetched = () => (texts ??= conversationTexts(deps, mailbox, target, [...sources.contact, ...sources.user]));
  let language: Promise<LanguageChoice> | null = null;
  const languageOf = () =>
    (language ??= fetched().then((t) =>
      conversationLanguage({
        chosen: input.lang ?? null,
        contactTexts: sources.contact.map((r) => t.texts.get(r._id) ?? '').filter(Boolean),
        userTexts: [t.quote ?? '', ...sources.user.map((r) => t.texts.get(r._id) ?? '')].filter(Boolean),
      }),
    ));
  const text = async (step: number, custom: boolean) => {
    const lang = await languageOf();
    return followUpText({
      step,
      template: custom ? await templateIn(contact.template, lang.code) : null,
      language: lang.code,
      recipient,
      original: target,
      originalText: (await fetched()).quote,
      userTimeZone: contact.userZone,
      signOffName,
    });
  };
  return {
    account: account.name,
    target,
    conversationKey: state.key,
    recipient: recipient.address,
    from,
    to,
    cc: ccAddrs.map((a) => a.address),
    toNamed,
    ccNamed: ccAddrs,
    headers: threadHeaders(target),
    contact,
    demo: account.demo === true,
    outOfOfficeUntil: state.unanswered?.outOfOfficeUntil ?? null,
    language: languageOf,
    text,
  };
}

/** A queue entry for one step of the draft, due at `at`. */
export function entryFrom(
  draft: Draft,
  input: { step: number; at: BestSendTime; reason: string; text: string; now: Date; plan?: { id: string; size: number; gapDays: number }; holdUntil?: Date | null; language?: FollowUpLanguage },
): FollowUp {
  const id = newQueueId();
  const stamp = input.now.toISOString();
  const c = draft.contact;
  return {
    _id: id,
    id,
    account: draft.account,
    originalId: draft.target._id,
    originalMessageId: draft.target.messageId,
    conversationKey: draft.conversationKey,
    recipient: draft.recipient,
    from: draft.from,
    to: draft.to,
    cc: draft.cc,
    toNamed: draft.toNamed,
    ccNamed: draft.ccNamed,
    subject: draft.headers.subject,
    text: input.text,
    messageId: newMessageId(draft.from.address),
    inReplyTo: draft.headers.inReplyTo,
    references: draft.headers.references,
    scheduledAt: input.at.local,
    scheduledReason: input.reason,
    scheduledRule: input.at.rule,
    recipientTimeZone: input.at.timeZone,
    timeZoneSource: c.source,
    country: c.country,
    hours: c.hours,
    status: 'scheduled',
    attempts: 0,
    rev: 0,
    createdAt: stamp,
    updatedAt: stamp,
    step: input.step,
    planId: input.plan?.id ?? null,
    ...(input.holdUntil ? { holdUntil: input.holdUntil.toISOString() } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(draft.demo ? { demo: true } : {}),
    ...(input.plan ? { planSize: input.plan.size, planGapDays: input.plan.gapDays } : {}),
  };
}

/** The user's display name as their own Sent mail shows it (latest first); '' when unknown. */
function displayName(mailbox: Mailbox, address: string): string {
  let best: MessageRecord | null = null;
  for (const r of mailbox.messages) {
    const f = r.from[0];
    if (!f || f.address !== address || !f.name.trim() || f.name.trim().toLowerCase() === address) continue;
    if (!best || (r.date ?? r.internalDate) > (best.date ?? best.internalDate)) best = r;
  }
  return best?.from[0].name.trim() ?? '';
}

/**
 * The Settings template, when it is written in the follow-up's language (it is the user's own
 * words, in one language); else null, and the built-in text of that language is used.
 */
async function templateIn(template: string | null, language: FollowUpLanguage): Promise<string | null> {
  if (!template) return null;
  const words = template.replace(/\{[a-zA-Z]+\}/g, ' ');
  const guess = await conversationLanguage({ contactTexts: [], userTexts: [words] });
  // Too short to tell: conversationLanguage's default, English, the language of the built-in texts it replaces.
  return guess.code === language ? template : null;
}
