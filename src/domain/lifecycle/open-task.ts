import { eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { accessRequest, task, type Task } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { signalWork } from '../work/signal-work.js';
import { notifyTaskOwner } from './notify-task-owner.js';

export interface OpenTaskInput {
  requestId: string;
  actor: string;
  action: string;
  description: string;
  automated: boolean;
  /** Manual tasks: the owner; none means the `it` role. */
  ownerId: string | null;
  notBefore?: Date | null | undefined;
  deadline?: Date | null | undefined;
}

/**
 * The one way a request gets its task: the task row, the request moved to in progress, a
 * `task.created` event, and (for a manual task) the owner's DM queued, all in the caller's
 * transaction.
 */
export async function openTask(tx: Db, clock: Clock, input: OpenTaskInput): Promise<Task> {
  const now = clock.now();
  const ownerId = input.automated ? null : input.ownerId;
  const [row] = await tx
    .insert(task)
    .values({
      requestId: input.requestId,
      action: input.action,
      description: input.description,
      automated: input.automated,
      ownerId,
      ownerRole: ownerId ? null : 'it',
      status: 'open',
      notBefore: input.notBefore ?? null,
      deadline: input.deadline ?? null,
      createdAt: now,
    })
    .returning();
  await tx.update(accessRequest).set({ status: 'in_progress' }).where(eq(accessRequest.id, input.requestId));
  await appendEvidence(tx, clock, {
    actor: input.actor,
    action: 'task.created',
    subject: { task: row!.id, request: input.requestId },
    payload: {
      action: input.action,
      automated: input.automated,
      description: input.description,
      ownerId,
      ownerRole: row!.ownerRole,
      notBefore: input.notBefore ?? null,
      deadline: input.deadline ?? null,
    },
  });
  if (!input.automated) await notifyTaskOwner(tx, now, row!);
  // Due now (a leaver effective now, an approved request, a "remove now"): carry it out at commit.
  else if (!row!.notBefore || row!.notBefore <= now) await signalWork(tx, 'tasks');
  return row!;
}
