// Live updates (issue 12): watch connections per account (IMAP IDLE, and NOTIFY where offered)
// within a connection budget, kept open with backoff, and news turned into the account's sync.
export { startLive, LIVE_RESTART_MS, type Live, type LiveDeps } from './live.js';
export type { AccountWatchStatus, WatchState } from './account-watch.js';
export { DEFAULT_BACKOFF, planWatches, reconnectDelay, watchedPaths, type Backoff, type WatchPlan } from './plan.js';
