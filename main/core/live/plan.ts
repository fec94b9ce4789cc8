// What to watch with how many connections, and how long to wait before connecting again. Pure.
import type { FolderState } from '../model.js';

/** One watch connection: the mailbox it keeps in IDLE, and those NOTIFY should report with it. */
export interface WatchPlan {
  selected: string;
  others: string[];
}

/** Mailboxes worth watching, in order: a reply lands in the Inbox (or in Junk, where a known
 *  contact's mail must be rescued); the user's mail from another client lands in Sent. */
const WATCHED_ROLES = ['inbox', 'junk', 'sent'] as const;

/** The paths of the watched roles among the synced folders; Inbox even before the first sync. */
export function watchedPaths(folders: Pick<FolderState, 'path' | 'role' | 'synced'>[]): string[] {
  const paths: string[] = [];
  for (const role of WATCHED_ROLES) {
    const f = folders.find((x) => x.role === role && x.synced !== false);
    if (f) paths.push(f.path);
    else if (role === 'inbox') paths.push('INBOX');
  }
  return [...new Set(paths)];
}

/**
 * The watch connections for an account. `budget` counts every connection the app keeps open to
 * it at once, and one stays free for the sync and the user's actions; so 1 means no watching.
 * `notify`: whether the server took NOTIFY on the first connection (null: not connected yet).
 * With NOTIFY the first connection covers every watched mailbox; without it each further
 * mailbox gets its own IDLE connection while the budget lasts (Inbox first, then Junk, Sent).
 */
export function planWatches({ paths, budget, notify }: { paths: string[]; budget: number; notify: boolean | null }): WatchPlan[] {
  const slots = Math.max(0, Math.floor(budget) - 1);
  if (!slots || !paths.length) return [];
  const [first, ...rest] = paths;
  const head: WatchPlan = { selected: first, others: rest };
  if (notify !== false) return [head];
  return [head, ...rest.map((p) => ({ selected: p, others: [] }))].slice(0, slots);
}

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

/** Reconnecting after a drop: 1 s, 2 s, 4 s … up to 5 minutes, with ±20 % jitter so that many
 *  clients cut off at once (a server restart) do not all come back in the same second. */
export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, maxMs: 5 * 60_000 };

/** The wait before attempt `failures + 1` (failures ≥ 1); `random` in [0, 1). */
export function reconnectDelay(failures: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  const base = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(n - 1, 30));
  return Math.round(Math.min(backoff.maxMs, base * (0.8 + 0.4 * random())));
}
