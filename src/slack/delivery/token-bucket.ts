import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces calls to a rate: `burst` calls at once, then `perSecond`. Waiters are served in the
 * order they asked. Runs on the monotonic clock, not the `clock` dependency: it paces real
 * network calls, and a wall-clock jump must not stall or flood them.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = performance.now();
  }

  get rate(): number {
    return this.perSecond;
  }

  /** Resolves when a call may go out; rejects when `signal` aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Nothing goes out for `ms` (Slack said Retry-After). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
  }

  setRate(perSecond: number): void {
    this.refill(performance.now());
    this.perSecond = perSecond;
  }

  /** Last used more than `ms` ago and full again: safe to forget. */
  idleFor(ms: number): boolean {
    const now = performance.now();
    this.refill(now);
    return this.tokens >= this.burst && now - this.last >= ms && now >= this.pausedUntil;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      this.refill(now);
      const paused = this.pausedUntil - now;
      if (paused <= 0 && this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const wait = Math.max(paused, ((1 - this.tokens) / this.perSecond) * 1000);
      await sleep(Math.max(1, Math.ceil(wait)), undefined, signal ? { signal } : {});
    }
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}
