// The language of a conversation, for its follow-up (issue 12 item 3): what the contact wrote
// decides first (their own words, quotes cut off), then what the user wrote in it; English when
// neither says anything, or says a language without templates. The user's pick wins over both.
import { FOLLOW_UP_LANGUAGES, type FollowUpLanguage, type LanguageChoice } from '../api.js';
import { detectLanguage, ownWords } from '../mail/index.js';

/** Enough text to decide on; more only costs time. */
const SAMPLE_CHARS = 1500;

const NAMES = new Map(FOLLOW_UP_LANGUAGES.map((l) => [l.code as string, l.name]));
const displayName = (code: string) => NAMES.get(code) ?? new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code;

export function isFollowUpLanguage(code: unknown): code is FollowUpLanguage {
  return typeof code === 'string' && NAMES.has(code);
}

export interface ConversationLanguageInput {
  /** The contact's mails, newest first (whole text bodies: quotes are cut here). */
  contactTexts: string[];
  /** The user's mails in the conversation, newest first. */
  userTexts: string[];
  /** The user's pick, if any. */
  chosen?: FollowUpLanguage | null;
}

interface Reading {
  language: string | null;
  reliable: boolean;
  mails: number;
}

async function read(texts: string[]): Promise<Reading> {
  let sample = '';
  let mails = 0;
  for (const t of texts) {
    const own = ownWords(t);
    if (!own) continue;
    sample += `${own}\n`;
    mails++;
    if (sample.length >= SAMPLE_CHARS) break;
  }
  if (!sample.trim()) return { language: null, reliable: false, mails: 0 };
  return { ...(await detectLanguage(sample)), mails };
}

const mailsWord = (n: number, whose: string) => (n === 1 ? `${whose} mail` : `${whose} ${n} mails`);

export async function conversationLanguage(input: ConversationLanguageInput): Promise<LanguageChoice> {
  if (input.chosen) {
    return { code: input.chosen, source: 'chosen', detected: null, reason: `you chose ${displayName(input.chosen)}` };
  }
  const contact = await read(input.contactTexts);
  // Their own mail, when it reads clearly as a template language.
  if (contact.reliable && isFollowUpLanguage(contact.language)) {
    return { code: contact.language, source: 'contact', detected: contact.language, reason: `${mailsWord(contact.mails, 'their')} read${contact.mails === 1 ? 's' : ''} as ${displayName(contact.language)}` };
  }
  const user = await read(input.userTexts);
  const theirs = contact.language && !isFollowUpLanguage(contact.language) ? `their mail reads as ${displayName(contact.language)}, which has no template; ` : '';
  if (user.reliable && isFollowUpLanguage(user.language)) {
    return { code: user.language, source: 'user', detected: user.language, reason: `${theirs}${mailsWord(user.mails, 'your')} in the conversation read${user.mails === 1 ? 's' : ''} as ${displayName(user.language)}` };
  }
  // Short texts ("Danke!") give a guess without eld's confidence: theirs before the user's.
  for (const [r, source, whose] of [[contact, 'contact', 'their'], [user, 'user', 'your']] as const) {
    if (isFollowUpLanguage(r.language)) {
      return { code: r.language, source, detected: r.language, reason: `${mailsWord(r.mails, whose)} probably read${r.mails === 1 ? 's' : ''} as ${displayName(r.language)} (little text to go by)` };
    }
  }
  const found = contact.language ?? user.language;
  return {
    code: 'en',
    source: 'default',
    detected: found,
    reason: found ? `the conversation reads as ${displayName(found)}, which has no template: English` : 'no text to tell the language by: English',
  };
}
