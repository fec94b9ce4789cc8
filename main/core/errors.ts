// Errors that cross a boundary (CLI, IPC, HTTP) carry a code the UI can branch on and a sentence
// a person can act on; never a stack trace. Anything else is an internal failure.
import type { ApiErrorCode, ApiErrorShape } from './api.js';

export class TriageError extends Error implements ApiErrorShape {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TriageError';
  }
}

export function toApiError(e: unknown): ApiErrorShape {
  if (e instanceof TriageError) return { code: e.code, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: message.split('\n')[0] || 'Unexpected failure' };
}
