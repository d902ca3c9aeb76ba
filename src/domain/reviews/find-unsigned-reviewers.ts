import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { PendingReviewer } from './find-pending-reviewers.js';
import { rowsOf } from './rows-of.js';
import { latestSignedCountSql } from './signoff-coverage.js';

/**
 * Reviewers of a campaign who decided every item but whose latest sign-off does not cover them
 * all: never signed, or items reached them after it (see signoff-coverage.ts). The reminders
 * ask them for the sign-off (an unsigned review is a finding). Same shape as the pending ones,
 * with `pending` 0.
 */
export async function findUnsignedReviewers(db: Db, campaignId: string): Promise<PendingReviewer[]> {
  const rows = rowsOf<PendingReviewer>(
    await db.execute(sql`
      select d.reviewer_id::text as "reviewerId", 0 as pending, p.slack_user_id as "slackUserId", p.slack_tz as "slackTz", p.manager_id::text as "managerId"
      from (
        select ri.reviewer_id, count(*)::int as items from review_item ri
        where ri.campaign_id = ${campaignId}
        group by ri.reviewer_id
        having count(*) filter (where ri.decision = 'pending') = 0
      ) d
      join person p on p.id = d.reviewer_id
      left join lateral ${latestSignedCountSql(sql`${campaignId}`, sql`d.reviewer_id`)} ls on true
      where ls.item_count is distinct from d.items
      order by d.reviewer_id`),
  );
  return rows.map((r) => ({ ...r, pending: 0 }));
}
