// The language a mail is written in (issue 12 item 3): the writer's own words (quotes, the
// attribution line above them, a forwarded or "Original Message" block and the signature cut
// off), read by eld (Nito-ELD, an n-gram detector from npm; its "small" database).
//
// Why eld: on short business mail ("Danke!", "Sounds good", two lines of Dutch) it answered
// right where franc-min guessed Tagalog or Fula for English; tests/eval/language-corpus.test.ts
// measures it on the corpora. Its database takes ~1.5 s to load (measured on this machine), so
// it is imported on first use only, once per process.
import type { eld as Eld } from 'eld/small';
import { MAIL_LIMITS } from './limits.js';

const MAX_LANGUAGE_CHARS = MAIL_LIMITS.languageChars;
const MAX_LINE = MAIL_LIMITS.languageLineChars;

// Where the writer's own text ends: an attribution line ("On Mon, 2 Nov 2026, Pat wrote:", in the
// languages of the templates and a few more), Outlook's separator, a forwarded block, the start of
// a quoted header block. Each is tested on one line of at most MAX_LINE characters, anchored:
// linear (tests/unit/mail/language.test.ts times them on hostile lines).
const ATTRIBUTION = /^(?:on|am|le|el|il|em|op|den|dne|w dniu)\b[^\n]{0,300}(?:wrote|schrieb|a écrit|escribió|ha scritto|scrisse|escreveu|schreef|skrev|napisał)\s*(?::\s*)?$/i;
const ATTRIBUTION_TAIL = /(?:wrote|writes|schrieb|a écrit|escribió|ha scritto|scrisse|escreveu|schreef|skrev|napisał|написал|написала)[ \u00a0]?:\s*$/i;
/** The first line of an attribution wrapped over two ("On Mon, 14 Feb 2011, Catalin Marinas" / "<c@x> wrote:"). */
const ATTRIBUTION_HEAD = /^(?:on|am|le|el|il|em|op|den)\b/i;
const SEPARATOR = /^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|forwarded message|weitergeleitete nachricht)\s*-{2,}\s*$/i;
const HEADER_BLOCK = /^\s*(?:from|von|de|da|van|od):\s*\S/i;

/** The writer's own words of a text body: up to the first quote, attribution or signature. */
export function ownWords(text: string | null | undefined): string {
  if (typeof text !== 'string' || !text) return '';
  const out: string[] = [];
  let size = 0;
  const lines = text.slice(0, MAX_LANGUAGE_CHARS * 4).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].length > MAX_LINE ? lines[i].slice(0, MAX_LINE) : lines[i];
    if (line === '-- ' || line === '--') break; // RFC 3676 §4.3: the signature separator
    if (line.startsWith('>')) {
      // The line before a quote (blank lines between allowed) ending in "wrote:" is its
      // attribution, in any of these languages; a client may have wrapped it over two lines.
      while (out.length && !out[out.length - 1].trim()) out.pop();
      if (out.length && ATTRIBUTION_TAIL.test(out[out.length - 1])) {
        const tail = out.pop()!;
        if (!ATTRIBUTION_HEAD.test(tail) && out.length && ATTRIBUTION_HEAD.test(out[out.length - 1])) out.pop();
      }
      break;
    }
    if (ATTRIBUTION.test(line) || SEPARATOR.test(line)) break;
    // "From: …" right after an empty line starts a quoted header block (Outlook's reply).
    if (HEADER_BLOCK.test(line) && (i === 0 || lines[i - 1].trim() === '') && out.length) break;
    out.push(line);
    size += line.length + 1;
    if (size >= MAX_LANGUAGE_CHARS) break;
  }
  return out.join('\n').trim();
}

export interface LanguageGuess {
  /** ISO 639-1 ("de"), or null when the text says too little. */
  language: string | null;
  /** eld's own judgement: enough n-grams and a clear lead over the next language. */
  reliable: boolean;
}

let detector: Promise<typeof Eld> | null = null;

/** eld, loaded once (its database is large; see the top of this file). */
function loadDetector(): Promise<typeof Eld> {
  detector ??= import('eld/small').then((m) => m.eld);
  return detector;
}

/** Start loading the detector now (the app does it at start, so the first preview is quick). */
export function preloadLanguageDetector(): void {
  void loadDetector().catch(() => undefined);
}

/** The language of a text as it is (call ownWords first for a mail body). */
export async function detectLanguage(text: string): Promise<LanguageGuess> {
  const sample = typeof text === 'string' ? text.slice(0, MAX_LANGUAGE_CHARS) : '';
  // Letters are what a detector reads: a signature of numbers and links says nothing.
  if (!/\p{L}{2}/u.test(sample)) return { language: null, reliable: false };
  const eld = await loadDetector();
  const result = eld.detect(sample);
  return { language: result.language || null, reliable: !!result.language && result.isReliable() };
}
