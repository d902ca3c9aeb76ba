import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { claimOutboxRows } from '../domain/outbox/claim-outbox-rows.js';
import { coalesceRefreshes } from '../domain/outbox/coalesce-refreshes.js';
import { countUndeliverable } from '../domain/outbox/count-undeliverable.js';
import { requeueLinkedRecipients } from '../domain/outbox/requeue-linked-recipients.js';
import type { DeliveryContext } from '../slack/delivery/context.js';
import { deliverRow } from '../slack/delivery/deliver-row.js';
import { outboxDeliveriesTotal, outboxUndeliverable } from '../slack/delivery/metrics.js';
import { Pacer } from '../slack/delivery/pacer.js';
import type { RendererRegistry } from '../slack/delivery/types.js';

export interface OutboxWorkerOptions {
  /** A client that rejects rate-limited calls and does not retry (`deliveryClient`). */
  slack: WebClient;
  renderers: RendererRegistry;
  /** Rows in flight at once, each to a different channel (default 20). */
  concurrency?: number;
  /** Workspace-wide posts per second (default 20). */
  workspacePerSecond?: number;
  /** Gap between posts to one channel (default 1100 ms; Slack allows ~1 per second). */
  channelIntervalMs?: number;
  /** chat.update calls per minute (default 45; Tier 3 is 50+). */
  updatesPerMinute?: number;
  /**
   * How long a claim holds a row before another worker may take it over (default 30 s). Keep it
   * well above the client's timeout (10 s): a call must never outlive the lock it was made under.
   */
  lockMs?: number;
  /** Poll interval when nothing is due (default 250 ms). */
  idleMs?: number;
  /** Attempts before a row is failed (default 8). */
  maxAttempts?: number;
  /** Messages searched when a send may have landed (default 20). */
  historyLimit?: number;
  /** Delay before attempt n+1 after attempt n failed (default 5 s doubling to 15 min, ±20%). */
  backoffMs?: (attempt: number) => number;
  /**
   * How often undeliverable messages of people since linked to Slack are re-queued, and the
   * undeliverable gauge refreshed (default 30 s; also once at start).
   */
  relinkEveryMs?: number;
}

export interface OutboxWorker {
  /** Look for due rows now instead of at the next poll. */
  wake(): void;
  /** Resolves the next time the worker finds nothing due and nothing in flight (tests, bench). */
  idle(): Promise<void>;
  /** Stops claiming, lets in-flight sends finish (rows still waiting for a slot are handed back). */
  stop(): Promise<void>;
}

const defaultBackoff = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 900_000) * (0.8 + Math.random() * 0.4);

/**
 * Messages that waited for a Slack user go out once their person has one; the gauge shows
 * what still waits (kinds seen before and now gone show 0 rather than vanishing).
 */
async function relinkRecipients(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, seenKinds: Set<string>): Promise<void> {
  const requeued = await requeueLinkedRecipients(deps.db, deps.clock.now());
  if (requeued.length > 0) deps.logger.info({ requeued: requeued.length }, 'outbox messages re-queued for people now in Slack');
  const waiting = await countUndeliverable(deps.db);
  for (const kind of waiting.keys()) seenKinds.add(kind);
  for (const kind of seenKinds) outboxUndeliverable.set({ kind }, waiting.get(kind) ?? 0);
}

/** Delivers the outbox continuously: claim due rows, send each, settle it; poll when idle. */
export function startOutboxWorker(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>, opts: OutboxWorkerOptions): OutboxWorker {
  const concurrency = opts.concurrency ?? 20;
  const abort = new AbortController();
  const ctx: DeliveryContext = {
    deps,
    slack: opts.slack,
    renderers: opts.renderers,
    pacer: new Pacer({
      workspacePerSecond: opts.workspacePerSecond ?? 20,
      channelIntervalMs: opts.channelIntervalMs ?? 1100,
      updatesPerMinute: opts.updatesPerMinute ?? 45,
    }),
    signal: abort.signal,
    lockMs: opts.lockMs ?? 30_000,
    maxAttempts: opts.maxAttempts ?? 8,
    historyLimit: opts.historyLimit ?? 20,
    backoffMs: opts.backoffMs ?? defaultBackoff,
  };
  const inFlight = new Set<Promise<unknown>>();
  let nudge = new AbortController();
  let pass = 0;
  let idleWaiters: { after: number; resolve: () => void }[] = [];
  const wake = () => nudge.abort();
  const relinkEveryMs = opts.relinkEveryMs ?? 30_000;
  let relinkAt = 0;
  const seenKinds = new Set<string>();

  const loop = async () => {
    while (!abort.signal.aborted) {
      pass += 1;
      const free = concurrency - inFlight.size;
      let claimed = 0;
      let pause = opts.idleMs ?? 250;
      try {
        // Wall time, not deps.clock: a test's fixed clock must not stop the pass.
        if (Date.now() >= relinkAt) {
          relinkAt = Date.now() + relinkEveryMs;
          await relinkRecipients(deps, seenKinds);
        }
        if (free > 0) {
          const now = deps.clock.now();
          const coalesced = await coalesceRefreshes(deps.db, now);
          if (coalesced > 0) outboxDeliveriesTotal.inc({ kind: 'review.refresh', outcome: 'coalesced' }, coalesced);
          const rows = await claimOutboxRows(deps.db, now, { limit: free, lockMs: ctx.lockMs });
          claimed = rows.length;
          for (const row of rows) {
            const p: Promise<unknown> = deliverRow(ctx, row)
              .catch((err: unknown) => deps.logger.error({ err, outbox: row.row.id }, 'outbox delivery crashed'))
              .finally(() => {
                inFlight.delete(p);
                wake();
              });
            inFlight.add(p);
          }
        }
      } catch (err) {
        // The database is unreachable: poll more slowly; nothing is lost, rows wait in the outbox.
        deps.logger.error({ err }, 'outbox claim failed');
        pause = Math.max(pause, 2000);
      }
      if (claimed === 0 && inFlight.size === 0) {
        const done = idleWaiters.filter((w) => w.after < pass);
        idleWaiters = idleWaiters.filter((w) => w.after >= pass);
        for (const w of done) w.resolve();
      }
      // Claimed a full batch: there may be more, go again; otherwise wait for a finish, a wake or the poll.
      if (claimed > 0 && claimed === free) continue;
      if (abort.signal.aborted) break;
      await sleep(pause, undefined, { signal: nudge.signal }).catch(() => undefined);
      if (nudge.signal.aborted) nudge = new AbortController();
    }
    await Promise.allSettled([...inFlight]);
  };
  const running = loop();

  return {
    wake,
    idle: () => new Promise<void>((resolve) => idleWaiters.push({ after: pass, resolve })),
    stop: async () => {
      abort.abort();
      wake();
      await running;
      for (const w of idleWaiters) w.resolve();
    },
  };
}
