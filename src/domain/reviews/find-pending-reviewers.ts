import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, reviewItem } from '../../db/schema/index.js';

export interface PendingReviewer {
  reviewerId: string;
  pending: number;
  slackUserId: string | null;
  slackTz: string | null;
  managerId: string | null;
}

/** Reviewers of a campaign who still have something to decide: nobody else is reminded or escalated. */
export async function findPendingReviewers(db: Db, campaignId: string): Promise<PendingReviewer[]> {
  return db
    .select({
      reviewerId: reviewItem.reviewerId,
      pending: sql<number>`count(*)::int`,
      slackUserId: person.slackUserId,
      slackTz: person.slackTz,
      managerId: person.managerId,
    })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(and(eq(reviewItem.campaignId, campaignId), eq(reviewItem.decision, 'pending')))
    .groupBy(reviewItem.reviewerId, person.slackUserId, person.slackTz, person.managerId)
    .orderBy(reviewItem.reviewerId);
}
