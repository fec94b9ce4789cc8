// Errors that cross a boundary (CLI, IPC, HTTP) carry a code the UI can branch on and a sentence
// a person can act on; never a stack trace. Anything else is an internal failure.
//
// The sentence is for every client, so it names no command or flag: the app shows it as it is.
// What only a terminal user can do next ("triage queue cancel ID", "--force") goes into `cli`,
// which the CLI prints after the sentence and which never crosses to the app.
import type { ApiErrorCode, ApiErrorShape } from './api.js';

export class TriageError extends Error implements ApiErrorShape {
  /** The next step in the CLI's words (a command, a flag), or undefined. */
  readonly cli?: string;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: { cli?: string } = {},
  ) {
    super(message);
    this.name = 'TriageError';
    if (options.cli) this.cli = options.cli;
  }
}

export function toApiError(e: unknown): ApiErrorShape {
  if (e instanceof TriageError) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: message.split('\n')[0] || 'Unexpected failure' };
}

/** The sentence as the CLI prints it: with the command or flag that helps there. */
export function cliMessage(e: unknown): string {
  const { message } = toApiError(e);
  return e instanceof TriageError && e.cli ? `${message} ${e.cli}` : message;
}
