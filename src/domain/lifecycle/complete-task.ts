import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { findRoles, hasRole } from '../people/person-roles.js';
import { recordRefusal } from '../evidence/record-refusal.js';
import { finishRequestIfComplete } from './finish-request.js';

export type CompleteTaskResult =
  | { outcome: 'done'; taskId: string; requestDone: boolean }
  | { outcome: 'already_done'; taskId: string; doneBy: string | null; doneAt: Date | null };

/**
 * "Mark done" on a manual task: only its owner (or a holder of its owner role) may say the
 * removal was carried out. Anyone else is refused and the attempt is logged.
 */
export async function completeTask(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { taskId: string; actorPersonId: string; note?: string | null },
): Promise<CompleteTaskResult> {
  const [t] = await deps.db.select().from(task).where(eq(task.id, input.taskId));
  if (!t) throw new AppError('NOT_FOUND', 'That task no longer exists.');
  const roles = await findRoles(deps.db, input.actorPersonId);
  const allowed = t.ownerId ? t.ownerId === input.actorPersonId || roles.includes('admin') : hasRole(roles, (t.ownerRole ?? 'it') as 'it');
  if (!allowed) {
    await recordRefusal(deps, { actor: `person:${input.actorPersonId}`, attempted: 'task.complete', subject: { task: t.id }, reason: 'not the task owner' });
    throw new AppError('FORBIDDEN', 'Only the owner of this task can mark it done.');
  }
  return deps.db.transaction(async (tx) => {
    const [actor] = await tx.select({ email: person.email, name: person.name }).from(person).where(eq(person.id, input.actorPersonId));
    const [updated] = await tx
      .update(task)
      .set({ status: 'done', doneBy: `person:${input.actorPersonId}`, doneAt: deps.clock.now(), note: input.note ?? null })
      .where(and(eq(task.id, t.id), inArray(task.status, ['open', 'failed'])))
      .returning();
    if (!updated) {
      const [cur] = await tx.select().from(task).where(eq(task.id, t.id));
      return { outcome: 'already_done', taskId: t.id, doneBy: cur?.doneBy ?? null, doneAt: cur?.doneAt ?? null };
    }
    await appendEvidence(tx, deps.clock, {
      actor: `person:${input.actorPersonId}`,
      action: 'task.done',
      subject: { task: t.id, request: t.requestId },
      payload: { action: t.action, description: t.description, automated: false, note: input.note ?? null, by: actor ?? null },
    });
    const requestDone = await finishRequestIfComplete(tx, deps.clock, t.requestId, `person:${input.actorPersonId}`);
    return { outcome: 'done', taskId: t.id, requestDone };
  });
}
