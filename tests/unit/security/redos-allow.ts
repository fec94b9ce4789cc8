// Patterns recheck flags that are safe for a reason it cannot see, each with that reason. Keep it
// short: a pattern that reads mail is better anchored, bounded or replaced by a scanner.
export interface AllowedPattern {
  file: string;
  source: string;
  reason: string;
}

export const REDOS_ALLOWED: AllowedPattern[] = [];
