import { PermanentError, TransientError } from '../types.js';

interface HttpishError {
  status?: number;
  code?: unknown;
  name?: string;
  response?: { status?: number; data?: unknown };
}

/** Google's error body: `{error: {code, message, errors: [{reason}], status}}`. */
function googleMessage(data: unknown): string | undefined {
  const error = (data as { error?: { message?: unknown; errors?: { reason?: unknown }[] } } | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const reason = error.errors?.[0]?.reason;
  const message = typeof error.message === 'string' ? error.message : undefined;
  return [typeof reason === 'string' ? reason : undefined, message].filter(Boolean).join(': ') || undefined;
}

export function httpStatus(err: unknown): number | undefined {
  const e = err as HttpishError | undefined;
  return e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
}

/**
 * Maps whatever googleapis threw (after its own retries) to the connector's two classes:
 * 5xx, 408, 429 and no response at all are worth retrying later; other 4xx are not.
 * The SDK error is not kept as `cause`: its request config carries the bearer token, and a
 * logged cause would put it in the logs.
 */
export function toConnectorError(err: unknown, what: string): Error {
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const status = httpStatus(err);
  if (status === undefined) {
    const e = err as HttpishError | undefined;
    const why = typeof e?.code === 'string' ? e.code : (e?.name ?? 'no response');
    return new TransientError(`google ${what}: ${why}`);
  }
  const detail = googleMessage((err as HttpishError).response?.data);
  const message = `google ${what}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) return new TransientError(message);
  return new PermanentError(message);
}
