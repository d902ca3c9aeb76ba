import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessRequest, campaign } from '../../db/schema/index.js';
import { planRemoval } from '../lifecycle/plan-removal.js';

const BATCH = 200;

export interface PlanReviewRemovalsResult {
  planned: number;
  failed: number;
}

/**
 * Turns revocations from reviews into removals (a connector call or a task for the owner).
 * A revoke decision leaves an approved request; this plans it when it is due: at once for
 * "Remove now", after the campaign closed for "At campaign close". Called right after a
 * reviewer's revoke (with its request id) and by the review job for everything else (the
 * close-time ones, and any whose first attempt failed). The request row is locked and must
 * still be `approved`, so two callers at once plan one task.
 */
export async function planReviewRemovals(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'connectors' | 'logger'>,
  opts: { requestIds?: string[] } = {},
): Promise<PlanReviewRemovalsResult> {
  if (opts.requestIds && opts.requestIds.length === 0) return { planned: 0, failed: 0 };
  const due = or(sql`${accessRequest.details}->>'removalTiming' is distinct from 'close'`, eq(campaign.status, 'closed'));
  const rows = await deps.db
    .select({ id: accessRequest.id })
    .from(accessRequest)
    .leftJoin(campaign, sql`${campaign.id}::text = ${accessRequest.details}->>'campaignId'`)
    .where(
      and(
        eq(accessRequest.kind, 'revoke'),
        eq(accessRequest.status, 'approved'),
        like(accessRequest.origin, 'review_item:%'),
        due,
        opts.requestIds ? inArray(accessRequest.id, opts.requestIds) : undefined,
      ),
    )
    .orderBy(asc(accessRequest.createdAt))
    .limit(BATCH);

  const result: PlanReviewRemovalsResult = { planned: 0, failed: 0 };
  for (const { id } of rows) {
    try {
      const planned = await deps.db.transaction(async (tx) => {
        const [req] = await tx.select().from(accessRequest).where(eq(accessRequest.id, id)).for('update');
        if (!req || req.status !== 'approved') return false;
        await planRemoval(tx, deps, deps.connectors, { requestId: id, actor: req.approvedBy ?? 'system' });
        return true;
      });
      if (planned) result.planned += 1;
    } catch (err) {
      // Left approved: the next run tries again; one bad request must not block the others.
      result.failed += 1;
      deps.logger.error({ err, request: id }, 'could not plan the removal of a review revocation');
    }
  }
  return result;
}
