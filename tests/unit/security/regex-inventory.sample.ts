// Patterns in each form regex-inventory.ts must find (read by redos.test.ts, never run).
const WORDS = ['one', 'two'];
const ALT = 'x|y';
export function sample(s: string, name: string): unknown[] {
  return [/^a+b$/i.test(s),
    new RegExp(`^(?:${ALT})\\s+z$`, 'g'),
    new RegExp('^(?:' + WORDS.join('|') + ')$').test(s) || /^x$/m.test(s),
    RegExp(`(?:ab|c)+d`, 'u'),
    s.match('a.c'),
    new RegExp(`^${name}:`)];
}
