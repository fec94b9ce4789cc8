// Under a follow-up's text: its word count, and a flag when it is long or asks nothing (the
// core's one definition, checkNudge in api.ts, that the CLI uses too).
import { NUDGE_MAX_WORDS, checkNudge } from '../../../main/core/api';

export function NudgeMeter({ text }: { text: string }) {
  const c = checkNudge(text);
  return (
    <div className="word-count" data-testid="nudge-meter" data-words={c.words} aria-live="polite">
      <span>
        {c.words} word{c.words === 1 ? '' : 's'} (the quote not counted)
      </span>
      {c.long && (
        <span className="flag" data-testid="nudge-long">
          Long for a nudge: over {NUDGE_MAX_WORDS} words
        </span>
      )}
      {!c.asks && (
        <span className="flag" data-testid="nudge-no-question">
          It asks no question: one clear question makes a reply easier
        </span>
      )}
    </div>
  );
}
