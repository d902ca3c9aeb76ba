import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { authorizeTaskCompletion } from './authorize-task-completion.js';
import { finishRequestIfComplete } from './finish-request.js';

export type CompleteTaskResult =
  | { outcome: 'done'; taskId: string; requestDone: boolean }
  | { outcome: 'already_done'; taskId: string; doneBy: string | null; doneAt: Date | null }
  /** An admin standing in for the owner gave no note: nothing was recorded; ask them for one. */
  | { outcome: 'note_required'; taskId: string };

export const NOTE_MAX = 1000;

/**
 * "Mark done" on a manual task: only its owner (or a holder of its owner role) may say the
 * work was carried out, never on their own access; an admin may stand in for the owner but
 * must say what was done, and the note goes into the task.done evidence event.
 */
export async function completeTask(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { taskId: string; actorPersonId: string; note?: string | null },
): Promise<CompleteTaskResult> {
  const [t] = await deps.db.select().from(task).where(eq(task.id, input.taskId));
  if (!t) throw new AppError('NOT_FOUND', 'That task no longer exists.');
  const authority = await authorizeTaskCompletion(deps, t, input.actorPersonId);
  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) throw new AppError('INVALID_INPUT', `Keep the note under ${NOTE_MAX} characters.`, { field: 'note' });
  // A task already finished is reported as such, rather than asking for a note to no purpose.
  if (authority === 'admin' && !note && (t.status === 'open' || t.status === 'failed')) return { outcome: 'note_required', taskId: t.id };
  return deps.db.transaction(async (tx) => {
    const [actor] = await tx.select({ email: person.email, name: person.name }).from(person).where(eq(person.id, input.actorPersonId));
    const [updated] = await tx
      .update(task)
      .set({ status: 'done', doneBy: `person:${input.actorPersonId}`, doneAt: deps.clock.now(), note })
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
      payload: { action: t.action, description: t.description, automated: false, note, authority, by: actor ?? null },
    });
    const requestDone = await finishRequestIfComplete(tx, deps.clock, t.requestId, `person:${input.actorPersonId}`);
    return { outcome: 'done', taskId: t.id, requestDone };
  });
}
