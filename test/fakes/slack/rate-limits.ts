/**
 * Slack's limits, as the fake enforces them when asked to. `per: 'channel'` keys the window by
 * the call's channel (chat.postMessage allows about one message per second per channel);
 * `per: 'workspace'` by method alone (the tiers: Tier 2 ≈ 20/min, Tier 3 ≈ 50/min, Tier 4 ≈ 100/min).
 */
export interface RateRule {
  /** A method name, or a prefix ending in `.*` such as `views.*`. */
  method: string;
  limit: number;
  windowMs: number;
  per: 'channel' | 'workspace';
}

export const SLACK_RATE_LIMITS: RateRule[] = [
  { method: 'chat.postMessage', limit: 1, windowMs: 1000, per: 'channel' },
  { method: 'users.list', limit: 20, windowMs: 60_000, per: 'workspace' },
  { method: 'conversations.history', limit: 50, windowMs: 60_000, per: 'workspace' },
  { method: 'conversations.open', limit: 50, windowMs: 60_000, per: 'workspace' },
  { method: 'chat.update', limit: 50, windowMs: 60_000, per: 'workspace' },
  { method: 'users.lookupByEmail', limit: 50, windowMs: 60_000, per: 'workspace' },
  { method: 'users.info', limit: 100, windowMs: 60_000, per: 'workspace' },
  { method: 'views.*', limit: 100, windowMs: 60_000, per: 'workspace' },
];

/** Sliding-window counters; a refused call does not count against the window, as on Slack. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly rules: RateRule[]) {}

  /** Seconds to wait (Retry-After) when over the limit, else undefined (and the call is counted). */
  check(method: string, channel: string | undefined, now = Date.now()): number | undefined {
    let wait: number | undefined;
    const keys: string[] = [];
    for (const rule of this.rules) {
      if (!matches(rule.method, method)) continue;
      const key = `${rule.method}|${rule.per === 'channel' ? (channel ?? '') : '*'}`;
      const recent = (this.hits.get(key) ?? []).filter((t) => t > now - rule.windowMs);
      this.hits.set(key, recent);
      if (recent.length >= rule.limit) {
        const seconds = Math.max(1, Math.ceil((recent[0]! + rule.windowMs - now) / 1000));
        wait = Math.max(wait ?? 0, seconds);
      }
      keys.push(key);
    }
    if (wait !== undefined) return wait;
    for (const key of keys) this.hits.get(key)!.push(now);
    return undefined;
  }

  reset(): void {
    this.hits.clear();
  }
}

function matches(pattern: string, method: string): boolean {
  return pattern.endsWith('.*') ? method.startsWith(pattern.slice(0, -1)) : pattern === method;
}
