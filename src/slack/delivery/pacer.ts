import { TokenBucket } from './token-bucket.js';

export interface PacerOptions {
  /** Workspace-wide chat.postMessage rate this app allows itself (messages per second). */
  workspacePerSecond: number;
  /**
   * Gap between two posts to one channel. Slack allows about one message per second per
   * channel; a little more than a second keeps network jitter from landing two in one window.
   */
  channelIntervalMs: number;
  /** chat.update is Tier 3 (50+ a minute, workspace-wide): staying under it avoids 429s. */
  updatesPerMinute: number;
}

/**
 * One bucket per channel and one for the workspace, so one busy channel never holds up the
 * others and the workspace total stays under its limit. A 429 we did not see coming means the
 * limit is tighter than configured: the workspace rate drops and creeps back with successes.
 */
export class Pacer {
  private readonly channels = new Map<string, TokenBucket>();
  private readonly workspace: TokenBucket;
  private readonly updates: TokenBucket;

  constructor(private readonly opts: PacerOptions) {
    this.workspace = new TokenBucket(opts.workspacePerSecond, 1);
    // A burst of 5 plus the rate stays within Slack's one-minute window at its published minimum.
    this.updates = new TokenBucket(opts.updatesPerMinute / 60, 5);
  }

  /** Waits for this channel's turn, then the workspace's: never holds a workspace slot while a channel is busy. */
  async beforePost(channel: string, signal?: AbortSignal): Promise<void> {
    if (this.opts.channelIntervalMs > 0) await this.channel(channel).take(signal);
    await this.workspace.take(signal);
  }

  async beforeUpdate(signal?: AbortSignal): Promise<void> {
    await this.updates.take(signal);
  }

  succeeded(): void {
    const full = this.opts.workspacePerSecond;
    if (this.workspace.rate < full) this.workspace.setRate(Math.min(full, this.workspace.rate + full / 50));
  }

  rateLimited(channel: string | undefined, retryAfterMs: number): void {
    if (channel && this.opts.channelIntervalMs > 0) this.channel(channel).pauseFor(retryAfterMs);
    this.workspace.setRate(Math.max(1, this.workspace.rate * 0.75));
  }

  private channel(id: string): TokenBucket {
    let bucket = this.channels.get(id);
    if (!bucket) {
      if (this.channels.size >= 5000) this.prune();
      bucket = new TokenBucket(1000 / this.opts.channelIntervalMs, 1);
      this.channels.set(id, bucket);
    }
    return bucket;
  }

  /** A launch touches thousands of DMs once each; buckets that are full again carry no state. */
  private prune(): void {
    for (const [id, bucket] of this.channels) if (bucket.idleFor(this.opts.channelIntervalMs)) this.channels.delete(id);
  }
}
