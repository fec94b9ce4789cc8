// Terminal output: tables for people, JSON for scripts, progress on stderr.
import type { SyncProgress } from '../core/api.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export const NO_ACCOUNTS = 'No accounts. Add one: triage account add NAME --imap-host H --imap-port P --user U';

/**
 * How every list command starts: with --json the list itself and nothing else; for people, one
 * sentence when the list is empty. True when that was all there is to print.
 */
export function printedJsonOrEmpty(entries: readonly unknown[], json: boolean, empty: string): boolean {
  if (json) printJson(entries);
  else if (!entries.length) process.stdout.write(`${empty}\n`);
  else return false;
  return true;
}

/** Columns padded to the widest cell; the last column is never padded or cut. */
export function table(headers: string[], rows: string[][], { maxWidth = 48 }: { maxWidth?: number } = {}): string {
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s);
  const all = [headers, ...rows].map((r, ri) => r.map((c, i) => (i < r.length - 1 || ri === 0 ? cut(c ?? '', maxWidth) : c ?? '')));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (i < r.length - 1 ? (r[i] ?? '').length : 0))));
  return all
    .map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd())
    .join('\n');
}

/**
 * Sync progress on stderr: a redrawn bar on a TTY, one line per folder otherwise (logs and CI
 * stay readable).
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: SyncProgress) => void; end: () => void } {
  const tty = !!stream.isTTY;
  let current = '';
  let lastDraw = 0;
  const lineFor = (p: SyncProgress) => `${p.account} ${p.folder}`;
  return {
    onProgress(p) {
      if (!tty) {
        if (p.phase === 'new' && p.done === 0 && p.total > 0) stream.write(`${p.account}: ${p.folder}: fetching ${p.total} new messages\n`);
        return;
      }
      const now = Date.now();
      if (p.phase === 'done') {
        stream.write('\r\x1b[2K');
        return;
      }
      if (lineFor(p) === current && now - lastDraw < 80 && p.done < p.total) return;
      current = lineFor(p);
      lastDraw = now;
      const width = 30;
      const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      const bar = p.total > 0 ? '█'.repeat(Math.round(frac * width)).padEnd(width, '░') : ' '.repeat(width);
      const count = p.total > 0 ? `${p.done}/${p.total}` : p.phase;
      stream.write(`\r\x1b[2K${p.account} ${truncate(p.folder, 24).padEnd(24)} ${bar} ${count}`);
    },
    end() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

function truncate(s: string, w: number): string {
  return s.length > w ? s.slice(0, w - 1) + '…' : s;
}

/** Ask for a password on the terminal without echoing it. */
export async function promptHidden(question: string): Promise<string | null> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish(value);
          return;
        }
        if (ch === '\u0003') {
          finish(null);
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = (v: string | null) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(v);
    };
    stdin.on('data', onData);
  });
}
