// Polite persistence (issue 8, item 4): `triage resend ID --plan N` queues up to N follow-ups of
// one mail as N queue entries sharing a `planId`, with `step` 1..N. Pure: the caller brings the
// contact's rhythm, wait and window, and the clock.
//
// Spacing: business-day gaps of k × base, k = 2, 4, 7, 11, 16 for steps 1..5, where base is the
// contact's wait (due.ts waitFor: your per-contact wait days, else their 80th-percentile reply
// delay with ≥ 3 measured replies, else 1 business day) kept within 1–3 business days, each gap
// rounded to whole days and at most 25. The gaps run between the mails of the conversation:
// your mail → step 1 (2 × base; not before now), step 1 → step 2 (4 × base), step 2 → step 3
// (7 × base)... Each step's time is the gap added in the recipient's calendar (their zone, their
// country's weekend and holidays, their hours) to the previous mail's time, then placed by
// bestSendTime (the start of their usual active period when they have one, inside the window;
// else the window's first moment; never before an out-of-office return date).
//
// With the default wait (1 business day) a plan of 3 goes 2, 4 and 7 business days apart; a
// contact whose replies take 2.5 business days gets 5, 10 and 18 (base 2.5).
//
// While a plan runs (followup/send-due.ts): a reply, a bounce, or a mail the user wrote
// themselves in the conversation cancels every step still waiting; an out-of-office return date
// later than the next step's time moves that step to the first window (best hour) after the
// return, and re-places the later steps after it with their own gaps (so the spacing is kept);
// a step never goes while an earlier step of its plan is still waiting.
import type { BusinessHours } from '../calendar/index.js';
import type { ActivePeriod } from '../api.js';
import { bestSendTime, type BestSendTime } from '../contacts/index.js';
import { addBusinessDays, nextSendTime, type Instant } from '../calendar/index.js';

export const PLAN_MAX_STEPS = 5;
/** The growing gap factors of steps 1..5 (2, 4, 7 are the example; the rest keep growing). */
export const PLAN_GAP_FACTORS: readonly number[] = [2, 4, 7, 11, 16];
export const PLAN_MIN_BASE_DAYS = 1;
export const PLAN_MAX_BASE_DAYS = 3;
export const PLAN_MAX_GAP_DAYS = 25;

/** The base of the gaps: the contact's wait in business days, kept within 1–3. */
export function planBaseDays(waitDays: number): number {
  const d = Number.isFinite(waitDays) ? waitDays : PLAN_MIN_BASE_DAYS;
  return Math.min(PLAN_MAX_BASE_DAYS, Math.max(PLAN_MIN_BASE_DAYS, d));
}

/** Business days before each step (step 1: after the original mail), growing. */
export function planGaps(steps: number, waitDays: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > PLAN_MAX_STEPS) throw new RangeError(`a plan has 1 to ${PLAN_MAX_STEPS} steps, not ${steps}`);
  const base = planBaseDays(waitDays);
  return PLAN_GAP_FACTORS.slice(0, steps).map((k) => Math.min(PLAN_MAX_GAP_DAYS, Math.max(1, Math.round(k * base))));
}

/**
 * Which built-in text a plan step gets (templateForStep's numbering: 1 first nudge, 2 second,
 * 3 last): the last step of a plan of two or more says it is the last; the first step is the
 * first nudge unless the conversation was followed up before; the others are the second text.
 */
export function planTemplateStep(step: number, steps: number, earlierFollowUps: number): number {
  if (steps > 1 && step === steps) return 3;
  if (step === 1 && earlierFollowUps === 0) return 1;
  return 2;
}

export interface PlanWindow {
  timeZone: string;
  country: string | null;
  hours?: BusinessHours | null;
}

export interface PlacePlanInput extends PlanWindow {
  rhythm?: { activePeriod: ActivePeriod | null } | null;
  now: Instant;
  /** When the mail being followed up was sent. */
  sentAt: Instant;
  gaps: number[];
  /** An out-of-office return date: no step before it. */
  notBefore?: Instant | null;
}

export interface PlannedStep {
  step: number;
  gapDays: number;
  at: BestSendTime;
  /** Plain words for scheduledReason. */
  reason: string;
}

const days = (n: number) => `${n} business day${n === 1 ? '' : 's'}`;

/** The time of every step (see the top of this file). */
export function placePlan(input: PlacePlanInput): PlannedStep[] {
  const window: PlanWindow = { timeZone: input.timeZone, country: input.country, hours: input.hours ?? null };
  const nowMs = new Date(input.now).getTime();
  const out: PlannedStep[] = [];
  let prev: Instant = input.sentAt;
  const n = input.gaps.length;
  input.gaps.forEach((gap, i) => {
    const after = addBusinessDays({ ...window, from: prev, days: gap }).getTime();
    const from = Math.max(after, nowMs);
    const at = placed(bestSendTime({ rhythm: input.rhythm ?? null, now: from, ...window, notBefore: input.notBefore ?? null }));
    const since = i === 0 ? 'your mail' : `step ${i}`;
    const spacing = i === 0 && after < nowMs ? `your mail is more than ${days(gap)} old` : `${days(gap)} after ${since}`;
    out.push({ step: i + 1, gapDays: gap, at, reason: `plan step ${i + 1} of ${n}, ${spacing}; ${at.reason}` });
    prev = at.at;
  });
  return out;
}

/** bestSendTime's answer with its reason saying "best hour" when the contact's active period decided. */
export function placed(t: BestSendTime): BestSendTime {
  return t.rule === 'best-hour' ? { ...t, reason: `best hour: ${t.reason}` } : t;
}

export interface PlanStepState {
  id: string;
  step: number;
  scheduledAt: string;
  status: string;
  /** Business days after the previous step (step 1: after the original). */
  planGapDays?: number;
}

export interface ShiftPlanInput extends PlanWindow {
  /** The plan's steps (any status). */
  steps: PlanStepState[];
  /** The out-of-office return date the conversation shows. */
  outOfOfficeUntil: string;
  rhythm?: { activePeriod: ActivePeriod | null } | null;
}

export interface StepMove {
  id: string;
  step: number;
  at: BestSendTime;
  reason: string;
}

/**
 * An out-of-office return date after the next waiting step's time: that step moves to the first
 * window (best hour) after the return, the later waiting steps follow with their own gaps.
 * Nothing moves earlier; no move when the return is not later than the next step.
 */
export function shiftPlan(input: ShiftPlanInput): StepMove[] {
  const window: PlanWindow = { timeZone: input.timeZone, country: input.country, hours: input.hours ?? null };
  const waiting = input.steps.filter((s) => s.status === 'scheduled').sort((a, b) => a.step - b.step);
  const next = waiting[0];
  if (!next) return [];
  const nextMs = Date.parse(next.scheduledAt);
  const away = nextSendTime({ ...window, now: nextMs, notBefore: input.outOfOfficeUntil });
  if (away.rule !== 'out-of-office' || away.at.getTime() <= nextMs) return [];
  const back = input.outOfOfficeUntil.slice(0, 10);
  const first = placed(bestSendTime({ rhythm: input.rhythm ?? null, now: nextMs, ...window, notBefore: input.outOfOfficeUntil }));
  const moves: StepMove[] = [{ id: next.id, step: next.step, at: first, reason: `away until ${back}: ${first.reason}` }];
  let prev = first.at.getTime();
  for (const s of waiting.slice(1)) {
    const gap = typeof s.planGapDays === 'number' && s.planGapDays > 0 ? s.planGapDays : 1;
    const from = addBusinessDays({ ...window, from: prev, days: gap }).getTime();
    const old = Date.parse(s.scheduledAt);
    if (from <= old) {
      prev = old;
      continue;
    }
    const at = placed(bestSendTime({ rhythm: input.rhythm ?? null, now: from, ...window }));
    moves.push({ id: s.id, step: s.step, at, reason: `moved with step ${next.step} (away until ${back}), ${days(gap)} after step ${s.step - 1}; ${at.reason}` });
    prev = at.at.getTime();
  }
  return moves;
}
