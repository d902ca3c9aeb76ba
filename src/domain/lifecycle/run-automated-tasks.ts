import { and, asc, eq, isNull, lt, lte, or } from 'drizzle-orm';
import { PermanentError, TransientError, type Connector } from '../../connectors/types.js';
import type { Deps } from '../../deps.js';
import { task, type Task } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { finishRequestIfComplete } from './finish-request.js';
import { loadProvisionTarget, type ProvisionTarget } from './load-provision-target.js';
import { loadRemovalTarget, type RemovalTarget } from './load-removal-target.js';
import { notifyTaskOwner } from './notify-task-owner.js';

export const MAX_ATTEMPTS = 5;
/** Backoff after attempt n (1-based): 1, 5, 15, 60 minutes. */
const BACKOFF_MS = [60_000, 300_000, 900_000, 3_600_000];

export interface AutomatedRunReport {
  done: number;
  retried: number;
  fellBack: number;
  /** Tasks found due, and the most one run takes: equal means more may be waiting. */
  claimed: number;
  limit: number;
}

/**
 * Carries out due automated tasks against the identity providers. Each task is claimed with a
 * conditional update first, so two workers never run the same one; failures are retried with
 * backoff and, after the last attempt or a permanent error, become manual tasks. A task is
 * marked done only after the provider accepted the change.
 */
export async function runAutomatedTasks(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  registry: ConnectorRegistry,
  opts: { limit?: number } = {},
): Promise<AutomatedRunReport> {
  const now = deps.clock.now();
  const limit = opts.limit ?? 50;
  const due = await deps.db.select().from(task).where(claimable(now)).orderBy(asc(task.createdAt)).limit(limit);
  const report: AutomatedRunReport = { done: 0, retried: 0, fellBack: 0, claimed: due.length, limit };
  for (const t of due) {
    // The attempt count fences the claim: of two workers that saw the same row, one wins.
    const [claimed] = await deps.db
      .update(task)
      .set({ status: 'running', attempts: t.attempts + 1, lockedUntil: new Date(now.getTime() + deps.config.TASK_LEASE_S * 1000) })
      .where(and(eq(task.id, t.id), eq(task.attempts, t.attempts), claimable(now)))
      .returning();
    if (!claimed) continue;
    const outcome: Outcome = await attempt(deps, registry, claimed);
    if (outcome !== 'overtaken') report[outcome] += 1;
  }
  return report;
}

type Outcome = 'done' | 'retried' | 'fellBack' | 'overtaken';

/** Due and open, or `running` under a lease that expired (its worker died mid-attempt). */
function claimable(now: Date) {
  return and(
    eq(task.automated, true),
    or(
      and(eq(task.status, 'open'), or(isNull(task.notBefore), lte(task.notBefore, now))),
      // No lease at all: claimed before leases existed, by a worker long gone.
      and(eq(task.status, 'running'), or(isNull(task.lockedUntil), lt(task.lockedUntil, now))),
    ),
  );
}

/** This attempt still holds the task: nobody reclaimed it after its lease ran out. */
function held(t: Task) {
  return and(eq(task.id, t.id), eq(task.status, 'running'), eq(task.attempts, t.attempts));
}

async function attempt(deps: Pick<Deps, 'db' | 'clock' | 'logger'>, registry: ConnectorRegistry, t: Task): Promise<Outcome> {
  const target = t.action === 'add_group_membership' ? await loadProvisionTarget(deps.db, t.requestId) : await loadRemovalTarget(deps.db, t.requestId);
  const connector = await registry.get(target.source);
  try {
    if (!connector) throw new PermanentError(`no connector is configured for ${target.source}`);
    await perform(connector, t.action, target);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof PermanentError;
    if (!permanent && t.attempts < MAX_ATTEMPTS) {
      const retryAt = new Date(deps.clock.now().getTime() + BACKOFF_MS[Math.min(t.attempts - 1, BACKOFF_MS.length - 1)]!);
      const kept = await deps.db.update(task).set({ status: 'open', notBefore: retryAt, lockedUntil: null, lastError: message }).where(held(t)).returning({ id: task.id });
      if (kept.length === 0) return 'overtaken';
      deps.logger.warn({ task: t.id, attempt: t.attempts, err: message }, 'automated task failed; will retry');
      return 'retried';
    }
    return deps.db.transaction(async (tx) => {
      const [manual] = await tx
        .update(task)
        .set({ status: 'open', automated: false, ownerRole: 'it', lockedUntil: null, lastError: message })
        .where(held(t))
        .returning();
      if (!manual) return 'overtaken';
      await appendEvidence(tx, deps.clock, {
        actor: `connector:${target.source}`,
        action: 'task.fallback_manual',
        subject: { task: t.id, request: t.requestId },
        payload: { attempts: t.attempts, error: message, permanent },
      });
      await notifyTaskOwner(tx, deps.clock.now(), manual);
      return 'fellBack';
    });
  }
  return deps.db.transaction(async (tx) => {
    const by = `connector:${target.source}`;
    const finished = await tx.update(task).set({ status: 'done', doneBy: by, doneAt: deps.clock.now(), lockedUntil: null, lastError: null }).where(held(t)).returning({ id: task.id });
    // Overtaken after our lease ran out: the new holder repeats the (idempotent) action and records it.
    if (finished.length === 0) return 'overtaken';
    await appendEvidence(tx, deps.clock, {
      actor: by,
      action: 'task.done',
      subject: { task: t.id, request: t.requestId },
      payload: { action: t.action, description: t.description, automated: true, attempts: t.attempts },
    });
    await finishRequestIfComplete(tx, deps.clock, t.requestId, by);
    return 'done';
  });
}

async function perform(connector: Connector, action: string, target: RemovalTarget | ProvisionTarget): Promise<void> {
  if ('resource' in target) {
    if (action !== 'add_group_membership' || !connector.addGroupMembership) throw new PermanentError('this connector cannot add group memberships');
    // A hire's account may not exist yet: worth retrying until it does, then a manual task.
    if (!target.account) throw new TransientError(`${target.personEmail} has no ${target.system} account yet`);
    return connector.addGroupMembership(target.account.externalId, target.resource.externalId);
  }
  switch (action) {
    case 'remove_grant':
      if (!target.grant || !connector.removeGrant) throw new PermanentError('this connector cannot remove grants');
      return connector.removeGrant(target.grant);
    case 'deactivate_account':
      if (!connector.deactivateAccount) throw new PermanentError('this connector cannot deactivate accounts');
      return connector.deactivateAccount(target.accountExternalId);
    case 'suspend_account':
      if (!connector.suspendAccount) throw new PermanentError('this connector cannot suspend accounts');
      return connector.suspendAccount(target.accountExternalId);
    default:
      throw new PermanentError(`unknown automated action ${action}`);
  }
}
