import { PermanentError, TransientError } from '../types.js';

/**
 * Turns whatever the SDK threw into the connector's two error classes. The SDK throws
 * OktaApiError / HttpError (with `status`), ApiException (with `code`), node-fetch's FetchError
 * (network, timeout) and plain Errors (bad key, bad config).
 */
export function classifyOktaError(err: unknown, doing: string): TransientError | PermanentError {
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const e = (err ?? {}) as { status?: unknown; code?: unknown; name?: unknown; type?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.code === 'number' ? e.code : undefined;
  const detail = typeof e.message === 'string' ? e.message : String(err);
  const message = `Okta: ${doing} failed: ${detail}`;
  if (status === 429) return new TransientError(`${message} (rate limit still exhausted after retries)`, { cause: err });
  if (status !== undefined && status >= 500) return new TransientError(message, { cause: err });
  if (status !== undefined) return new PermanentError(message, { cause: err });
  if (e.name === 'FetchError' || e.name === 'AbortError' || e.type === 'request-timeout' || e.type === 'system') {
    return new TransientError(message, { cause: err });
  }
  return new PermanentError(message, { cause: err });
}

/** The HTTP status behind an SDK error, if there was a response. */
export function statusOf(err: unknown): number | undefined {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; cause?: unknown };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.code === 'number') return e.code;
  return e.cause !== undefined && e.cause !== err ? statusOf(e.cause) : undefined;
}
