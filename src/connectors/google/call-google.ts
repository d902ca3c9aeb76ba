import { httpStatus, toConnectorError } from './classify-error.js';

export interface CallOptions {
  signal?: AbortSignal;
}

type Fetch<T> = (opts: CallOptions) => Promise<{ data: T }>;

export interface GoogleCall {
  <T>(what: string, fn: Fetch<T>, signal?: AbortSignal): Promise<T>;
  /** Statuses in `okStatuses` resolve to `undefined` instead of failing (idempotent writes). */
  <T>(what: string, fn: Fetch<T>, signal: AbortSignal | undefined, okStatuses: readonly number[]): Promise<T | undefined>;
}

/**
 * Every Directory API call goes through here: counted for `stats()`, given the caller's abort
 * signal, and its failure classified. An abort is rethrown as is, not as a Google failure.
 */
export function createGoogleCall(counter: { requests: number }): GoogleCall {
  return async <T>(what: string, fn: Fetch<T>, signal?: AbortSignal, okStatuses: readonly number[] = []) => {
    signal?.throwIfAborted();
    counter.requests += 1;
    try {
      return (await fn(signal ? { signal } : {})).data;
    } catch (err) {
      signal?.throwIfAborted();
      const status = httpStatus(err);
      if (status !== undefined && okStatuses.includes(status)) return undefined;
      throw toConnectorError(err, what);
    }
  };
}
