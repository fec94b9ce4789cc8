// How much of a mail the parsers read: every length taken from a stranger's mail is capped here,
// in one place, so no header or body can make the analysis slow (issue 14: a 32 KB "a@a@…" field
// froze the app) or the store big. Each cap is far above what real mail needs, with its source.
export const MAIL_LIMITS = {
  /**
   * A header block as parsed (all fields sync asks for). 2 MB References chains exist in list
   * archives; beyond 4 MB the rest of the block is not read.
   */
  headerBlockChars: 4 * 1024 * 1024,
  /** Occurrences of one header field kept (Received, Authentication-Results: a few dozen in practice). */
  headerOccurrences: 100,
  /**
   * One unfolded header value. RFC 5322 §2.1.1 caps a line at 998 octets, but folded fields are
   * longer: a To/Cc of a thousand people is ~40 KB. References keeps its tail instead (the
   * parents come last, RFC 5322 §3.6.4).
   */
  headerValueChars: 64 * 1024,
  /** Raw header values kept on a record (record.headers): enough for every classifier. */
  keptHeaderChars: 4000,
  /** A huge References chain (some lists produce megabytes) is cut to its last entries. */
  referencesKept: 200,
  /** A msg-id is one line at most (RFC 5322 §2.1.1: 998 octets); longer ones are not ids. */
  messageIdChars: 998,
  /** Addresses read from one address field (a list's To can hold thousands; none answers). */
  addressesPerField: 1000,
  /** One address with its display name, as read from an address field. */
  addressChars: 1000,
  /** A mailbox without display name: local part 64 + '@' + domain 255 (RFC 5321 §4.5.3.1.1-2). */
  mailboxChars: 320,
  /** A subject after RFC 2047 decoding. */
  subjectChars: 1000,
  /** A Date header: "Mon, 17 Nov 2025 09:13:02 +0100 (Central European Standard Time)" is 64. */
  dateHeaderChars: 256,
  /** A domain name: RFC 1035 §2.3.4 caps it at 255 octets. */
  domainChars: 255,
  /** An Authentication-Results header (RFC 8601) as parsed; real ones are below 2 KB. */
  authResultsChars: 8000,
  /** A List-Post / List-Id value (RFC 2369, RFC 2919). */
  listHeaderChars: 2000,
  /** What sync keeps of a body that is needed (main/core/imap/bodies.ts): a DSN's report, an OOO note. */
  storedBodyBytes: 32 * 1024,
  /** A body handed to the MIME reader; the parts that matter (report, note) sit at the start. */
  bodyChars: 512 * 1024,
  /** MIME nesting read (a DSN is 2-3 levels deep; mailing-list digests of forwards 5-6). */
  mimeDepth: 8,
  /** MIME parts read in one message. */
  mimeParts: 200,
  /** A DSN field value (Final-Recipient, Status): one address or code with its type. */
  dsnFieldChars: 1000,
  /** Prose of a bounce searched for failure wording and recipients: the diagnostic is on top. */
  dsnTextChars: 20_000,
  /** Text of an auto-reply searched for "away" wording and a return date: the statement is on top. */
  autoReplyTextChars: 3000,
  /** Text searched for challenge-response wording. */
  challengeTextChars: 5000,
  /** The writer's own words read for their language (language.ts): more says nothing more, and costs time. */
  languageChars: 4000,
  /** One line of them, cut before any pattern reads it (a hostile mail's one long line). */
  languageLineChars: 400,
} as const;
