// Subject normalisation for the threading fallback. Subjects arrive RFC 2047-decoded (record.ts).

/**
 * Reply and forward prefixes as clients write them, by language: Re/AW (German Outlook)/SV
 * (Nordic)/VS (Finnish)/Antw (Dutch)/Réf (French)/R, RIF (Italian)/RV, RES (Spanish, Portuguese)/
 * Odp (Polish)/YNT (Turkish)/ΑΠ, ΣΧΕΤ (Greek)/回复, 答复, 回覆 (Chinese)/返信 (Japanese); forwards:
 * Fwd/Fw/WG (German)/TR (French)/ENC (Portuguese)/VL (Finnish)/PD (Polish)/Doorst (Dutch)/转发/転送.
 */
const REPLY_FORWARD =
  're|aw|sv|vs|antw|antwort|r[ée]f|ref|rif|r|rv|res|odp|ynt|απ|σχετ|回复|答复|回覆|返信|' +
  'fwd?|wg|tr|enc|vl|pd|doorst|i|转发|轉寄|転送';

/**
 * Prefixes put in front of the original subject by automatic messages (auto-replies, DSNs, read
 * receipts) and by calendar replies. Stripped for the conversation key only, so these messages
 * land in the conversation of the mail they are about.
 */
const AUTOMATIC =
  'automatic reply|auto[- ]?reply|auto[- ]?response|autoreply|auto|out of (?:the )?office(?: auto ?reply)?|' +
  'abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|respuesta autom[áa]tica|autosvar|' +
  'automatisch antwoord|risposta automatica|automaattinen vastaus|automatyczna odpowied[źz]|自动回复|自動回覆|自動応答|' +
  'undeliverable|undelivered|unzustellbar|non remis|non recapitabile|no se puede entregar|onbestelbaar|' +
  'returned mail|delivery (?:status notification )?(?:failure|delayed)|' +
  'read|not read|gelesen|nicht gelesen|lu|non lu|le[íi]do|gelezen|l[äa]st|' +
  'accepted|declined|tentative|tentatively accepted|zugesagt|abgelehnt|mit vorbehalt|vorl[äa]ufig zugesagt|' +
  'accept[ée]|refus[ée]|provisoire|aceptado|rechazado|provisional|new time proposed|neuer zeitvorschlag';

// One prefix: a reply/forward word with an optional counter ("Re[2]:", "Re^3:", "AW(2):"), or an
// automatic prefix, then a colon (ASCII or full width, French spacing allowed).
const PREFIX_RE = new RegExp(
  `^\\s*(?:(?:${REPLY_FORWARD})\\.?\\s*(?:(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)\\s*)?[:：]|(?:${AUTOMATIC})\\s*[:：]|\\[\\s*automatyczna odpowied[źz]\\s*\\])`,
  'iu',
);
/** A list or ticket tag: "[notmuch]", "[PATCH 2/3]", "【重要】". Not a sign of a reply by itself. */
const TAG_RE = /^\s*(?:\[[^\]]{0,80}\]|【[^】]{0,80}】)/u;

/**
 * Where a trailing "(fwd)" and the white space around it start, or -1. By index: the pattern
 * /\s*\((?:fwd|fw)\)\s*$/ rescanned every run of white space from each of its characters.
 */
export function trailingFwdStart(subject: string): number {
  const s = subject.trimEnd();
  const tail = s.slice(-5).toLowerCase();
  const len = tail.endsWith('(fwd)') ? 5 : tail.endsWith('(fw)') ? 4 : 0;
  return len ? s.slice(0, s.length - len).trimEnd().length : -1;
}

export interface SubjectKey {
  /** What stays the same across the conversation (see normaliseSubject). */
  key: string;
  /** A reply, forward or automatic prefix was removed: the message refers to an earlier one. */
  prefixed: boolean;
}

/** The conversation key of a subject, and whether it says it is a reply. */
export function subjectKey(subject: string | null | undefined): SubjectKey {
  if (!subject) return { key: '', prefixed: false };
  // Fast path for the common subject with nothing to strip: no colon near the start (every
  // prefix ends in one), no leading tag, no "(fwd)" at the end.
  const head = subject.slice(0, 60);
  if (!head.includes(':') && !head.includes('：') && !/^\s*[[【]/.test(head) && !/\)\s*$/.test(subject)) {
    const lower = subject.length > 1000 ? subject.slice(0, 1000).toLowerCase() : subject.toLowerCase();
    return { key: /\s\s|[\t\n\r]|^\s|\s$/.test(lower) ? lower.replace(/\s+/g, ' ').trim() : lower, prefixed: false };
  }
  let s = subject.length > 1000 ? subject.slice(0, 1000) : subject;
  let prefixed = false;
  // A hostile subject could nest thousands of prefixes; each pass removes one, and the length cap
  // bounds the work.
  for (let i = 0; i < 100; i++) {
    const p = PREFIX_RE.exec(s);
    const m = p ?? TAG_RE.exec(s);
    if (!m || m[0].length === 0) break;
    if (p) prefixed = true;
    s = s.slice(m[0].length);
  }
  const fwd = trailingFwdStart(s);
  if (fwd >= 0) {
    prefixed = true;
    s = s.slice(0, fwd);
  }
  return { key: s.replace(/\s+/g, ' ').trim().toLowerCase(), prefixed };
}

/**
 * The part of a subject that stays the same across a conversation: nested reply/forward
 * prefixes in many languages, list tags ("[notmuch]"), automatic prefixes ("Automatic reply:",
 * "Undeliverable:", "Read:", "Accepted:") and "(fwd)" removed; lower case, spaces collapsed.
 */
export function normaliseSubject(subject: string | null | undefined): string {
  return subjectKey(subject).key;
}

/** Whether the subject starts with a reply or forward prefix ("Re:", "AW:", "Fwd:", ...). */
const REPLY_PREFIX_RE = new RegExp(
  `^\\s*(?:\\[[^\\]]{0,80}\\]\\s*)*(?:${REPLY_FORWARD})\\.?\\s*(?:(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)\\s*)?[:：]`,
  'iu',
);

export function hasReplyPrefix(subject: string): boolean {
  return REPLY_PREFIX_RE.test(subject);
}
