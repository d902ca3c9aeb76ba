/** The part of a fetch Response the gate reads. */
export interface HeaderSource {
  get(name: string): string | null;
}

interface Bucket {
  limit: number;
  /** What the org last announced, less what we have sent since. */
  remaining: number;
  /** Local clock time at which the org refills the bucket. */
  resetAt: number;
  inFlight: number;
}

/**
 * Okta counts requests per endpoint family per minute and announces the budget on every response
 * (X-Rate-Limit-Limit / -Remaining / -Reset). The gate keeps, per family, what was announced and
 * holds new requests once the remainder falls to a reserve, until the reset. The reserve leaves
 * room for other integrations on the same org, which share these limits.
 */
export class RateGate {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds to wait before sending to this family; 0 means go. */
  delay(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const now = this.now();
    // Past the reset the bucket is full again; the next answers tell us the new budget.
    if (now >= b.resetAt) return 0;
    return b.remaining > reserve(b.limit) ? 0 : b.resetAt - now;
  }

  started(key: string): void {
    const b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, { limit: 0, remaining: Infinity, resetAt: 0, inFlight: 1 });
      return;
    }
    b.inFlight += 1;
    b.remaining -= 1;
  }

  /** Records a response's announcement; `exhausted` (a 429) means nothing is left until reset. */
  finished(key: string, headers: HeaderSource | undefined, receivedAt: number, exhausted = false): void {
    const b = this.buckets.get(key);
    if (!b) return;
    b.inFlight -= 1;
    const limit = Number(headers?.get('x-rate-limit-limit'));
    const remaining = Number(headers?.get('x-rate-limit-remaining'));
    const reset = Number(headers?.get('x-rate-limit-reset'));
    if (!Number.isFinite(reset) || reset <= 0) {
      if (exhausted) Object.assign(b, { remaining: 0, resetAt: receivedAt + 1000 });
      return;
    }
    b.resetAt = receivedAt + resetInMs(reset, headers?.get('date') ?? null, receivedAt);
    if (Number.isFinite(limit) && limit > 0) b.limit = limit;
    // Requests still in flight may not be counted in this answer yet: assume they will be.
    b.remaining = exhausted ? 0 : Number.isFinite(remaining) ? remaining - b.inFlight : b.remaining;
  }
}

function reserve(limit: number): number {
  return Math.max(1, Math.ceil(limit * 0.1));
}

/**
 * Time until reset measured on the server's clock (Reset − Date), as the SDK does, so a skewed
 * local clock does not matter. Date has whole seconds, so this errs on the late side by < 1 s.
 */
function resetInMs(resetEpochSeconds: number, date: string | null, receivedAt: number): number {
  const serverNow = date ? Date.parse(date) : Number.NaN;
  if (Number.isFinite(serverNow)) return Math.max(0, resetEpochSeconds * 1000 - serverNow);
  return Math.max(0, resetEpochSeconds * 1000 - receivedAt + 1000);
}

/**
 * The family a request is counted in. Okta groups endpoints roughly by their first path segment,
 * with list endpoints apart from item ones; a wrong guess costs a retried 429, not a failure.
 */
export function bucketKey(url: string): string {
  const path = new URL(url).pathname;
  const m = /^\/api\/v1\/([^/]+)(\/.+)?$/.exec(path);
  if (!m) return path;
  return m[2] ? `${m[1]}/*` : (m[1] as string);
}
