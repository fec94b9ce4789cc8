// One watch connection: a mailbox kept selected in IDLE (RFC 2177), and where the server offers
// NOTIFY (RFC 5465) the other mailboxes reported on the same connection, so one connection covers
// Inbox, Junk and Sent. It only tells that something changed; what changed is the sync's job
// (live/ runs the account's incremental sync). Protocol facts this relies on:
// - RFC 2177 §3: a server may drop a client idle for 30 minutes; real servers cut IDLE sooner, and
//   Microsoft 365 stops pushing after about 10 minutes while the connection stays up. So IDLE is
//   broken and started again every `restartMs` with a NOOP, which also proves the link alive (an
//   unanswered NOOP ends the connection: a NAT that dropped it sends no RST).
// - RFC 5465 §5.1: MessageNew for SELECTED needs MessageExpunge too; for other mailboxes the
//   server reports a change as an untagged STATUS (§5.2), which imapflow has no handler for.
// - imapflow: idle() returns only when another command breaks it or the connection ends.
import type { ImapFlow } from 'imapflow';
import { encodePath } from 'imapflow/lib/tools.js';
import { TriageError } from '../errors.js';
import { connectAccount, type ImapAccess } from './session.js';
import { describeImapError } from './connect.js';

export type WatchNewsKind = 'new' | 'expunge' | 'status' | 'connected';

export interface WatchNews {
  /** The mailbox that changed ('' when NOTIFY's STATUS named one we cannot read). */
  path: string;
  kind: WatchNewsKind;
}

export interface WatchOptions {
  access: ImapAccess;
  /** The mailbox kept selected (read-only) and in IDLE. */
  selected: string;
  /** Mailboxes reported through NOTIFY where the server offers it; ignored elsewhere. */
  others?: string[];
  /** Break and restart IDLE this often (ms). */
  restartMs: number;
  /** How long the NOOP at a restart may take before the link counts as dead (ms). */
  noopTimeoutMs?: number;
  onNews(news: WatchNews): void;
}

export interface WatchConnection {
  /** What this connection reports on: the selected mailbox, and the others when NOTIFY took them. */
  readonly paths: string[];
  /** Whether the server accepted NOTIFY for the other mailboxes. */
  readonly notify: boolean;
  /** IDLE restarts so far. */
  readonly restarts: number;
  /** Settles when the connection ends: null after close(), else why it ended. */
  readonly ended: Promise<TriageError | null>;
  close(): Promise<void>;
}

/** The parts of imapflow this file uses beyond its typed API (both are in its code since 1.0). */
interface ImapFlowInternals {
  exec(command: string, attributes: unknown[]): Promise<{ next(): void }>;
  untaggedHandlers: Record<string, ((untagged: { attributes?: { value?: unknown }[] }) => Promise<void> | void) | null>;
}

const atom = (value: string) => ({ type: 'ATOM', value });

/** NOTIFY SET for the selected mailbox and `others` (new and expunged messages; RFC 5465 §6). */
async function setNotify(client: ImapFlow, others: string[]): Promise<boolean> {
  const events = [atom('MessageNew'), atom('MessageExpunge')];
  const mailboxes = others.map((p) => ({ type: 'STRING', value: encodePath(client as never, p) }));
  try {
    const r = await (client as unknown as ImapFlowInternals).exec('NOTIFY', [atom('SET'), [atom('SELECTED'), events], [atom('MAILBOXES'), mailboxes, events]]);
    r.next();
    return true;
  } catch {
    // A server that offers NOTIFY but refuses this set (NO [NOTIFICATIONOVERFLOW], BAD): IDLE on
    // the selected mailbox still works; the caller watches the others another way.
    return false;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new TriageError('timeout', `The server did not answer a NOOP within ${Math.round(ms / 1000)} s.`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Connect, select `selected`, ask for NOTIFY on `others`, and stay in IDLE until closed. */
export async function openWatch(options: WatchOptions): Promise<WatchConnection> {
  const { access, selected, restartMs, onNews } = options;
  const server = access.account.imap;
  // A watch connection is quiet between restarts: the socket may be silent that long.
  const client = await connectAccount(access, { socketTimeoutMs: restartMs + 60_000 });
  let closing = false;
  let lastError: unknown = null;
  let restarts = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  client.on('error', (e: unknown) => (lastError = e));
  const ended = new Promise<TriageError | null>((resolve) => {
    client.on('close', () => {
      clearInterval(timer);
      resolve(closing ? null : lastError ? describeImapError(lastError, server) : new TriageError('connection-lost', `The connection to ${server.host}:${server.port} was closed by the server.`));
    });
  });
  const end = (why: unknown) => {
    if (!lastError) lastError = why;
    client.close();
  };
  let notify = false;
  try {
    await client.mailboxOpen(selected, { readOnly: true });
    const others = (options.others ?? []).filter((p) => p !== selected);
    if (others.length && client.capabilities.has('NOTIFY')) {
      (client as unknown as ImapFlowInternals).untaggedHandlers.STATUS = (untagged) => {
        const name = untagged.attributes?.[0]?.value;
        onNews({ path: typeof name === 'string' ? name : '', kind: 'status' });
      };
      notify = await setNotify(client, others);
    }
  } catch (e) {
    closing = true;
    client.close();
    throw describeImapError(e, server);
  }
  client.on('exists', (d: { path: string }) => onNews({ path: d.path, kind: 'new' }));
  client.on('expunge', (d: { path: string }) => onNews({ path: d.path, kind: 'expunge' }));

  const idleLoop = async () => {
    while (!closing && client.usable) {
      await client.idle().catch(end);
      // idle() came back without a NOOP breaking it (a refused IDLE): do not spin.
      if (!closing && client.usable && !client.idling) await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void idleLoop();
  timer = setInterval(() => {
    if (closing || !client.usable) return;
    restarts += 1;
    // The NOOP breaks IDLE (imapflow sends DONE first); the loop above starts it again.
    withTimeout(client.noop(), options.noopTimeoutMs ?? 30_000).catch(end);
  }, restartMs);
  timer.unref?.();
  const paths = notify ? [selected, ...(options.others ?? []).filter((p) => p !== selected)] : [selected];
  return {
    paths,
    notify,
    get restarts() {
      return restarts;
    },
    ended,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(timer);
      await withTimeout(client.logout(), 5000).catch(() => client.close());
    },
  };
}
