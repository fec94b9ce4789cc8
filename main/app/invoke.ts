// One call from a client (an IPC message, an HTTP request): the method must be one of
// API_METHODS and its arguments pass the checks; the result or an {code, message} error comes
// back, never a stack.
import { API_METHODS, type ApiMethod, type AppApi } from '../core/api.js';
import { TriageError, toApiError } from '../core/errors.js';
import { isApiMethod, validateArgs } from './validate.js';

type Fn = (...args: unknown[]) => Promise<unknown>;

export async function invoke(api: AppApi, name: string, args: unknown): Promise<{ result: unknown } | { error: { code: string; message: string } }> {
  try {
    if (!isApiMethod(name, API_METHODS)) throw new TriageError('not-found', `There is no method "${String(name).slice(0, 60)}".`);
    const clean = validateArgs(name, args);
    const f = api[name as ApiMethod] as unknown as Fn;
    const result = await f(...clean);
    return { result: result === undefined ? null : result };
  } catch (e) {
    return { error: toApiError(e) };
  }
}
