// The follow-up use cases over their own dependencies (no service): a store, secrets that know
// no password, the real sync runner (which then fails: no server), a clock and a logger. A test
// replaces any of them, e.g. `deps.sync = vi.fn()...` to say "the sync found nothing new".
import type { Store } from '../../../main/core/store/store.js';
import { mailboxLoader } from '../../../main/core/store/mailbox.js';
import { EnvSecretStore, listLogger, systemClock, type Clock, type SecretStore } from '../../../main/core/deps/index.js';
import { syncRunner } from '../../../main/core/imap/index.js';
import { localTimeZone } from '../../../main/core/calendar/index.js';
import {
  DEFAULT_CAP,
  FollowUpQueue,
  WITNESS_GRACE_MS,
  cancelFollowUp,
  exclusive,
  listQueue,
  resend,
  sendDue,
  sendNow,
  updateFollowUp,
  type FollowUpDeps,
} from '../../../main/core/followup/index.js';
import type { FollowUpUpdate, ResendOptions } from '../../../main/core/api.js';

/** `secrets`: the integration tests give the rig user's password; by default none is known. */
export function followUpDeps(store: Store, opts: { now?: Clock; warn?: (m: string) => void; secrets?: SecretStore; graceMs?: number } = {}): FollowUpDeps {
  const secrets = opts.secrets ?? new EnvSecretStore({});
  const now = opts.now ?? systemClock;
  const runner = syncRunner({ store, secrets, now });
  return {
    store,
    queue: new FollowUpQueue(store.queue),
    secrets,
    mailboxes: mailboxLoader(store),
    now,
    log: listLogger({ warn: opts.warn }),
    sync: (account) => runner.syncOne(account),
    sending: exclusive(),
    cap: DEFAULT_CAP,
    graceMs: opts.graceMs ?? WITNESS_GRACE_MS,
    defaultTimeZone: localTimeZone(),
  };
}

/** The use cases bound to one set of dependencies, as the tests call them. */
export function followUpsOver(deps: FollowUpDeps) {
  return {
    queue: deps.queue,
    resend: (id: string, options?: ResendOptions) => resend(deps, id, options),
    list: () => listQueue(deps),
    cancel: (id: string, options?: { plan?: boolean }) => cancelFollowUp(deps, id, options),
    updateFollowUp: (id: string, change: FollowUpUpdate, options?: { now?: string }) => updateFollowUp(deps, id, change, options),
    sendNow: (id: string, options?: { now?: string }) => sendNow(deps, id, options),
    sendDue: (options?: { now?: string; confirm?: string[] }) => sendDue(deps, options),
  };
}
