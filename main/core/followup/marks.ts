// What the Unanswered list says about follow-ups (issue 15): "follow-up scheduled Wed 10:02" or
// "followed up Tue 09:14" on a conversation's row, computed from the queue each time the list is
// asked for (the queue is small; the list's analysis stays cached by the store's version).
import type { FollowUpMark, UnansweredEntry } from '../api.js';
import { isWaiting, type FollowUp } from './queue.js';

export function followUpMark(f: FollowUp): FollowUpMark {
  return {
    id: f.id,
    state: f.status,
    scheduledAt: f.scheduledAt,
    sentAt: f.sentAt ?? null,
    recipientTimeZone: f.recipientTimeZone,
    holdUntil: f.holdUntil ?? null,
  };
}

const markTime = (m: FollowUpMark) => Date.parse(m.sentAt ?? m.scheduledAt) || 0;

/** Newest first (by when it went, or goes). */
export function sortMarks(marks: FollowUpMark[]): FollowUpMark[] {
  return [...marks].sort((a, b) => markTime(b) - markTime(a));
}

/**
 * Each entry with the follow-up that matters for it: the one still to go (the earliest), else the
 * latest sent one; and how many there are (cancelled ones are not counted). A follow-up belongs
 * to the entry by the thread's root, or by naming one of the entry's messages; once sent and
 * synced, the follow-up itself is the conversation's latest sent mail (the entry's messageId).
 */
export function markUnanswered(entries: UnansweredEntry[], queue: FollowUp[]): UnansweredEntry[] {
  const live = queue.filter((f) => f.status !== 'cancelled');
  if (!live.length) return entries.map((e) => ({ ...e, followUp: null, followUps: 0 }));
  const byKey = new Map<string, FollowUp[]>();
  const byMessage = new Map<string, FollowUp[]>();
  const add = (map: Map<string, FollowUp[]>, key: string, f: FollowUp) => map.set(key, [...(map.get(key) ?? []), f]);
  for (const f of live) {
    add(byKey, `${f.account}\u0000${f.conversationKey}`, f);
    add(byMessage, `${f.account}\u0000${f.originalMessageId}`, f);
    add(byMessage, `${f.account}\u0000${f.messageId}`, f);
  }
  return entries.map((e) => {
    const found = new Set<FollowUp>([
      ...(e.conversationKey ? (byKey.get(`${e.account}\u0000${e.conversationKey}`) ?? []) : []),
      ...(byMessage.get(`${e.account}\u0000${e.messageId}`) ?? []),
    ]);
    const mine = [...found];
    const waiting = mine.filter(isWaiting).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
    const sent = mine.filter((f) => f.status === 'sent').sort((a, b) => Date.parse(b.sentAt ?? b.updatedAt) - Date.parse(a.sentAt ?? a.updatedAt));
    const shown = waiting[0] ?? sent[0] ?? null;
    return { ...e, followUp: shown ? followUpMark(shown) : null, followUps: mine.length };
  });
}
