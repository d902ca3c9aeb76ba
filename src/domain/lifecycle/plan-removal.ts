import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import type { Task } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { describeRemoval, loadRemovalTarget } from './load-removal-target.js';
import { openTask } from './open-task.js';

export interface PlanRemovalInput {
  requestId: string;
  actor: string;
  /** Not carried out before this time (an offboarding's effective time, a campaign's close). */
  notBefore?: Date | null;
  deadline?: Date | null;
  /** Account-level removals: deactivate (Okta default) or suspend. */
  accountAction?: 'deactivate' | 'suspend';
}

/**
 * Turns an approved revoke request into one task: automated when REVOKE_MODE=auto and the
 * source's connector can do it, otherwise a manual task for the resource owner (or IT).
 * Runs in the caller's transaction so the request and its task commit together.
 */
export async function planRemoval(
  tx: Db,
  deps: Pick<Deps, 'clock' | 'config'>,
  registry: ConnectorRegistry,
  input: PlanRemovalInput,
): Promise<Task> {
  const target = await loadRemovalTarget(tx, input.requestId);
  if (target.request.kind !== 'revoke') throw new AppError('INVALID_INPUT', 'Only revoke requests become removals');
  if (target.request.status !== 'approved') {
    throw new AppError('CONFLICT', `Request ${input.requestId} is ${target.request.status}, not approved`);
  }
  const connector = await registry.get(target.source);
  const action = target.grant ? 'remove_grant' : input.accountAction === 'suspend' ? 'suspend_account' : 'deactivate_account';
  const able = target.grant
    ? Boolean(connector?.removeGrant && connector.canRemove(target.grant))
    : Boolean(action === 'suspend_account' ? connector?.suspendAccount : connector?.deactivateAccount);
  const automated = deps.config.REVOKE_MODE === 'auto' && able;
  return openTask(tx, deps.clock, {
    requestId: target.request.id,
    actor: input.actor,
    action,
    description: describeRemoval(target, action),
    automated,
    ownerId: target.grant?.resourceOwnerId ?? null,
    notBefore: input.notBefore,
    deadline: input.deadline,
  });
}
