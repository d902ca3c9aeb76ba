import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { USABLE_STATUSES, type Connector } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { accessGrant, accessRequest, account, resource, type Account, type Task } from '../../db/schema/index.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { planRemoval } from './plan-removal.js';

export interface OffboardingPlanInput {
  caseId: string;
  personId: string;
  actor: string;
  origin: string;
  reason: string;
  effectiveAt: Date;
  dueAt: Date;
}

export interface PlannedRemoval {
  task: Task;
  /** Grants that go with an account-level removal (deactivating the account ends them). */
  covers: string[];
}

/**
 * One child revoke request and one task for every live account and grant of the person. An
 * account whose connector can deactivate or suspend it is removed whole (its grants go with
 * it, and the sync that sees it disabled verifies the request); anywhere else the account and
 * each of its grants are removed one by one, by their owners, and verified grant by grant.
 */
export async function planOffboardingTasks(
  tx: Db,
  deps: Pick<Deps, 'clock' | 'config'>,
  registry: ConnectorRegistry,
  input: OffboardingPlanInput,
): Promise<PlannedRemoval[]> {
  const accounts = await tx
    .select()
    .from(account)
    .where(and(eq(account.personId, input.personId), isNull(account.removedAt), inArray(account.status, [...USABLE_STATUSES])))
    .orderBy(asc(account.source), asc(account.system), asc(account.login));
  const grants =
    accounts.length === 0
      ? []
      : await tx
          .select({ id: accessGrant.id, accountId: accessGrant.accountId, resourceId: accessGrant.resourceId })
          .from(accessGrant)
          .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
          .where(and(inArray(accessGrant.accountId, accounts.map((a) => a.id)), isNull(accessGrant.removedAt)))
          .orderBy(asc(resource.name), asc(accessGrant.via));

  const planned: PlannedRemoval[] = [];
  for (const a of accounts) {
    const connector = await registry.get(a.source);
    const mine = grants.filter((g) => g.accountId === a.id);
    const accountAction = wholeAccountAction(a, connector);
    const accountTask = await planChild(tx, deps, registry, input, { accountId: a.id }, accountAction ?? 'deactivate');
    if (accountAction) {
      planned.push({ task: accountTask, covers: mine.map((g) => g.id) });
      continue;
    }
    planned.push({ task: accountTask, covers: [] });
    for (const g of mine) {
      planned.push({ task: await planChild(tx, deps, registry, input, { accountId: a.id, grantId: g.id, resourceId: g.resourceId }), covers: [] });
    }
  }
  return planned;
}

/** Okta deactivates; Google has no deactivation short of deletion, so it suspends. */
function wholeAccountAction(a: Account, c: Connector | undefined): 'deactivate' | 'suspend' | null {
  if (!c) return null;
  if (a.source === 'google' || (!c.deactivateAccount && c.suspendAccount)) return c.suspendAccount ? 'suspend' : null;
  return c.deactivateAccount ? 'deactivate' : null;
}

async function planChild(
  tx: Db,
  deps: Pick<Deps, 'clock' | 'config'>,
  registry: ConnectorRegistry,
  input: OffboardingPlanInput,
  target: { accountId: string; grantId?: string; resourceId?: string },
  accountAction: 'deactivate' | 'suspend' = 'deactivate',
): Promise<Task> {
  const now = deps.clock.now();
  const [req] = await tx
    .insert(accessRequest)
    .values({
      kind: 'revoke',
      status: 'approved',
      parentId: input.caseId,
      subjectPersonId: input.personId,
      accountId: target.accountId,
      grantId: target.grantId ?? null,
      resourceId: target.resourceId ?? null,
      requestedBy: input.actor,
      // The case is the authority: HR's decision to offboard approves every removal in it.
      approvedBy: input.actor,
      approvedAt: now,
      reason: input.reason,
      origin: input.origin,
      createdAt: now,
    })
    .returning({ id: accessRequest.id });
  return planRemoval(tx, deps, registry, {
    requestId: req!.id,
    actor: input.actor,
    notBefore: input.effectiveAt,
    deadline: input.dueAt,
    accountAction,
  });
}
