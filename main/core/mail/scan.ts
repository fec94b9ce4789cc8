// Small linear scanners for the few jobs where a short regular expression backtracks on hostile
// text: each replaces a pattern that recheck (tests/unit/security/redos.test.ts) found
// super-linear, with the same result on every input.

/**
 * Replace each "open … first close after it" span with `replacement`, left to right, in one pass
 * over several kinds of brackets: what `text.replace(/\([^)]*\)|\[[^\]]*\]/g, r)` does, without
 * rescanning to the end for every unclosed bracket ("((((…" made that quadratic).
 */
export function replaceEnclosed(text: string, pairs: readonly (readonly [string, string])[], replacement: string): string {
  const lastClose = pairs.map(([, close]) => text.lastIndexOf(close));
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const k = pairs.findIndex(([open]) => open === text[i]);
    // An opening bracket with no closing one after it encloses nothing, nor do later ones.
    if (k < 0 || lastClose[k] <= i) continue;
    const end = text.indexOf(pairs[k][1], i + 1);
    out += text.slice(copied, i) + replacement;
    copied = end + 1;
    i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `text` without a trailing run of the characters in `chars` (like `replace(/[chars]+$/, '')`). */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}
