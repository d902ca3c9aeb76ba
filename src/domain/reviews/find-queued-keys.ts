import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';

const CHUNK = 1000;

/**
 * Which of these dedupe keys are already in the outbox. Jobs that run every 15 minutes ask
 * first, so thousands of already-sent reminders cost one read instead of thousands of
 * conflicting inserts and transactions.
 */
export async function findQueuedKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await db.select({ key: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, keys.slice(i, i + CHUNK)));
    for (const r of rows) if (r.key) found.add(r.key);
  }
  return found;
}
