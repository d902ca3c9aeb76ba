import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessGrant, accessRequest, account, task } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { planRemoval } from './plan-removal.js';
import { notifyRequester } from './request-notices.js';

const BATCH = 200;
const ACTOR = 'job:expire-access';

/**
 * Time-bound access whose expiry has passed is taken away: each live grant of the resource to
 * the person becomes an approved revoke request and a removal task, verified by the next
 * sync like any other. `details.expiredAt` is set by a conditional update first, so a rerun
 * or a second replica expires each request once. Provisioning still waiting is cancelled.
 */
export async function expireAccess(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  registry: ConnectorRegistry,
  now: Date,
): Promise<{ expired: number; removals: number }> {
  const due = await deps.db
    .select({ id: accessRequest.id })
    .from(accessRequest)
    .where(
      and(
        eq(accessRequest.kind, 'grant'),
        lte(accessRequest.expiresAt, now),
        inArray(accessRequest.status, ['approved', 'in_progress', 'done', 'verified']),
        sql`${accessRequest.details}->>'expiredAt' is null`,
      ),
    )
    .orderBy(asc(accessRequest.expiresAt))
    .limit(BATCH);
  const report = { expired: 0, removals: 0 };
  for (const { id } of due) {
    const removals = await deps.db.transaction(async (tx) => {
      const [req] = await tx
        .update(accessRequest)
        .set({ details: sql`${accessRequest.details} || ${JSON.stringify({ expiredAt: now.toISOString() })}::jsonb` })
        .where(and(eq(accessRequest.id, id), sql`${accessRequest.details}->>'expiredAt' is null`))
        .returning();
      if (!req || !req.subjectPersonId || !req.resourceId) return null;
      await tx.update(task).set({ status: 'cancelled', note: 'access expired before it was provisioned' }).where(and(eq(task.requestId, id), eq(task.status, 'open')));
      // Never provisioned (and nothing in flight): the request ends here.
      await tx
        .update(accessRequest)
        .set({ status: 'cancelled' })
        .where(and(eq(accessRequest.id, id), inArray(accessRequest.status, ['approved', 'in_progress']), sql`not exists (select 1 from ${task} where ${task.requestId} = ${id} and ${task.status} in ('running', 'done'))`));
      const grants = await tx
        .select({ id: accessGrant.id, accountId: accessGrant.accountId })
        .from(accessGrant)
        .innerJoin(account, eq(account.id, accessGrant.accountId))
        .where(and(eq(account.personId, req.subjectPersonId), eq(accessGrant.resourceId, req.resourceId), isNull(accessGrant.removedAt)));
      const revokeIds: string[] = [];
      for (const g of grants) {
        const [rv] = await tx
          .insert(accessRequest)
          .values({
            kind: 'revoke',
            status: 'approved',
            subjectPersonId: req.subjectPersonId,
            resourceId: req.resourceId,
            accountId: g.accountId,
            grantId: g.id,
            requestedBy: ACTOR,
            approvedBy: `expiry:${id}`,
            approvedAt: now,
            reason: 'time-bound access expired',
            origin: `expiry:${id}`,
            createdAt: now,
          })
          .returning({ id: accessRequest.id });
        await planRemoval(tx, deps, registry, { requestId: rv!.id, actor: ACTOR });
        revokeIds.push(rv!.id);
      }
      await appendEvidence(tx, deps.clock, {
        actor: ACTOR,
        action: 'request.expired',
        subject: { request: id, person: req.subjectPersonId, resource: req.resourceId },
        payload: { expiresAt: req.expiresAt, revokeRequests: revokeIds },
      });
      await notifyRequester(tx, now, id, 'expired');
      return revokeIds.length;
    });
    if (removals === null) continue;
    report.expired += 1;
    report.removals += removals;
  }
  return report;
}
