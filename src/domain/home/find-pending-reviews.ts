import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, reviewItem } from '../../db/schema/index.js';
import { DRIFT_KIND } from '../drift/drift-campaign.js';

export interface PendingReviewGroup {
  campaignId: string;
  campaignName: string;
  dueAt: Date;
  pending: number;
}

/**
 * Items still waiting for this reviewer, one row per launched campaign, soonest due first.
 * Draft and closed campaigns are left out: a draft is not yet theirs and a closed one is over;
 * so is the drift campaign, whose items each have their own DM and no due date.
 */
export async function findPendingReviews(db: Db, reviewerId: string): Promise<PendingReviewGroup[]> {
  const rows = await db
    .select({
      campaignId: campaign.id,
      campaignName: campaign.name,
      dueAt: campaign.dueAt,
      pending: count(reviewItem.id),
    })
    .from(reviewItem)
    .innerJoin(campaign, eq(campaign.id, reviewItem.campaignId))
    .where(
      and(eq(reviewItem.reviewerId, reviewerId), eq(reviewItem.decision, 'pending'), eq(campaign.status, 'launched'), ne(campaign.kind, DRIFT_KIND)),
    )
    // Grouping by the primary key lets Postgres select the campaign's other columns.
    .groupBy(campaign.id)
    .orderBy(asc(campaign.dueAt), asc(campaign.name));
  return rows.map((r) => ({ ...r, pending: Number(r.pending) }));
}
