// The text of an HTML part, for the few bodies the analysis reads (an auto-reply written only in
// HTML). Tags are taken out by scanning, not by patterns: /<(script|style)[^>]*>[\s\S]*?<\/\1>/
// and /<[^>]+>/ restarted at every '<' and ran to the end of a body full of unclosed tags.

/** Lower case for A-Z only: indices stay those of the original (toLowerCase may change lengths). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Each <script …>…</script> and <style …>…</style> (any case) replaced by a space. */
function withoutScriptsAndStyles(html: string): string {
  const lower = asciiLower(html);
  const lastClose = { script: lower.lastIndexOf('</script>'), style: lower.lastIndexOf('</style>') };
  // The first '>' at or after a position, remembered: "<style<style<style…>" asks for the same one.
  let gtFrom = -1;
  let gtAt = -1;
  const gtAfter = (from: number) => {
    if (from < gtFrom || from > gtAt || gtAt < 0) {
      gtFrom = from;
      gtAt = lower.indexOf('>', from);
    }
    return gtAt;
  };
  let out = '';
  let copied = 0;
  let i = lower.indexOf('<');
  while (i >= 0) {
    const name = lower.startsWith('<script', i) ? 'script' : lower.startsWith('<style', i) ? 'style' : null;
    if (name) {
      const gt = gtAfter(i + name.length + 1);
      if (gt < 0) break; // no '>' after this tag: none after a later one either
      // No closing tag after it: nothing to remove here, nor at a later tag of the same name.
      const close = gt < lastClose[name] ? lower.indexOf(`</${name}>`, gt + 1) : -1;
      if (close >= 0) {
        out += html.slice(copied, i) + ' ';
        copied = close + name.length + 3;
        i = lower.indexOf('<', copied);
        continue;
      }
    }
    i = lower.indexOf('<', i + 1);
  }
  return copied === 0 ? html : out + html.slice(copied);
}

/** Each tag ("<" then at least one character, up to the next ">") replaced by a space. */
function withoutTags(html: string): string {
  let out = '';
  let copied = 0;
  let i = html.indexOf('<');
  while (i >= 0) {
    const gt = html[i + 1] === '>' ? -1 : html.indexOf('>', i + 2);
    if (gt < 0 && html[i + 1] !== '>') break; // no '>' left: no tag starts here or later
    if (gt >= 0) {
      out += html.slice(copied, i) + ' ';
      copied = gt + 1;
      i = html.indexOf('<', copied);
    } else {
      i = html.indexOf('<', i + 1); // "<>" is not a tag
    }
  }
  return copied === 0 ? html : out + html.slice(copied);
}

export function htmlToText(html: string): string {
  return withoutTags(withoutScriptsAndStyles(html).replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n'))
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n) < 0x110000 ? Number(n) : 0x20))
    .replace(/[ \t]+/g, ' ');
}
