export interface RateLimitBucket {
  /** Matched against the path (no query); the first bucket that matches counts the request. */
  pattern: RegExp;
  /** Only this method counts here (e.g. GET for "list users"); any when absent. */
  method?: string;
  limit: number;
}

/**
 * Per-minute buckets of a workforce org (DESIGN.md "Notes for faithful fakes"): list users 600,
 * groups 500, anything under /api/v1/apps 100. The rest share a larger catch-all.
 */
export const DEFAULT_BUCKETS: readonly RateLimitBucket[] = [
  { pattern: /^\/api\/v1\/users$/, method: 'GET', limit: 600 },
  { pattern: /^\/api\/v1\/groups(\/|$)/, limit: 500 },
  { pattern: /^\/api\/v1\/apps(\/|$)/, limit: 100 },
  { pattern: /^\/oauth2\/v1\/token$/, limit: 600 },
  { pattern: /^\//, limit: 1200 },
];

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the bucket refills. */
  reset: number;
  allowed: boolean;
}

/** Fixed windows aligned to `windowSeconds`, like Okta's per-minute counters. */
export class RateLimiter {
  private readonly used = new Map<number, { window: number; count: number }>();

  constructor(
    private readonly buckets: readonly RateLimitBucket[],
    private readonly windowSeconds: number,
  ) {}

  /** Undefined when no bucket counts this path (then no rate headers are sent). */
  take(method: string, path: string, nowMs: number): RateDecision | undefined {
    const index = this.buckets.findIndex((b) => b.pattern.test(path) && (!b.method || b.method === method));
    const bucket = this.buckets[index];
    if (!bucket) return undefined;
    const window = Math.floor(nowMs / 1000 / this.windowSeconds);
    const state = this.used.get(index);
    const count = state && state.window === window ? state.count : 0;
    const reset = (window + 1) * this.windowSeconds;
    if (count >= bucket.limit) return { limit: bucket.limit, remaining: 0, reset, allowed: false };
    this.used.set(index, { window, count: count + 1 });
    return { limit: bucket.limit, remaining: bucket.limit - count - 1, reset, allowed: true };
  }
}
