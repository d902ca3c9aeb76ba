import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { accessRequest, task, type Task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { describeProvisioning, loadProvisionTarget } from './load-provision-target.js';
import { notifyTaskOwner } from './notify-task-owner.js';

export interface PlanProvisioningInput {
  requestId: string;
  actor: string;
  /** Not carried out before this time (a new hire's start date). */
  notBefore?: Date | null;
  deadline?: Date | null;
}

/**
 * Turns an approved grant request into one task: a group membership the source's connector
 * can add is automated (carried out by runAutomatedTasks from `notBefore`); anything else is a
 * manual task for the resource owner, or IT. Runs in the caller's transaction.
 */
export async function planProvisioning(
  tx: Db,
  deps: Pick<Deps, 'clock'>,
  registry: ConnectorRegistry,
  input: PlanProvisioningInput,
): Promise<Task> {
  const target = await loadProvisionTarget(tx, input.requestId);
  if (target.request.status !== 'approved') {
    throw new AppError('CONFLICT', `Request ${input.requestId} is ${target.request.status}, not approved`);
  }
  const connector = await registry.get(target.source);
  const automated = target.resource.kind === 'group' && Boolean(connector?.addGroupMembership);
  const now = deps.clock.now();
  const ownerId = automated ? null : target.resource.ownerId;
  const [row] = await tx
    .insert(task)
    .values({
      requestId: target.request.id,
      action: automated ? 'add_group_membership' : 'grant_access',
      description: describeProvisioning(target),
      automated,
      ownerId,
      ownerRole: ownerId ? null : 'it',
      status: 'open',
      notBefore: input.notBefore ?? null,
      deadline: input.deadline ?? null,
      createdAt: now,
    })
    .returning();
  await tx.update(accessRequest).set({ status: 'in_progress' }).where(eq(accessRequest.id, target.request.id));
  await appendEvidence(tx, deps.clock, {
    actor: input.actor,
    action: 'task.created',
    subject: { task: row!.id, request: target.request.id },
    payload: { action: row!.action, automated, description: row!.description, ownerId, ownerRole: row!.ownerRole, notBefore: input.notBefore ?? null, deadline: input.deadline ?? null },
  });
  if (!automated) await notifyTaskOwner(tx, now, row!);
  return row!;
}
