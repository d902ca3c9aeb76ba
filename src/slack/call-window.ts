import { sleep } from '../connectors/sleep.js';

export interface CallWindow {
  /** Resolves when one more call fits in the window (and counts it). */
  take(): Promise<void>;
}

/**
 * At most `limit` calls in any `windowMs`: Slack's tiers are per-minute budgets shared by the
 * whole workspace app, so a burst is fine up to the budget and then we wait instead of
 * collecting 429s.
 */
export function callWindow(limit: number, windowMs: number, now: () => number = Date.now, wait: (ms: number) => Promise<void> = sleep): CallWindow {
  const sent: number[] = [];
  return {
    async take() {
      for (;;) {
        const t = now();
        while (sent.length > 0 && sent[0]! <= t - windowMs) sent.shift();
        if (sent.length < limit) {
          sent.push(t);
          return;
        }
        await wait(sent[0]! + windowMs - t);
      }
    },
  };
}
