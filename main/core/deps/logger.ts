// A scoped logger: warnings a person should see (stderr in the CLI), and debug lines only with
// TRIAGE_DEBUG. Addresses and subjects belong at debug level only (STYLE practice 8).
export interface Logger {
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** The same sink, with a scope ("followup", "sync") in debug lines. */
  scope(name: string): Logger;
}

/** `triage: <message>` on stderr, as the CLI has always written its warnings. */
export function stderrLogger({ debug = !!process.env.TRIAGE_DEBUG, scope = '' }: { debug?: boolean; scope?: string } = {}): Logger {
  const write = (line: string) => process.stderr.write(`triage: ${line}\n`);
  return {
    warn: write,
    info: write,
    debug: (m) => {
      if (debug) write(`[${scope || 'core'}] ${m}`);
    },
    scope: (name) => stderrLogger({ debug, scope: scope ? `${scope}.${name}` : name }),
  };
}

/** Collects warnings (tests, and callers that show them elsewhere). */
export function listLogger(sink: { warn?: (m: string) => void; info?: (m: string) => void } = {}): Logger {
  const self: Logger = {
    warn: (m) => sink.warn?.(m),
    info: (m) => sink.info?.(m),
    debug: () => undefined,
    scope: () => self,
  };
  return self;
}

export const silentLogger: Logger = listLogger();
