import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personRole, type Task } from '../../db/schema/index.js';
import { enqueueMessages } from '../outbox/enqueue-messages.js';

/**
 * Queues the task DM (with `Mark done`) to its owner, or to everyone holding its owner role;
 * an owner with no Slack user yet gets it once they are linked (it waits as undeliverable).
 */
export async function notifyTaskOwner(tx: Db, now: Date, t: Task): Promise<number> {
  const ids = t.ownerId
    ? [t.ownerId]
    : (await tx.select({ id: personRole.personId }).from(personRole).where(eq(personRole.role, (t.ownerRole ?? 'it') as 'it'))).map((r) => r.id);
  return enqueueMessages(
    tx,
    now,
    [...new Set(ids)].map((id) => ({ kind: 'task.assigned', recipientPersonId: id, dedupeKey: `task.assigned:${t.id}:${id}:${t.attempts}`, payload: { taskId: t.id, personId: id } })),
  );
}
