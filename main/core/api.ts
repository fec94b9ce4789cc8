// The one service contract. The CLI, the Electron IPC handlers, the preload bridge, the renderer
// and `triage serve` all use these types; nothing else defines them.
import type { AccountConfig, Address, BusinessHours, FolderRole, Security } from './model.js';

export type { AccountConfig, Address, BusinessHours, FolderRole, Security };

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
  | 'internal';

/** The mailbox view the analysis works on: one account's config, folders and messages. */
export interface AccountSummary {
  name: string;
  user: string;
  imapHost: string;
  imapSecurity?: Security;
  addresses: string[];
  timeZone?: string;
  country?: string;
  demo?: boolean;
}

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
}

export interface NewAccountInput {
  name: string;
  imap: { host: string; port: number; security: Security; user: string };
  smtp?: { host: string; port: number; security: Security; user?: string };
  addresses?: string[];
  timeZone?: string;
  country?: string;
  /** Only through the Electron keychain or the serve process's memory; never written in plain text. */
  password?: string;
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
}

/** What `updateFollowUp` changes in a follow-up that has not gone yet. */
export interface FollowUpUpdate {
  /** The new text (not empty, at most 10,000 characters). */
  text?: string;
  /** When it may go (ISO-8601); outside the recipient's window it moves to the next window. */
  scheduledAt?: string;
}

export interface UnansweredOptions {
  now?: string;
  /** Default: the minimum age in Settings (24 h unless changed). */
  minAgeHours?: number;
  due?: boolean;
  account?: string;
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
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string };

/**
 * The one service API. Every method returns a Promise (it may cross a process boundary) and
 * rejects with an ApiErrorShape-like error ({code, message}).
 */
export interface TriageApi {
  listAccounts(): Promise<AccountSummary[]>;
  addAccount(input: NewAccountInput): Promise<AccountSummary>;
  removeAccount(name: string): Promise<void>;
  testConnection(input: NewAccountInput): Promise<{ ok: true; folders: number }>;
  status(): Promise<AccountStatus[]>;
  sync(options?: { account?: string }): Promise<SyncSummary[]>;
  unanswered(options?: UnansweredOptions): Promise<UnansweredEntry[]>;
  dismiss(id: string): Promise<void>;
  junk(options?: { now?: string }): Promise<JunkEntry[]>;
  rescue(id: string, options?: { undo?: boolean; force?: boolean }): Promise<RescueResult>;
  trust(target: string, kind: 'trusted' | 'blocked'): Promise<void>;
  resend(id: string, options?: ResendOptions): Promise<QueueEntry[]>;
  queue(): Promise<QueueEntry[]>;
  /** `plan`: cancel every step of the follow-up's plan that has not gone yet. */
  cancel(id: string, options?: { plan?: boolean }): Promise<CancelResult>;
  /** Change a follow-up that has not gone yet (scheduled, held or failed): its text or its time. */
  updateFollowUp(id: string, change: FollowUpUpdate): Promise<QueueEntry>;
  /** Send one scheduled, held or failed follow-up now, whatever its window (exactly once, as send-due). */
  sendNow(id: string): Promise<SendDueResult>;
  /** `confirm`: ids of held (late) follow-ups the user agreed to send (ARCHITECTURE "Late sends"). */
  sendDue(options?: { now?: string; confirm?: string[] }): Promise<SendDueResult[]>;
  contact(address: string, change?: ContactChange): Promise<ContactInfo>;
  loadDemo(): Promise<AccountSummary>;
  /** The badge numbers: the lists' sizes without sending the lists. */
  counts(): Promise<Counts>;
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
  'dismiss',
  'junk',
  'rescue',
  'trust',
  'resend',
  'queue',
  'cancel',
  'sendDue',
  'contact',
  'loadDemo',
  'settings',
  'saveSettings',
  'conversation',
  'updateFollowUp',
  'sendNow',
  'counts',
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
