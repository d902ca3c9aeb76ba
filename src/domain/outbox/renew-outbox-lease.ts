import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';
import type { DeliveryProgress } from './delivery-progress.js';

/**
 * Extends the lock on a row this worker holds (and records progress when given). Returns false
 * when the row is no longer ours: the lock expired and another worker took it over, so this
 * one must not call Slack for it again.
 */
export async function renewOutboxLease(
  db: Db,
  id: string,
  held: Date,
  next: Date,
  progress?: DeliveryProgress,
): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ lockedUntil: next, ...(progress ? { result: { ...progress } } : {}) })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'sending'), eq(outbox.lockedUntil, held)))
    .returning({ id: outbox.id });
  return rows.length === 1;
}
