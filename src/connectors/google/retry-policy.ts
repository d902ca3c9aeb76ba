/**
 * How hard to retry a throttled or failing Google call. The googleapis client retries on its
 * own with no upper bound on the wait and ignores `Retry-After`; every retry here is bounded
 * (count and single delay) and honours `Retry-After` up to `maxDelayMs`.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables). */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  baseDelayMs: number;
  /** Ceiling for any single wait, including one asked for by `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 20_000 };

/** `attempt` is 1 for the first retry. Jitter spreads concurrent member listings apart. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter?: string | null): number {
  const hinted = parseRetryAfter(retryAfter);
  const backoff = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const wait = hinted ?? backoff * (0.75 + Math.random() * 0.5);
  return Math.max(0, Math.min(wait, policy.maxDelayMs));
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

