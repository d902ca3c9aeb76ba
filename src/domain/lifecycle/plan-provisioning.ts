import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import type { Task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { describeProvisioning, loadProvisionTarget } from './load-provision-target.js';
import { openTask } from './open-task.js';

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
  return openTask(tx, deps.clock, {
    requestId: target.request.id,
    actor: input.actor,
    action: automated ? 'add_group_membership' : 'grant_access',
    description: describeProvisioning(target),
    automated,
    ownerId: target.resource.ownerId,
    notBefore: input.notBefore,
    deadline: input.deadline,
  });
}
