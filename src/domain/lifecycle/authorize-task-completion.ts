import type { Deps } from '../../deps.js';
import type { Role, Task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordRefusal } from '../evidence/record-refusal.js';
import { findRoles } from '../people/person-roles.js';
import { findTaskSubjects } from './find-task-subjects.js';

/** How someone may mark a task done: as its owner (or a holder of its owner role), or only as an admin. */
export type TaskAuthority = 'owner' | 'admin';

export const OWN_ACCESS_MESSAGE = "You can't mark done a task about your own access: its owner (or another admin) has to.";
export const NOT_OWNER_MESSAGE = 'Only the owner of this task can mark it done.';

/**
 * Who may say a manual removal or grant was carried out. Nobody for their own access, admins
 * included (the person whose access it is would be vouching for themselves). Then the task's
 * owner, or a holder of its owner role; an admin may stand in for them, which the caller makes
 * them explain. Anyone else is refused; every refusal is a security event.
 */
export async function authorizeTaskCompletion(deps: Pick<Deps, 'db' | 'clock'>, t: Task, actorPersonId: string): Promise<TaskAuthority> {
  const refuse = async (reason: string, message: string): Promise<never> => {
    await recordRefusal(deps, { actor: `person:${actorPersonId}`, attempted: 'task.complete', subject: { task: t.id, request: t.requestId }, reason });
    throw new AppError('FORBIDDEN', message);
  };
  const roles = await findRoles(deps.db, actorPersonId, deps.clock.now());
  const owns = t.ownerId ? t.ownerId === actorPersonId : roles.includes((t.ownerRole ?? 'it') as Role);
  const authority: TaskAuthority | null = owns ? 'owner' : roles.includes('admin') ? 'admin' : null;
  if (!authority) return refuse('not the task owner', NOT_OWNER_MESSAGE);
  // Checked for owners and admins alike: holding the task does not make one's own access an exception.
  if ((await findTaskSubjects(deps.db, t.requestId)).has(actorPersonId)) return refuse('task is about their own access', OWN_ACCESS_MESSAGE);
  return authority;
}
