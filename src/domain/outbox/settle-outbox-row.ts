import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox, slackMessage } from '../../db/schema/index.js';
import type { DeliveryProgress } from './delivery-progress.js';

export type Settlement =
  /** Delivered, skipped (`result.skipped`) or folded into another row (`result.coalesced`). */
  | { status: 'sent'; result: Record<string, unknown> }
  /** Will never succeed (unknown kind, channel_not_found, …) or gave up after the last attempt. */
  | { status: 'failed'; error: string }
  /** Its recipient has no Slack user: kept, and re-queued once they are linked. */
  | { status: 'undeliverable'; error: string }
  /** Try again at `at`. `counted: false` gives the attempt back (a 429 or a shutdown is not a failure). */
  | { status: 'pending'; at: Date; error: string | null; counted: boolean };

/**
 * Ends an attempt on a row this worker holds, and remembers the pages it posted under the
 * plan's thread key in the same transaction, so the row's `sent` and the record a later
 * `update` relies on commit together. Returns false when the lock was lost to another worker.
 */
export async function settleOutboxRow(
  db: Db,
  now: Date,
  id: string,
  held: Date,
  progress: DeliveryProgress,
  outcome: Settlement,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(outbox)
      .set({ ...columnsFor(now, progress, outcome), lockedUntil: null })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'sending'), eq(outbox.lockedUntil, held)))
      .returning({ id: outbox.id });
    if (rows.length === 0) return false;
    const { threadKey } = progress;
    if (threadKey && progress.messages.length > 0) {
      await tx
        .insert(slackMessage)
        .values(progress.messages.map((m) => ({ threadKey, page: m.page, channel: m.channel, ts: m.ts, outboxId: id, updatedAt: now })))
        .onConflictDoUpdate({
          target: [slackMessage.threadKey, slackMessage.page],
          set: {
            channel: sql`excluded.channel`,
            ts: sql`excluded.ts`,
            outboxId: sql`excluded.outbox_id`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
    return true;
  });
}

function columnsFor(now: Date, progress: DeliveryProgress, outcome: Settlement) {
  const result = progress.messages.length > 0 || progress.inDoubt ? { ...progress } : null;
  switch (outcome.status) {
    case 'sent':
      return { status: 'sent' as const, sentAt: now, result: { ...result, ...outcome.result }, lastError: null };
    case 'failed':
      return { status: 'failed' as const, lastError: outcome.error, result };
    case 'undeliverable':
      return { status: 'undeliverable' as const, lastError: outcome.error, result };
    case 'pending':
      return {
        status: 'pending' as const,
        nextAttemptAt: outcome.at,
        lastError: outcome.error,
        result,
        ...(outcome.counted ? {} : { attempts: sql`greatest(${outbox.attempts} - 1, 0)` }),
      };
  }
}
