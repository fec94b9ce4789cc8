// The one service contract. The CLI, the Electron IPC handlers, the preload bridge, the renderer
// and `triage serve` all use these types; nothing else defines them.
import type { AccountConfig, FolderRole, Security } from './store/types.js';

export type { AccountConfig, FolderRole, Security };

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
  phase: 'connect' | 'list' | 'new' | 'flags' | 'expunge' | 'bodies' | 'done';
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

export interface SyncSummary {
  account: string;
  folders: FolderSyncSummary[];
  ms: number;
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
  awaitingFrom?: string[];
  outOfOfficeUntil?: string | null;
  dueAt?: string;
  dueReason?: string;
  hints?: string[];
  [extra: string]: unknown;
}

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
  [extra: string]: unknown;
}

/** `triage queue --json`: one follow-up. */
export interface QueueEntry {
  id: string;
  account: string;
  originalMessageId: string;
  to: string[];
  scheduledAt: string;
  recipientTimeZone: string;
  status: 'scheduled' | 'sent' | 'cancelled' | 'failed';
  /** The exact state: 'sending' (in flight or being settled) and 'held' (late, waiting for the
   *  user's yes) are reported as status 'scheduled'. */
  state?: 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed' | 'held';
  [extra: string]: unknown;
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

export interface ContactInfo {
  address: string;
  name: string;
  timeZone: string;
  timeZoneSource: string;
  country: string | null;
  overrides: ContactOverrides;
  [extra: string]: unknown;
}

export interface ContactOverrides {
  timeZone?: string;
  country?: string;
  hours?: string;
  waitDays?: number;
  trust?: 'trusted' | 'blocked';
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

export type ApiEvent =
  | { type: 'sync-progress'; progress: SyncProgress }
  | { type: 'sync-done'; summary: SyncSummary }
  | { type: 'changed'; what: 'accounts' | 'unanswered' | 'junk' | 'queue' }
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
  unanswered(options?: { now?: string; minAgeHours?: number; due?: boolean }): Promise<UnansweredEntry[]>;
  dismiss(id: string): Promise<void>;
  junk(): Promise<JunkEntry[]>;
  rescue(id: string, options?: { undo?: boolean; force?: boolean }): Promise<{ id: string; folder: string }>;
  trust(target: string, kind: 'trusted' | 'blocked'): Promise<void>;
  resend(id: string, options?: ResendOptions): Promise<QueueEntry[]>;
  queue(): Promise<QueueEntry[]>;
  /** `plan`: cancel every step of the follow-up's plan that has not gone yet. */
  cancel(id: string, options?: { plan?: boolean }): Promise<QueueEntry>;
  /** Change a follow-up that has not gone yet (scheduled, held or failed): its text or its time. */
  updateFollowUp(id: string, change: FollowUpUpdate): Promise<QueueEntry>;
  /** Send one scheduled, held or failed follow-up now, whatever its window (exactly once, as send-due). */
  sendNow(id: string): Promise<QueueEntry>;
  /** `confirm`: ids of held (late) follow-ups the user agreed to send (ARCHITECTURE "Late sends"). */
  sendDue(options?: { now?: string; confirm?: string[] }): Promise<QueueEntry[]>;
  contact(address: string, overrides?: ContactOverrides): Promise<ContactInfo>;
  loadDemo(): Promise<AccountSummary>;
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
