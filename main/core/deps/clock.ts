// The clock every feature is given. Commands with --now pass their own instant, so nothing in
// the core reads the real time for a decision it reports (sending and real-time waits aside).
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock fixed at one instant (--now). */
export function fixedClock(at: Date): Clock {
  const ms = at.getTime();
  return () => new Date(ms);
}
