import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';

export interface OutboxIntent {
  /** What to send: `review.request`, `review.refresh`, `task.assigned`, `campaign.summary`, … */
  kind: string;
  /** Slack user or channel id the message goes to (null: the deliverer decides, or drops it). */
  channel: string | null;
  /** Same key, same message: enqueueing twice (a retry, two replicas) sends once. */
  dedupeKey?: string | null;
  /** Ids only: the deliverer renders from current data at send time. */
  payload: Record<string, unknown>;
}

/**
 * Records a message to send, in the caller's transaction, so the state change and the
 * promise to tell someone about it commit together. Returns false when the dedupe key was
 * already queued.
 */
export async function enqueueMessage(tx: Db, now: Date, intent: OutboxIntent): Promise<boolean> {
  const rows = await tx
    .insert(outbox)
    .values({
      kind: intent.kind,
      channel: intent.channel,
      dedupeKey: intent.dedupeKey ?? null,
      payload: intent.payload,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length === 1;
}
