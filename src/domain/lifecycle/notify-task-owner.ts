import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, personRole, type Task } from '../../db/schema/index.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';

/** Queues the task DM (with `Mark done`) to its owner, or to everyone holding its owner role. */
export async function notifyTaskOwner(tx: Db, now: Date, t: Task): Promise<number> {
  const ids = t.ownerId
    ? [t.ownerId]
    : (await tx.select({ id: personRole.personId }).from(personRole).where(eq(personRole.role, (t.ownerRole ?? 'it') as 'it'))).map((r) => r.id);
  if (ids.length === 0) return 0;
  const people = await tx.select({ id: person.id, slack: person.slackUserId }).from(person).where(inArray(person.id, ids));
  let queued = 0;
  for (const p of people) {
    if (!p.slack) continue;
    if (await enqueueMessage(tx, now, { kind: 'task.assigned', channel: p.slack, dedupeKey: `task.assigned:${t.id}:${p.id}:${t.attempts}`, payload: { taskId: t.id, personId: p.id } })) {
      queued += 1;
    }
  }
  return queued;
}
