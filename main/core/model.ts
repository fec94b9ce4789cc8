// The shapes of what the app keeps: accounts, folders and message records. Everything the analysis
// reads comes from here, so these shapes are the contract between sync (writer) and the features
// (readers), and part of the API contract (api.ts). Types and a header list only: the bottom layer.
// Records are kept small on purpose: nedb holds them all in memory and appends a full copy of a
// document on every update (see ARCHITECTURE.md, "Known pitfalls").

/** An e-mail address with its display name. `address` is always lower case. */
export interface Address {
  name: string;
  address: string;
}

export type FolderRole = 'inbox' | 'sent' | 'junk' | 'archive' | 'all' | 'trash' | 'drafts' | 'other';

/** Where the role of a folder came from: the server, its name, or the user. */
export type RoleSource = 'special-use' | 'name' | 'user' | 'none';

export type Security = 'tls' | 'starttls' | 'none';

/** A local business window, as stored with a contact, a setting or a queued follow-up. */
export interface BusinessHours {
  /** 'HH:MM', local time, inclusive. */
  start: string;
  /** 'HH:MM' (up to '24:00'), local time, exclusive. */
  end: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  security: Security;
  /** Login name; for SMTP defaults to the IMAP user. */
  user: string;
}

/** The OAuth2 providers the app can sign in with (auth/providers.ts holds their endpoints). */
export type OAuthProviderId = 'google' | 'microsoft';

/**
 * How an account signs in to its servers. Absent means a password (every account saved before
 * OAuth2 came). The OAuth2 client is saved with the account: a refresh token is bound to the
 * client that obtained it. The refresh token itself is never here: only in the token vault
 * (auth/vault.ts), sealed by the OS keychain in the desktop app.
 */
export type AccountAuth =
  | { method: 'password' }
  | {
      method: 'oauth2';
      provider: OAuthProviderId;
      clientId: string;
      /** Google's "Desktop app" clients have a secret that RFC 8252 §8.5 and Google itself treat
       *  as public (it ships inside every copy of an app); Microsoft's public clients have none. */
      clientSecret?: string;
    };

/** The provider refused the saved sign-in (invalid_grant): the account waits for a new one. */
export interface SignInRequired {
  since: string;
  /** The provider's words, e.g. "invalid_grant: Token has been expired or revoked." */
  reason: string;
  /** A short hash of the refresh token that was refused: a different one (a new sign-in, a new
   *  TRIAGE_OAUTH_TOKEN_<NAME>) is tried again; the same one is not sent again. */
  token: string;
}

export interface AccountConfig {
  /** The account's name as the user gave it; unique, used in file names and the CLI. */
  name: string;
  imap: ServerConfig;
  smtp?: ServerConfig;
  /** All of the user's own addresses for this account, lower case (aliases included). */
  addresses: string[];
  /** The user's own IANA time zone for this account (fallback for recipients). */
  timeZone?: string;
  /** The user's country (ISO 3166 alpha-2), fallback for holidays. */
  country?: string;
  /** Folder roles the user set by hand. They win over the server's. (A list, not a map: folder
   *  paths contain dots, which nedb refuses in field names.) */
  roleOverrides?: { path: string; role: FolderRole }[];
  /** The bundled sample mailbox: there is no server behind it. */
  demo?: boolean;
  /** How it signs in; absent: a password. */
  auth?: AccountAuth;
  /** Set while the provider refuses the saved sign-in: sync pauses, follow-ups wait. */
  signInRequired?: SignInRequired;
  /** The follow-up sender's witness address when the login is not an address, as a delivery
   *  probe found it (followup/witness.ts); remembered so the probe runs once. */
  witness?: WitnessCheck;
  createdAt: string;
}

/** What a delivery probe found: an address that reached this mailbox, or null and why not. */
export interface WitnessCheck {
  address: string | null;
  /** ISO time of the probe. */
  checkedAt: string;
  note?: string;
}

/** One place a message sits on the server: one server copy, (folder, UID). */
export interface MessageLocation {
  folder: string;
  uid: number;
  flags: string[];
  /**
   * Joined to its record by Message-ID alone, by a version that did not compare copies: sync
   * reads this copy's headers again and moves it to the record it really matches. (Every
   * location of a record without `digest` counts as unverified too.)
   */
  unverified?: true;
}

/**
 * The spam and phishing verdicts a provider writes on incoming mail, read to judge Junk mail
 * (mail/provider-verdict.ts): Microsoft 365's X-Forefront-Antispam-Report (CAT, SFTY, SCL) and
 * X-Microsoft-Antispam (BCL), SpamAssassin's X-Spam-Status / X-Spam-Score, Fastmail's
 * X-Spam-known-sender. Sync fetches them in the Junk folder only: each extra header costs the
 * IMAP client parse time on every message (ARCHITECTURE.md: 4 → 9 headers took a 100k FETCH
 * from ~4.5 s to 11-15 s), and only Junk verdicts read them.
 */
export const JUNK_VERDICT_HEADERS = ['x-forefront-antispam-report', 'x-microsoft-antispam', 'x-spam-status', 'x-spam-score', 'x-spam-known-sender'] as const;
export type JunkVerdictHeader = (typeof JUNK_VERDICT_HEADERS)[number];

/**
 * Header names the sync keeps (lower case). Values are unfolded; a header that occurs more than
 * once (Authentication-Results, Received-SPF) has its values joined by '\n', topmost first.
 */
export const KEPT_HEADERS = [
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'auto-submitted',
  'x-autoreply',
  'x-autorespond',
  'precedence',
  'x-auto-response-suppress',
  'list-id',
  'list-post',
  'list-unsubscribe',
  'authentication-results',
  'received-spf',
  'reply-to',
  'content-type',
  ...JUNK_VERDICT_HEADERS,
] as const;
export type KeptHeader = (typeof KEPT_HEADERS)[number];

/**
 * The metadata of one message of an account. A record is one Message-ID *and* one copy digest:
 * server copies with the same Message-ID and the same From, Subject, Date and
 * Authentication-Results are one message with several locations (Gmail's All Mail and labels);
 * copies that differ in any of these are separate records (a forgery reusing a genuine mail's
 * Message-ID is judged by its own headers).
 */
export interface MessageRecord {
  /**
   * Local id, short enough to type in the CLI: localId(account, Message-ID) for the first record
   * of a Message-ID (so ids stay what they were for the common case), a variant derived from the
   * digest for a second, different message under the same Message-ID (mail/record.ts).
   */
  _id: string;
  account: string;
  /**
   * Message-ID without angle brackets. Mail without one gets a synthetic id derived from its
   * Date, From and Subject (so the copies in Gmail's All Mail still merge), ending in
   * '@no-message-id.inbox-triage'.
   */
  messageId: string;
  /** Every folder the message is in (Gmail's All Mail holds a copy of everything). */
  locations: MessageLocation[];
  /**
   * Digest of the copy's raw From, Subject, Date and Authentication-Results headers (copyDigest
   * in mail/record.ts). Undefined in records written before copies were told apart: sync checks
   * their copies again (see MessageLocation.unverified).
   */
  digest?: string;
  /** INTERNALDATE (arrival on the server), ISO-8601 UTC. */
  internalDate: string;
  /** The Date header parsed, ISO-8601 UTC; null when missing or bogus. */
  date: string | null;
  /** The raw Date header: its offset (-0500) tells the sender's zone. */
  dateHeader: string | null;
  subject: string;
  from: Address[];
  sender: Address[];
  replyTo: Address[];
  to: Address[];
  cc: Address[];
  bcc: Address[];
  /** In-Reply-To without angle brackets, or null. */
  inReplyTo: string | null;
  /** References without angle brackets, oldest first (capped at the last 200). */
  references: string[];
  /** Kept headers that are present (see KEPT_HEADERS), except those with their own field. */
  headers: Partial<Record<KeptHeader, string>>;
  /** RFC822.SIZE */
  size: number;
  /** Problems met while reading it (bogus date, broken header...); the message is still kept. */
  problems?: string[];
  /**
   * The first bytes of the source, only for the few messages whose headers are not enough
   * (bounces, auto-replies: see main/core/imap/bodies.ts). Undefined: not fetched yet.
   */
  bodyText?: string;
  /**
   * Why the text could not be fetched from one location (the server refused it, or returned
   * nothing). That location is not asked again; another location of the record is.
   */
  bodyError?: BodyError;
}

/** A failed body fetch, tied to the location it was asked from. */
export interface BodyError {
  folder: string;
  uid: number;
  /** The server's words, or what was missing. */
  reason: string;
  /** ISO-8601 UTC. */
  at: string;
}

/** Sync state of one folder of one account. */
export interface FolderState {
  /** `${account}\u0000${path}` */
  _id: string;
  account: string;
  path: string;
  name: string;
  delimiter: string;
  role: FolderRole;
  roleSource: RoleSource;
  specialUse: string | null;
  /** Whether sync copies this folder (the role folders by default). */
  synced: boolean;
  uidValidity: string | null;
  /** Highest UID copied; everything at or below it is in the store. */
  lastUid: number;
  /** HIGHESTMODSEQ as a decimal string (imapflow gives a bigint). */
  highestModseq: string | null;
  /** UIDNEXT and message count the server reported at the last sync (the no-change check). */
  uidNext?: number | null;
  serverMessages?: number | null;
  /** Messages of this folder in the store. */
  messages: number;
  lastSyncAt: string | null;
  lastError?: string | null;
  /**
   * The needsBody rules (BODY_RULES, mail/autoreply.ts) under which every record of this folder
   * that needs its text got it or a recorded refusal. Anything else (absent in a store of an
   * older version, null after new copies were stored): the next sync looks for records still
   * without their text. Equal everywhere: a sync that changed nothing does not look.
   */
  bodyRules?: number | null;
  /**
   * No copy in this folder waits to be read again (MessageLocation.unverified): set by a sync
   * that looked, so a sync finding the folder unchanged need not load the message log. Absent in
   * a store of an older version: the next sync looks once.
   */
  copiesChecked?: boolean;
}
