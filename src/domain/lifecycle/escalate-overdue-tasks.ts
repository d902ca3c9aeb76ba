import { and, asc, eq, inArray, isNull, lt, notInArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessRequest, person, task } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { findRoleHolders, notifyPeople } from './notify-people.js';

const BATCH = 200;

/**
 * Tasks past their deadline and not done are escalated once: to the owner's manager and to
 * HR. `escalated_at` is set by a conditional update, so a rerun, or two replicas at once,
 * escalate each task once. Tasks whose request a sync already verified are skipped: the
 * access is gone whether or not someone clicked "Mark done".
 */
export async function escalateOverdueTasks(deps: Pick<Deps, 'db' | 'clock'>, now: Date): Promise<{ escalated: number }> {
  const due = await deps.db
    .select({ t: task, parentId: accessRequest.parentId })
    .from(task)
    .innerJoin(accessRequest, eq(accessRequest.id, task.requestId))
    .where(
      and(
        lt(task.deadline, now),
        inArray(task.status, ['open', 'running', 'failed']),
        isNull(task.escalatedAt),
        notInArray(accessRequest.status, ['verified', 'cancelled', 'denied']),
      ),
    )
    .orderBy(asc(task.deadline))
    .limit(BATCH);
  let escalated = 0;
  for (const { t, parentId } of due) {
    const done = await deps.db.transaction(async (tx) => {
      const [claimed] = await tx
        .update(task)
        .set({ escalatedAt: now })
        .where(and(eq(task.id, t.id), isNull(task.escalatedAt)))
        .returning({ id: task.id });
      if (!claimed) return false;
      const [owner] = t.ownerId ? await tx.select({ managerId: person.managerId }).from(person).where(eq(person.id, t.ownerId)) : [];
      const hr = await findRoleHolders(tx, 'hr');
      const audience = [...(owner?.managerId ? [owner.managerId] : []), ...hr];
      await appendEvidence(tx, deps.clock, {
        actor: 'job:escalate-overdue-tasks',
        action: 'task.escalated',
        subject: { task: t.id, request: t.requestId, ...(parentId ? { case: parentId } : {}) },
        payload: { description: t.description, deadline: t.deadline, ownerId: t.ownerId, ownerRole: t.ownerRole, notified: audience },
      });
      await notifyPeople(tx, now, audience, { kind: 'task.overdue', payload: { taskId: t.id }, dedupeKey: `task.overdue:${t.id}` });
      return true;
    });
    if (done) escalated += 1;
  }
  return { escalated };
}
