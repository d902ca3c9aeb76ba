import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';
import type { OutboxIntent } from './enqueue-message.js';

const CHUNK = 1000;

/**
 * Many intents at once (one review request per reviewer at launch), in the caller's
 * transaction. Like `enqueueMessage`, a dedupe key already queued is skipped; returns how many
 * rows were actually added.
 */
export async function enqueueMessages(tx: Db, now: Date, intents: OutboxIntent[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < intents.length; i += CHUNK) {
    const rows = await tx
      .insert(outbox)
      .values(
        intents.slice(i, i + CHUNK).map((intent) => ({
          kind: intent.kind,
          channel: intent.channel,
          dedupeKey: intent.dedupeKey ?? null,
          payload: intent.payload,
          status: 'pending' as const,
          nextAttemptAt: now,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    added += rows.length;
  }
  return added;
}
