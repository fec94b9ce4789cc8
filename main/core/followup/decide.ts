// What send-due does with an entry whose time has come, and when a conversation makes a
// follow-up pointless. Pure: the entry, the clock and the conversation's state in, a decision out.
import { businessDaysBetween, isInsideWindow, nextSendTime, type SendTime } from '../calendar/index.js';
import type { FollowUp } from './queue.js';
import type { ConversationState } from './conversation-state.js';

/** ARCHITECTURE "Late sends": more than this many of the recipient's business days late → held. */
export const MAX_LATE_BUSINESS_DAYS = 2;

export type DueDecision =
  | { action: 'wait' }
  | { action: 'send' }
  | { action: 'cancel'; reason: string }
  | { action: 'hold'; reason: string; lateDays: number }
  | { action: 'reschedule'; at: SendTime; reason: string };

export interface DecideDueInput {
  entry: Pick<FollowUp, 'scheduledAt' | 'recipientTimeZone' | 'country' | 'hours' | 'to' | 'cc' | 'recipient' | 'status'>;
  now: Date;
  /** Null when the original is no longer in the store. */
  conversation: Pick<ConversationState, 'answer' | 'wroteAgain' | 'unanswered'> | null;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * Why the conversation makes a follow-up pointless, or null: the original is gone, someone
 * answered, the user wrote again, or it bounced for the follow-up's recipients.
 */
export function cancelReason(
  entry: Pick<FollowUp, 'to' | 'cc' | 'recipient'>,
  conversation: Pick<ConversationState, 'answer' | 'wroteAgain' | 'unanswered'> | null,
): string | null {
  if (!conversation) return 'the original mail is no longer in the mailbox';
  if (conversation.answer) return `reply from ${conversation.answer.from} on ${day(conversation.answer.at)}`;
  if (conversation.wroteAgain) return `you wrote again in the conversation on ${day(conversation.wroteAgain.at)}`;
  const u = conversation.unanswered;
  if (u?.status === 'bounced') {
    const bounced = Array.isArray(u.bouncedRecipients) ? (u.bouncedRecipients as string[]) : [];
    const ours = [...entry.to, ...entry.cc];
    if (bounced.length === 0 || bounced.includes(entry.recipient) || ours.every((a) => bounced.includes(a))) {
      return bounced.length ? `bounced (${bounced.join(', ')})` : 'bounced';
    }
  }
  return null;
}

/**
 * The rules, in order: not due → wait; a reply, a bounce, or the user writing again → cancel;
 * an out-of-office return date after now → reschedule after it; more than 2 of the recipient's
 * business days late → hold; outside the window now (the app was closed) → reschedule to the
 * next window; else send. Window rules are checked here again, at send time (ARCHITECTURE).
 */
export function decideDue({ entry, now, conversation }: DecideDueInput): DueDecision {
  const due = Date.parse(entry.scheduledAt);
  if (due > now.getTime()) return { action: 'wait' };
  const cancel = cancelReason(entry, conversation);
  if (cancel) return { action: 'cancel', reason: cancel };
  const u = conversation?.unanswered;
  const window = { timeZone: entry.recipientTimeZone, country: entry.country, hours: entry.hours };
  if (u?.outOfOfficeUntil) {
    const t = nextSendTime({ ...window, now, notBefore: u.outOfOfficeUntil });
    if (t.rule === 'out-of-office' && t.at.getTime() > now.getTime()) return { action: 'reschedule', at: t, reason: t.reason };
  }
  const lateDays = businessDaysBetween({ ...window, from: due, to: now });
  if (lateDays > MAX_LATE_BUSINESS_DAYS) {
    return {
      action: 'hold',
      lateDays,
      reason: `${lateDays.toFixed(1)} of the recipient's business days late (was due ${entry.scheduledAt}): send it anyway, or cancel it`,
    };
  }
  if (!isInsideWindow({ ...window, at: now })) {
    const t = nextSendTime({ ...window, now });
    return { action: 'reschedule', at: t, reason: `the window was closed at send time: ${t.reason}` };
  }
  return { action: 'send' };
}
