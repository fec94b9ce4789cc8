// What the follow-up use cases are given (never the service): the store (contact and plan
// preferences, settings), the queue, secrets for IMAP, the mailbox loader, a clock, a logger, the
// sync engine (send-due looks for replies first) and the one-send-at-a-time guard.
import type { SyncSummary } from '../api.js';
import type { Clock, Logger, SecretStore } from '../deps/index.js';
import type { Store, MailboxLoader } from '../store/index.js';
import type { FollowUpQueue } from './queue.js';

/** Runs one piece of work at a time, in call order (a promise chain). */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export function exclusive(): Exclusive {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

export interface FollowUpDeps {
  store: Store;
  queue: FollowUpQueue;
  secrets: SecretStore;
  mailboxes: MailboxLoader;
  now: Clock;
  log: Logger;
  /** Sync one account (the app's one-sync-at-a-time runner: imap/sync-runner.ts). */
  sync: (account: string) => Promise<SyncSummary>;
  /** One send at a time in this process: send-due (timer, tray, CLI) and send-now never overlap. */
  sending: Exclusive;
  /** Follow-ups per conversation (sent and waiting) before `resend` needs --force. */
  cap: number;
  /** Real time to wait for a witness copy after an ambiguous send (env TRIAGE_WITNESS_GRACE_MS). */
  graceMs: number;
  /** The zone of accounts that have none set (the machine's). */
  defaultTimeZone: string;
  /** How long (real time) a witness delivery probe is looked for (witness.ts; default 30 s). */
  witnessProbeMs?: number;
  /** Told each phase of a send as it is reached (sender.ts), and awaited: tests pause a send
   *  there to force a race in-process; the CLI's TRIAGE_TEST_* variables do the same from outside. */
  onSendPhase?: (phase: string, entryId: string) => Promise<void> | void;
}
