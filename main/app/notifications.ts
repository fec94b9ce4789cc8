// What the desktop tells the user without being asked (issue 12 item 6): a follow-up sent, one
// cancelled because they replied, one held because it is late, and a known contact's mail found
// in Junk. Pure: two looks at the queue and the Junk list, before and after some background work,
// give the notifications. One per kind at most for each look, so the first sync of a large
// mailbox (hundreds of known contacts in Junk) raises one notification, not hundreds.
import type { AppNotification, FollowUpState, JunkEntry, NotificationKind, QueueEntry } from '../core/api.js';

export type { AppNotification, NotificationKind };

/** What a look keeps: only the fields the decision reads. */
export interface NotifySnapshot {
  queue: Pick<QueueEntry, 'id' | 'account' | 'state' | 'to' | 'subject' | 'statusReason'>[];
  junk: Pick<JunkEntry, 'id' | 'account' | 'verdict' | 'from' | 'subject'>[];
}

export interface NotifyInput {
  /** Null: the first look since the app started; what is there already is not news. */
  before: NotifySnapshot | null;
  after: NotifySnapshot;
  /** The setting; off, nothing is said. */
  enabled: boolean;
  /** The sample mailbox's accounts: its mail is no news. */
  demoAccounts?: ReadonlySet<string>;
}

/** How send-due words a cancel for a reply (followup/decide.ts cancelReason). */
const REPLIED = /^reply from /;
/** Names listed in a grouped notification before "and N more". */
const LISTED = 3;

const short = (s: string | undefined, max = 80) => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim() || '(no subject)';
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "a, b, c and 2 more" of distinct names. */
function names(list: string[]): string {
  const distinct = [...new Set(list)];
  const shown = distinct.slice(0, LISTED).join(', ');
  return distinct.length > LISTED ? `${shown} and ${distinct.length - LISTED} more` : shown;
}

type QueueItem = NotifySnapshot['queue'][number];

/** Follow-ups that reached `state` since the last look (new ones too: queued and sent in between). */
function reached(input: NotifyInput, state: FollowUpState, also: (q: QueueItem) => boolean = () => true): QueueItem[] {
  const was = new Map((input.before?.queue ?? []).map((q) => [q.id, q.state]));
  return input.after.queue.filter((q) => q.state === state && was.get(q.id) !== state && !input.demoAccounts?.has(q.account) && also(q));
}

function followUps(kind: Exclude<NotificationKind, 'junk'>, items: QueueItem[]): AppNotification | null {
  if (!items.length) return null;
  const n = items.length;
  const one = items[0];
  const to = names(items.flatMap((q) => q.to));
  const ids = items.map((q) => q.id);
  if (kind === 'sent') {
    return n === 1
      ? { kind, count: 1, ids, title: 'Follow-up sent', body: `To ${to}: “${short(one.subject)}”` }
      : { kind, count: n, ids, title: `${n} follow-ups sent`, body: `To ${to}.` };
  }
  if (kind === 'cancelled') {
    return n === 1
      ? { kind, count: 1, ids, title: 'They replied: follow-up cancelled', body: `${to} answered “${short(one.subject)}”; the follow-up will not be sent.` }
      : { kind, count: n, ids, title: `They replied: ${n} follow-ups cancelled`, body: `${to} answered; those follow-ups will not be sent.` };
  }
  return n === 1
    ? { kind, count: 1, ids, title: 'Late follow-up held for you', body: `To ${to}: “${short(one.subject)}” is late. Send it or cancel it in the queue.` }
    : { kind, count: n, ids, title: `${n} late follow-ups held for you`, body: `To ${to}. Send or cancel them in the queue.` };
}

function junk(input: NotifyInput): AppNotification | null {
  // Only mail not listed at the last look: a suspicious one the user trusted is not news.
  const seen = new Set((input.before?.junk ?? []).map((j) => j.id));
  const found = input.after.junk.filter((j) => j.verdict === 'rescue' && !seen.has(j.id) && !input.demoAccounts?.has(j.account));
  if (!found.length) return null;
  const n = found.length;
  const ids = found.map((j) => j.id);
  if (n === 1) return { kind: 'junk', count: 1, ids, title: 'A known contact’s mail was in Junk', body: `${short(found[0].from, 60)}: “${short(found[0].subject)}”` };
  return {
    kind: 'junk',
    count: n,
    ids,
    title: `${n} ${plural(n, 'mail', 'mails')} from known contacts in Junk`,
    body: `From ${names(found.map((j) => short(j.from, 40)))}. Rescue them from the Junk view.`,
  };
}

/** The notifications for what changed between two looks, one per kind at most. */
export function notificationsFor(input: NotifyInput): AppNotification[] {
  if (!input.enabled || !input.before) return [];
  return [
    followUps('sent', reached(input, 'sent')),
    followUps('cancelled', reached(input, 'cancelled', (q) => REPLIED.test(q.statusReason ?? ''))),
    followUps('held', reached(input, 'held')),
    junk(input),
  ].filter((n): n is AppNotification => n !== null);
}
