import { and, eq, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, reviewItem, reviewSignoff } from '../../db/schema/index.js';
import type { PendingReviewer } from './find-pending-reviewers.js';

/**
 * Reviewers of a campaign who decided every item but have not signed off: the reminders ask
 * them for the sign-off (an unsigned review is a finding). Same shape as the pending ones,
 * with `pending` 0.
 */
export async function findUnsignedReviewers(db: Db, campaignId: string): Promise<PendingReviewer[]> {
  return db
    .select({
      reviewerId: reviewItem.reviewerId,
      pending: sql<number>`0::int`,
      slackUserId: person.slackUserId,
      slackTz: person.slackTz,
      managerId: person.managerId,
    })
    .from(reviewItem)
    .innerJoin(person, eq(person.id, reviewItem.reviewerId))
    .where(
      and(
        eq(reviewItem.campaignId, campaignId),
        notExists(db.select({ one: sql`1` }).from(reviewSignoff).where(and(eq(reviewSignoff.campaignId, campaignId), eq(reviewSignoff.reviewerId, reviewItem.reviewerId)))),
      ),
    )
    .groupBy(reviewItem.reviewerId, person.slackUserId, person.slackTz, person.managerId)
    .having(sql`count(*) filter (where ${reviewItem.decision} = 'pending') = 0`)
    .orderBy(reviewItem.reviewerId);
}
