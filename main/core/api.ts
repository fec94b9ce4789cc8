// The one service contract. The CLI, the Electron IPC handlers, the preload bridge, the renderer
// and `triage serve` all use these types; nothing else defines them.
import type { AccountConfig, Address, BusinessHours, FolderRole, OAuthProviderId, Security } from './model.js';

export type { AccountConfig, Address, BusinessHours, FolderRole, OAuthProviderId, Security };

/** An error that crosses a process boundary: a code the UI can branch on and a sentence for people. */
export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
}

export type ApiErrorCode =
  | 'auth-failed'
  | 'unreachable'
  | 'tls-mismatch'
  | 'timeout'
  | 'connection-lost'
  | 'not-found'
  | 'bad-input'
  | 'locked'
  | 'needs-force'
  | 'unavailable'
  | 'server-refused'
  /** The provider refused the saved OAuth2 sign-in (revoked, expired): sign in again. */
  | 'sign-in-required'
  /** The server accepts only OAuth2 sign-in: a password cannot work there. */
  | 'oauth-required'
  /** OAuth2 sign-in needs a client id that is not configured (offer the app-password path). */
  | 'oauth-not-configured'
  | 'internal';

/** The mailbox view the analysis works on: one account's config, folders and messages. */
export interface AccountSummary {
  name: string;
  /** The IMAP login user name (often, not always, the address). */
  user: string;
  imapHost: string;
  imapSecurity?: Security;
  imapPort?: number;
  /** The SMTP server follow-ups go through; null when the account has none. */
  smtp?: { host: string; port: number; security: Security; user: string } | null;
  addresses: string[];
  timeZone?: string;
  country?: string;
  demo?: boolean;
  // The sign-in fields: always there in listAccounts (and `account list --json`).
  /** How it signs in: a password, or OAuth2 with a provider. */
  auth?: 'password' | 'oauth2';
  /** The OAuth2 provider; null for a password account. */
  provider?: OAuthProviderId | null;
  /** OAuth2 only (null for a password account), in this process:
   *  'valid': an access token that has not expired; 'needs-refresh': none, but a refresh token
   *  that gets one at the next use; 'missing': no sign-in at hand (the CLI keeps none on disk);
   *  'sign-in-again': the provider refused the saved sign-in (sync paused, follow-ups wait). */
  tokenState?: TokenState | null;
  /** When the access token held expires (ISO), or null. */
  tokenExpiresAt?: string | null;
  /** Why the account waits for a new sign-in, in the provider's words; null otherwise. */
  signInMessage?: string | null;
}

export type TokenState = 'valid' | 'needs-refresh' | 'missing' | 'sign-in-again';

export interface FolderStatus {
  account?: string;
  name?: string;
  specialUse?: string | null;
  serverMessages?: number | null;
  path: string;
  role: FolderRole;
  roleSource: string;
  synced: boolean;
  messages: number;
  lastSyncAt: string | null;
  lastError?: string | null;
}

export interface AccountStatus {
  account: string;
  folders: FolderStatus[];
  messages: number;
  lastSyncAt: string | null;
}

export interface SyncProgress {
  account: string;
  folder: string;
  done: number;
  total: number;
  phase: 'connect' | 'list' | 'new' | 'flags' | 'verify' | 'expunge' | 'bodies' | 'done';
}

export interface FolderSyncSummary {
  folder: string;
  role: FolderRole;
  added: number;
  updated: number;
  removed: number;
  resynced: boolean;
  error?: string;
}

/** The body pass of a sync: texts of bounces and auto-replies (imap/bodies.ts). */
export interface BodySyncSummary {
  /** Texts fetched in this run. */
  fetched: number;
  /** Messages whose text the server refused or did not return: recorded, not asked again. */
  failed: number;
  /** Messages still waiting for their text (beyond this run's bound, or after an error). */
  pending: number;
  /** What went wrong, one sentence each (the server's words where it gave some). */
  errors: string[];
}

export interface SyncSummary {
  account: string;
  folders: FolderSyncSummary[];
  ms: number;
  /** Present when some message needed its text. */
  bodies?: BodySyncSummary;
  /** Set when this account could not be synced at all (others still were). */
  error?: string;
  /** The error is the "sign in again" state: the user was told when it began. */
  signInRequired?: boolean;
}

/** `triage unanswered --json`: one entry per conversation awaiting a reply. */
export interface UnansweredEntry {
  id: string;
  account: string;
  messageId: string;
  subject: string;
  to: string[];
  sentAt: string;
  status: 'awaiting' | 'bounced';
  ageHours: number;
  /** The people it waits for: the recipients minus lists, no-reply and bounced addresses. */
  awaitingFrom: string[];
  /** An out-of-office reply's return date (ISO), or null. */
  outOfOfficeUntil: string | null;
  /** Addresses a failed delivery report named (bounced entries). */
  bouncedRecipients?: string[];
  /** Messages in the conversation, and the last activity in it (either side). */
  threadSize: number;
  lastActivityAt: string;
  // ---- due dates and hints (triage/due.ts) ----
  dueAt?: string;
  dueReason?: string;
  /** dueAt has passed (never for a bounced mail). */
  due?: boolean;
  waitDays?: number;
  waitBasis?: WaitBasis;
  /** The main recipient, whose zone and hours decided, and those. */
  recipient?: string | null;
  recipientTimeZone?: string;
  recipientHours?: string;
  /** Why it may have been missed, in plain words. */
  hints?: string[];
  // ---- what the app adds (issue 15) ----
  /** The thread's root Message-ID (follow-ups of the conversation carry the same key). */
  conversationKey?: string;
  /** The conversation's follow-up still to go, else its latest sent one; null: none. */
  followUp?: FollowUpMark | null;
  /** Follow-ups of the conversation sent or still to go. */
  followUps?: number;
  /** When the user dismissed it (only in the list of dismissed mail). */
  dismissedAt?: string;
}

/** A follow-up as the Unanswered list shows it on its conversation's row. */
export interface FollowUpMark {
  id: string;
  state: FollowUpState;
  /** When it goes (ISO-8601 with the recipient's offset). */
  scheduledAt: string;
  /** When it went; null until sent. */
  sentAt: string | null;
  recipientTimeZone: string;
  /** Until then the user can take it back (the undo window); null: not held. */
  holdUntil: string | null;
}

/** Why a Junk mail is listed at all. */
export type JunkMatch =
  | 'contact' // the exact address is a known contact
  | 'organisation' // an unknown address at a company the user writes to
  | 'trusted' // the user trusts the address or its domain
  | 'own' // it claims to come from the user's own address
  | 'reply' // an unknown sender answering one of the user's mails
  | 'display-name' // only the display name (or an address in it) is a known contact's
  | 'look-alike'; // only the domain (of From or Reply-To) imitates a known one

/** `triage junk --json`: Junk mail from known contacts, or mail impersonating them. */
export interface JunkEntry {
  id: string;
  account: string;
  messageId: string;
  from: string;
  subject: string;
  receivedAt: string;
  verdict: 'rescue' | 'suspicious';
  reasons: string[];
  fromName: string;
  /**
   * The results of the topmost Authentication-Results header. When the account's own receiver
   * did not write it, only failures are shown (a pass there proves nothing).
   */
  auth: { spf: string | null; dkim: string | null; dmarc: string | null };
  /** It answers a mail the user sent (In-Reply-To / References): ranked first. */
  isReplyToUser: boolean;
  match: JunkMatch;
  /** The known contact it comes from, or the one it imitates. */
  contact: { address: string; name: string; sentTo: number; receivedFrom: number; lastSeen: string } | null;
  /** The known organisation (registrable domain) of an 'organisation' match. */
  organisation: string | null;
}

/** `triage rescue`: where the mail went. */
export interface RescueResult {
  id: string;
  account: string;
  messageId: string;
  from: string;
  folder: string;
  /** Whether the server took the $NotJunk / $Junk keywords. */
  keywords: boolean;
  note?: string;
}

/** A follow-up's exact state: the contract's four plus 'sending' (in flight, or to be settled
 *  after a crash) and 'held' (late, waiting for the user's yes). */
export type FollowUpState = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed' | 'held';

/** What decided `scheduledAt`: a window rule, the contact's best hour, or the user's own time. */
export type ScheduleRule = 'open-now' | 'before-hours' | 'after-hours' | 'weekend' | 'holiday' | 'out-of-office' | 'no-window' | 'best-hour' | 'user';

/** Where a recipient's time zone came from. */
export type TimeZoneSource = 'user' | 'date-offsets' | 'date-offsets+cctld' | 'cctld' | 'account';

/** `triage queue --json`: one follow-up (the stored entry without its raw message). */
export interface QueueEntry {
  id: string;
  account: string;
  originalMessageId: string;
  to: string[];
  /** ISO-8601 with the recipient's offset. */
  scheduledAt: string;
  recipientTimeZone: string;
  /** The contract's four values; 'sending' and 'held' are reported as 'scheduled'. */
  status: 'scheduled' | 'sent' | 'cancelled' | 'failed';
  state: FollowUpState;
  /** Record id of the mail followed up, and the thread's root Message-ID (what the cap counts by). */
  originalId: string;
  conversationKey: string;
  /** The person whose time zone decided (first To recipient). */
  recipient: string;
  from: Address;
  cc: string[];
  subject: string;
  text: string;
  /** Chosen before sending (no angle brackets): the key to exactly-once. */
  messageId: string;
  inReplyTo: string;
  references: string[];
  scheduledReason: string;
  scheduledRule: ScheduleRule;
  timeZoneSource: TimeZoneSource;
  country: string | null;
  hours: BusinessHours | null;
  statusReason?: string;
  /** Moves with every change of the entry (what the queue's compare-and-set compares). */
  rev?: number;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  sentAt?: string;
  /** A single follow-up: the conversation's n-th; a plan's step: 1..planSize. */
  step: number;
  planId: string | null;
  planSize?: number;
  /** Business days after the previous step (step 1: after the original mail). */
  planGapDays?: number;
  /** How far a send got: see followup/sender.ts. */
  phase?: 'smtp' | 'data-end' | 'accepted' | null;
  dataEndAt?: string | null;
  maybeAccepted?: boolean;
  /** Recipients the server refused while others got it. */
  refused?: string[];
  discardedMessageIds?: string[];
  witnessPending?: string | null;
  /** To and Cc with the display names the original carried ("Bob Miller <bob@…>"). */
  toNamed?: Address[];
  ccNamed?: Address[];
  /** The end of the undo window: it does not leave before then (ISO-8601); null: not held. */
  holdUntil?: string | null;
  /** The last attempt went without a witness copy: an ambiguous end of it waits for the user. */
  unwitnessed?: boolean;
  /** Failed tries in a row (a send, or handling it); what the wait before the next grows with. */
  failures?: number;
  /** Not tried again before this instant (ISO): failed sends back off (followup/retry.ts). */
  nextAttemptAt?: string | null;
  /** The server refused for good (5xx, a failed login): not retried until the user says so. */
  permanentFailure?: boolean;
  /** The language it was written in (issue 12); absent on entries queued before. */
  language?: FollowUpLanguage;
  /** Queued on the sample mailbox: it never leaves the machine. */
  demo?: boolean;
}

/** What send-due (or send now) did with one follow-up. */
export type SendDueAction = 'sent' | 'cancelled' | 'rescheduled' | 'held' | 'failed' | 'waiting' | 'deferred' | 'confirmed';

/** One line of `send-due`: the entry after the action, what happened, and in words. */
export interface SendDueResult extends QueueEntry {
  action: SendDueAction;
  actionText: string;
}

/** `queue cancel`: the entry, and for a plan step what else was cancelled or still waits. */
export interface CancelResult extends QueueEntry {
  cancelledSteps?: string[];
  planWaiting?: string[];
  inFlight?: string[];
  /** Something the user should know about the cancelled one (e.g. an earlier attempt may have got through). */
  note?: string;
}

export interface NewAccountInput {
  name: string;
  /** `user`: the login user name, which may differ from the address ("u1", "DOMAIN\\pat"). */
  imap: { host: string; port: number; security: Security; user: string };
  smtp?: { host: string; port: number; security: Security; user?: string };
  addresses?: string[];
  timeZone?: string;
  country?: string;
  /** Only through the Electron keychain or the serve process's memory; never written in plain text. */
  password?: string;
}

/**
 * A new account that signs in with OAuth2 (startSignIn). The client id and secret default to
 * TRIAGE_OAUTH_<PROVIDER>_CLIENT_ID / _CLIENT_SECRET, then Settings; the IMAP and SMTP servers to
 * the provider's (imap.gmail.com, outlook.office365.com, ...). `imap.user`: the address to sign
 * in as.
 */
export interface NewOAuthAccountInput extends Omit<NewAccountInput, 'imap' | 'password'> {
  imap: { user: string; host?: string; port?: number; security?: Security };
  oauth: { provider: OAuthProviderId; clientId?: string; clientSecret?: string };
}

// ---- sign-in with OAuth2 and honest provider checks (issue 16) ----------------------------------

/** What a server, or a provider we know, says about how to sign in (auth/presets.ts). */
export interface ProviderPreset {
  id: string;
  /** "Gmail / Google Workspace" */
  label: string;
  /** Address domains it serves (gmail.com); empty for custom domains (Microsoft 365). */
  domains: string[];
  imap: { host: string; port: number; security: Security };
  smtp: { host: string; port: number; security: Security };
  /** The OAuth2 provider it signs in with, or null. */
  oauth: OAuthProviderId | null;
  /** Whether IMAP takes a password at all, and whether it must be an app password. */
  password: 'app-password' | 'password' | 'not-accepted';
  /** Where to create an app password, or null. */
  appPasswordUrl: string | null;
  /** One or two sentences a person can act on (the 2-Step Verification it needs, dates). */
  note: string;
}

/** An OAuth2 provider as the Accounts view offers it. */
export interface OAuthProviderInfo {
  id: OAuthProviderId;
  label: string;
  /** A client id is at hand (Settings or the environment): sign-in can start. */
  configured: boolean;
  clientIdSource: 'settings' | 'environment' | null;
  /** What to do without a client id: register one (docs) or use an app password. */
  message: string;
}

/** `checkServer`: the server's login mechanisms, read before a password is asked for. */
export interface ServerCheck {
  host: string;
  port: number;
  security: Security;
  /** The SASL mechanisms it offers (AUTH=...), upper case. */
  mechanisms: string[];
  /** A password can be used: AUTH=PLAIN or AUTH=LOGIN, or LOGIN not disabled. */
  passwordLogin: boolean;
  /** It offers XOAUTH2 or OAUTHBEARER. */
  oauth2: boolean;
  /** Only OAuth2 sign-in works here (by its capabilities, or by what we know of the provider). */
  oauthOnly: boolean;
  preset: ProviderPreset | null;
  /** One sentence: what the user should do. */
  message: string;
}

/** Start a browser sign-in: for a new account, or again for an existing one. */
export type SignInRequest = { account: NewOAuthAccountInput } | { signInAgain: string };

export interface SignInStart {
  flowId: string;
  /** The provider's authorization URL (https): open it in the system browser. */
  url: string;
  /** Where the browser comes back: http://127.0.0.1:<port>/ (a one-shot listener). */
  redirectUri: string;
  provider: OAuthProviderId;
  /** The desktop app opened the system browser itself; `triage serve` leaves that to the page. */
  opened: boolean;
  /** The listener gives up at this instant (ISO). */
  expiresAt: string;
}

export interface SignInResult {
  flowId: string;
  provider: OAuthProviderId;
  account: AccountSummary;
  /** 'added': a new account; 'signed-in-again': an existing one may sync and send again. */
  outcome: 'added' | 'signed-in-again';
}

/** What the user set for a contact; in a change, null clears a field (back to inferred or default). */
export interface ContactOverrides {
  timeZone?: string;
  country?: string;
  hours?: string;
  waitDays?: number;
  trust?: 'trusted' | 'blocked';
}

export type ContactChange = { [K in keyof ContactOverrides]?: ContactOverrides[K] | null };

/** A clear active period of a contact's day (contacts/rhythm-stats.ts). */
export interface ActivePeriod {
  /** Local 'HH:MM', on a quarter-hour. */
  start: string;
  end: string;
  /** Minutes after local midnight of `start`. */
  startMinute: number;
  /** Share of their mails written inside it. */
  share: number;
  /** How many mails that share is of. */
  messages: number;
}

/** How a contact answers (contacts/rhythm.ts), in their own zone and business hours. */
export interface Rhythm {
  address: string;
  /** A known contact: the user wrote to them, answered them, or was answered. */
  known: boolean;
  /** Their display name as last seen, or null. */
  name: string | null;
  /** The user's mails they answered (by a person, not an auto-reply). */
  answered: number;
  /** Reply delays in the contact's business hours; null without replies. */
  medianReplyHours: number | null;
  p80ReplyHours: number | null;
  /** The same in business days (hours / length of their window). */
  medianReplyDays: number | null;
  p80ReplyDays: number | null;
  /** Mails they wrote themselves (the base of the shares below). */
  messages: number;
  /** Share of their mail per local weekday, Monday first (7 values). */
  weekdayShare: number[];
  /** Share of their mail per local hour, 0–23 (24 values). */
  hourShare: number[];
  activePeriod: ActivePeriod | null;
  /** ISO instant of the last mail they wrote, or null. */
  lastWroteAt: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  country: string | null;
  /** The business hours the delays were counted in. */
  hours: BusinessHours;
}

export type WaitBasis = 'user' | 'rhythm' | 'default';

/** How long a follow-up waits for this contact (contacts/wait.ts). */
export interface Wait {
  /** Business days of the recipient. */
  days: number;
  basis: WaitBasis;
  /** Why, in plain words. */
  reason: string;
}

/** `triage contact`: one contact's zone, hours, wait and rhythm, and what the user set. */
export interface ContactInfo {
  address: string;
  name: string;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  country: string | null;
  overrides: ContactOverrides;
  known: boolean;
  /** The business hours decisions use ('HH:MM-HH:MM'), and where they come from. */
  hours: string;
  hoursSource: 'user' | 'settings' | 'default';
  wait: Wait;
  rhythm: Rhythm;
}

export interface ResendOptions {
  now?: string;
  /** Queue a plan of N follow-ups (1–5), spaced by growing business-day gaps (followup/plan.ts). */
  plan?: number;
  /** Raise the per-conversation limit (default 2) for this call; every plan step counts. */
  cap?: number;
  /** Ignore the limit, a waiting follow-up and a bounce. */
  force?: boolean;
  text?: string;
  /**
   * Hold it back so the user can undo: it leaves no sooner than this many minutes from now (and
   * still only inside the recipient's window). `true`: the undo window set in Settings. The app
   * always holds; the CLI only with --hold MIN (its contract: the earliest valid instant ≥ now).
   */
  hold?: number | boolean;
  /** Write it in this language (FOLLOW_UP_LANGUAGES) instead of the conversation's (issue 12). */
  lang?: FollowUpLanguage;
}

// ---- follow-ups in the thread's language (issue 12 item 3) --------------------------------------

/** The languages follow-ups have templates in (ISO 639-1). */
export type FollowUpLanguage = 'en' | 'de' | 'fr' | 'es' | 'it' | 'pt' | 'nl';

/** Every template language with its name in English and in itself (for the picker). */
export const FOLLOW_UP_LANGUAGES: readonly { code: FollowUpLanguage; name: string; native: string }[] = [
  { code: 'en', name: 'English', native: 'English' },
  { code: 'de', name: 'German', native: 'Deutsch' },
  { code: 'fr', name: 'French', native: 'Français' },
  { code: 'es', name: 'Spanish', native: 'Español' },
  { code: 'it', name: 'Italian', native: 'Italiano' },
  { code: 'pt', name: 'Portuguese', native: 'Português' },
  { code: 'nl', name: 'Dutch', native: 'Nederlands' },
];

/** Which language a follow-up is written in, and why. */
export interface LanguageChoice {
  code: FollowUpLanguage;
  /** 'chosen': the user picked it; 'contact': their own mail reads so; 'user': the user's mail in
   *  the conversation does; 'default': nothing to tell (English). */
  source: 'chosen' | 'contact' | 'user' | 'default';
  /** What detection found (ISO 639-1, possibly a language without templates), null: nothing. */
  detected: string | null;
  /** In plain words ("their last 2 mails read as German"). */
  reason: string;
}

/** A nudge's own words (the quote below not counted): short, and asking one question. */
export interface NudgeCheck {
  words: number;
  /** More than NUDGE_MAX_WORDS words. */
  long: boolean;
  /** It asks something (a "?", "¿" or "？"): a nudge without a question is easy to leave unanswered. */
  asks: boolean;
}

/** Over this many words a nudge reads as a new mail, not a nudge (issue 12: "over ~80 words"). */
export const NUDGE_MAX_WORDS = 80;

/**
 * The editor's and the CLI's one definition of a nudge's length and question: the words above the
 * quote ("> " lines and the attribution line just before them are not the nudge's).
 */
export function checkNudge(text: string): NudgeCheck {
  const lines = String(text ?? '').split(/\r?\n/);
  const quote = lines.findIndex((l) => l.startsWith('>'));
  let own = quote < 0 ? lines : lines.slice(0, quote);
  // The attribution line ("On …, Pat wrote:") ends with a colon right above the quote.
  if (quote > 0 && own.length && /:\s*$/.test(own[own.length - 1])) own = own.slice(0, -1);
  const body = own.join('\n');
  const words = body.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return { words, long: words > NUDGE_MAX_WORDS, asks: /[?¿？]/.test(body) };
}

// ---- pictures of a contact's rhythm (issue 12 item 2) ----------------------------------------------

/** One day of the week a picture shows, on the contact's clock. */
export interface PictureDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  weekend: boolean;
  /** Public holidays of the day (their country's), by name. */
  holidays: string[];
  /** The business window's open parts, minutes after local midnight; empty on weekends and holidays. */
  open: { start: number; end: number }[];
}

/** Reply delays in bins of business time, with the median and the 80th percentile. */
export interface DelayHistogram {
  bins: { fromHours: number; toHours: number | null; label: string; count: number }[];
  /** Replies measured (the user's mails they answered). */
  replies: number;
  medianHours: number | null;
  p80Hours: number | null;
  /** Length of one of their business days in hours (8 for 09:00–17:00). */
  hoursPerDay: number;
}

/** Where a follow-up goes on the week shown. */
export interface PlannedSend {
  /** ISO-8601 with the contact's offset. */
  at: string;
  /** Index into `days` (0 = the Monday shown). */
  dayIndex: number;
  /** Minutes after their local midnight. */
  minute: number;
  /** 'queued': a follow-up in the queue; 'if-queued-now': where one queued now would go. */
  source: 'queued' | 'if-queued-now';
  followUpId: string | null;
  reason: string;
}

/** `rhythmPicture`: what the contact panel and a queued follow-up draw, computed in the core. */
export interface RhythmPicture {
  address: string;
  name: string | null;
  timeZone: string;
  country: string | null;
  /** Their business hours, 'HH:MM-HH:MM'. */
  hours: string;
  /** The week shown, Monday first, on their clock: the planned send time's week (else this week). */
  days: PictureDay[];
  /** Mails they wrote themselves, by local weekday (Monday first) × hour: 7 rows of 24. */
  wrote: number[][];
  /** Their replies to the user, by local weekday × hour of the reply: 7 rows of 24. */
  answered: number[][];
  messages: number;
  activePeriod: ActivePeriod | null;
  delays: DelayHistogram;
  planned: PlannedSend | null;
  /** The pictures in words, one sentence each (the text alternative). */
  summary: string[];
}

/** The exact mail a follow-up would be (`outgoingMail`): shown, never sent, on the sample mailbox. */
export interface OutgoingMail {
  id: string;
  /** The header fields in order, as the message carries them (RFC 2047 encoded words decoded). */
  headers: { name: string; value: string }[];
  text: string;
  /** The whole RFC 5322 message as it would go over SMTP (CRLF line ends). */
  raw: string;
  /** On the sample mailbox: nothing is ever sent. */
  demo: boolean;
}

/** What Resend would queue, shown before anything is queued: nothing is stored by a preview. */
export interface FollowUpPreview {
  account: string;
  from: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  /** The exact text that would be sent (the quote of the original included). */
  text: string;
  scheduledAt: string;
  recipientTimeZone: string;
  scheduledReason: string;
  /** The user's own zone (the account's, else the machine's). */
  userTimeZone: string;
  /** The end of the undo window it would get; null without a hold. */
  holdUntil: string | null;
  /** Follow-ups of the conversation already sent or still to go, newest first. */
  earlier: FollowUpMark[];
  /** The language it is written in, and why (issue 12). */
  language: LanguageChoice;
  /** The text's length and question (checkNudge). */
  check: NudgeCheck;
}

/** Whether "send now" would reach the recipient inside their business hours. */
export interface SendNowCheck {
  id: string;
  insideWindow: boolean;
  /** Now, on the recipient's clock (ISO-8601 with their offset). */
  theirTime: string;
  timeZone: string;
  /** Their business hours, "HH:MM–HH:MM". */
  hours: string;
  /** Why the window is closed now ("the weekend", "before 09:00"), null when open. */
  closedBecause: string | null;
  /** The next instant inside their window. */
  nextWindowAt: string;
}

/** `testConnection`: what was proved. */
export interface ConnectionTest {
  ok: true;
  /** Folders the IMAP server shows; null when only SMTP was tested. */
  folders: number | null;
  /** The SMTP check (EHLO, then AUTH with the password); null when not tested. */
  smtp: { authenticated: boolean; greeting: string } | null;
}

/** What `updateFollowUp` changes in a follow-up that has not gone yet. */
export interface FollowUpUpdate {
  /** The new text (not empty, at most 10,000 characters). */
  text?: string;
  /** When it may go (ISO-8601); outside the recipient's window it moves to the next window. */
  scheduledAt?: string;
  /** Hold it again after the change, as ResendOptions.hold: an edit is undone as a queueing is. */
  hold?: number | boolean;
}

export interface UnansweredOptions {
  now?: string;
  /** Default: the minimum age in Settings (24 h unless changed). */
  minAgeHours?: number;
  due?: boolean;
  account?: string;
  /** Only the mail the user dismissed (still unanswered), to find and restore it. */
  dismissed?: boolean;
}

/**
 * `unansweredHead`: the first rows of each group of the Unanswered list and the whole list's
 * counts, in a few kB, so the app draws its first rows before the whole list (MBs at 100k
 * messages) has come (issue 13). Entries are as `unanswered` gives them, in its order.
 */
export interface UnansweredHead {
  /** The first `limit` bounced entries, and the first `limit` awaiting ones. */
  bounced: UnansweredEntry[];
  awaiting: UnansweredEntry[];
  /** How many of each the whole list has. */
  bouncedTotal: number;
  awaitingTotal: number;
}

/** The badge numbers of the app, from the same (cached) analyses as the lists. */
export interface Counts {
  /** Conversations awaiting a reply (bounced ones not counted), and how many are due. */
  unanswered: number;
  due: number;
  bounced: number;
  /** Junk mail to rescue, and mail imitating a known contact. */
  junk: number;
  suspicious: number;
  /** Follow-ups still to go (scheduled, held or in flight). */
  queue: number;
}

/** What a change event says changed. */
export type ChangeKind = 'accounts' | 'unanswered' | 'junk' | 'queue';

export type ApiEvent =
  | { type: 'sync-progress'; progress: SyncProgress }
  | { type: 'sync-done'; summary: SyncSummary }
  /** Lists whose content changed, with the new badge numbers (no need to refetch a list for them). */
  | { type: 'changed'; what: ChangeKind[]; counts: Counts | null }
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string }
  /** A browser sign-in ended (finishSignIn gives the same result). */
  | { type: 'sign-in'; flowId: string; ok: boolean; account: string | null; message: string }
  /** The provider refused an account's saved sign-in; sent once, when it happens. */
  | { type: 'sign-in-required'; account: string; message: string }
  /** A desktop notification for `triage serve`'s page to show (the desktop app shows its own). */
  | { type: 'notification'; notification: AppNotification };

export type NotificationKind = 'sent' | 'cancelled' | 'held' | 'junk';

/** What the app tells without being asked: one per kind at a time, grouped (app/notifications.ts). */
export interface AppNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  /** How many things it stands for. */
  count: number;
  /** The follow-ups' or messages' ids. */
  ids: string[];
}

/**
 * The one service API. Every method returns a Promise (it may cross a process boundary) and
 * rejects with an ApiErrorShape-like error ({code, message}).
 */
export interface TriageApi {
  /** `check`: get an access token for each OAuth2 account now (a refresh), to know it is valid. */
  listAccounts(options?: { check?: boolean }): Promise<AccountSummary[]>;
  addAccount(input: NewAccountInput): Promise<AccountSummary>;
  removeAccount(name: string): Promise<void>;
  /** `part`: test only IMAP or only SMTP (the app shows each step); default both. */
  testConnection(input: NewAccountInput, options?: { part?: 'imap' | 'smtp' }): Promise<ConnectionTest>;
  /** Change an account (its name stays); without a password the saved one is kept. */
  updateAccount(name: string, input: NewAccountInput): Promise<AccountSummary>;
  status(): Promise<AccountStatus[]>;
  sync(options?: { account?: string }): Promise<SyncSummary[]>;
  unanswered(options?: UnansweredOptions): Promise<UnansweredEntry[]>;
  /** The first `limit` (default 100) entries of each group of `unanswered()`, and its counts. */
  unansweredHead(options?: { limit?: number }): Promise<UnansweredHead>;
  dismiss(id: string): Promise<void>;
  /** Back into the list: the dismissal is forgotten. */
  undismiss(id: string): Promise<void>;
  junk(options?: { now?: string }): Promise<JunkEntry[]>;
  rescue(id: string, options?: { undo?: boolean; force?: boolean }): Promise<RescueResult>;
  trust(target: string, kind: 'trusted' | 'blocked'): Promise<void>;
  /** Forget a trust or block set by hand. */
  untrust(target: string): Promise<void>;
  resend(id: string, options?: ResendOptions): Promise<QueueEntry[]>;
  /** What `resend` would queue (recipients, subject, exact text, time), storing nothing. */
  previewFollowUp(id: string, options?: ResendOptions): Promise<FollowUpPreview>;
  queue(): Promise<QueueEntry[]>;
  /** `plan`: cancel every step of the follow-up's plan that has not gone yet. */
  cancel(id: string, options?: { plan?: boolean }): Promise<CancelResult>;
  /** Undo a cancel by the user: scheduled again (at its time, or the next window after the hold). */
  restoreFollowUp(id: string, options?: { hold?: number | boolean }): Promise<QueueEntry>;
  /** Change a follow-up that has not gone yet (scheduled, held or failed): its text or its time. */
  updateFollowUp(id: string, change: FollowUpUpdate): Promise<QueueEntry>;
  /** Send one scheduled, held or failed follow-up now, whatever its window (exactly once, as send-due). */
  sendNow(id: string): Promise<SendDueResult>;
  /** Whether sending it now would fall inside the recipient's business hours (asked before sendNow). */
  sendNowCheck(id: string): Promise<SendNowCheck>;
  /** `confirm`: ids of held (late) follow-ups the user agreed to send (ARCHITECTURE "Late sends"). */
  sendDue(options?: { now?: string; confirm?: string[] }): Promise<SendDueResult[]>;
  contact(address: string, change?: ContactChange): Promise<ContactInfo>;
  /** A contact's week, reply delays and a follow-up's planned time, for the pictures (issue 12). */
  rhythmPicture(address: string, options?: { followUpId?: string; now?: string }): Promise<RhythmPicture>;
  /** The exact message a follow-up would be (headers and text); nothing is sent. */
  outgoingMail(id: string): Promise<OutgoingMail>;
  loadDemo(): Promise<AccountSummary>;
  /** The badge numbers: the lists' sizes without sending the lists. */
  counts(): Promise<Counts>;
  /** Known providers: their servers, whether they need an app password and where to make one. */
  providerPresets(): Promise<ProviderPreset[]>;
  /** The OAuth2 providers and whether a client id is configured for each. */
  oauthProviders(): Promise<OAuthProviderInfo[]>;
  /** Ask an IMAP server how it lets people sign in, before asking for a password. */
  checkServer(server: { host: string; port: number; security?: Security }): Promise<ServerCheck>;
  /** Begin a browser sign-in; open `url` (the desktop app does it itself), then finishSignIn. */
  startSignIn(request: SignInRequest): Promise<SignInStart>;
  /** Wait for the browser to come back; the account is then added (or signed in again). */
  finishSignIn(flowId: string): Promise<SignInResult>;
  cancelSignIn(flowId: string): Promise<void>;
}

// ---- the desktop app's additions (issue 7) ------------------------------------------------------

/** What Settings edits; kept in the store's prefs (kind 'setting'), so the CLI sees it too. */
export interface AppSettings {
  /** The recipient-local business window follow-ups go out in, "HH:MM". */
  businessHours: { start: string; end: string };
  /** Sent mail younger than this is not listed as unanswered. */
  minAgeHours: number;
  /** The follow-up text; {firstName} and {subject} are filled in. Empty: the built-in text. */
  template: string;
  /** Minutes between background syncs of the desktop app (and `triage serve`). */
  syncMinutes: number;
  /** Start the desktop app at login; null where the platform or client cannot (the browser). */
  startAtLogin: boolean | null;
  /** OAuth2 clients registered by the user (docs/OAUTH.md); the environment's win over these. */
  oauthClients?: Partial<Record<OAuthProviderId, { clientId: string; clientSecret?: string }>>;
  /** Minutes a follow-up queued or edited in the app waits before it may leave (its Undo). */
  undoMinutes: number;
  /** The name follow-ups are signed with; empty: the display name of the user's own sent mail. */
  signOffName: string;
  /** The most IMAP connections the app keeps open to one account at once: one for syncing and
   *  actions, the others watch for new mail (IDLE; NOTIFY covers Inbox, Junk and Sent on one).
   *  1: no live updates, polling only. Gmail allows 15 per user, shared with the user's other clients. */
  connectionsPerAccount: number;
  /** Desktop notifications (a follow-up sent, cancelled by a reply or held, a known contact in Junk). */
  notifications: boolean;
}

/** One message of a conversation as the app shows it: plain text only, never HTML. */
export interface ConversationMessage {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  date: string;
  subject: string;
  folders: string[];
  /** The text/plain part (HTML reduced to text); null when it could not be fetched. */
  text: string | null;
}

/** The service API plus what only the apps need. Every method still returns a Promise. */
export interface AppApi extends TriageApi {
  settings(): Promise<AppSettings>;
  saveSettings(patch: Partial<AppSettings>): Promise<AppSettings>;
  conversation(id: string): Promise<ConversationMessage[]>;
}

/**
 * Every method of AppApi, in one list: the IPC channels (`api:<name>`), the preload's functions
 * and the routes of `triage serve` (`POST /api/<name>`) are made from it and nothing else.
 */
export const API_METHODS = [
  'listAccounts',
  'addAccount',
  'removeAccount',
  'testConnection',
  'status',
  'sync',
  'unanswered',
  'unansweredHead',
  'dismiss',
  'undismiss',
  'junk',
  'rescue',
  'trust',
  'untrust',
  'resend',
  'previewFollowUp',
  'queue',
  'cancel',
  'restoreFollowUp',
  'sendDue',
  'contact',
  'loadDemo',
  'settings',
  'saveSettings',
  'conversation',
  'updateFollowUp',
  'sendNow',
  'sendNowCheck',
  'updateAccount',
  'counts',
  'providerPresets',
  'oauthProviders',
  'checkServer',
  'startSignIn',
  'finishSignIn',
  'cancelSignIn',
  'rhythmPicture',
  'outgoingMail',
] as const satisfies readonly (keyof AppApi)[];

export type ApiMethod = (typeof API_METHODS)[number];

// A compile error here means API_METHODS misses a method of AppApi.
type MissingMethods = Exclude<keyof AppApi, ApiMethod>;
export const API_METHODS_COMPLETE: [MissingMethods] extends [never] ? true : MissingMethods = true;

/** What the preload (Electron) or the HTTP bridge (browser) puts on `window.api`. */
export interface WindowApi extends AppApi {
  /** Subscribe to ApiEvents; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}
