import { sql, type SQL } from 'drizzle-orm';

/**
 * Whether a reviewer's latest sign-off covers all of their items in the campaign now.
 *
 * A sign-off is taken over every item the reviewer has, all decided. After it, that set only
 * grows: a decided item never changes its decision or its reviewer (decisions, handovers and
 * the close all touch pending items only) and items are never deleted; what reaches the
 * reviewer later (a second-level item, a handover) arrives pending. So the signed items are
 * always a subset of the current ones, and "same count" is exactly "same items": the count is
 * the test, in the DM, the sign-off, reminders, findings and the bundle alike. An item that
 * arrived after the sign-off and was handed on again leaves the count, and the coverage, as
 * they were. `items - signed` is how many reached the reviewer after it.
 */
export function coversAll(signed: { itemCount: number } | null | undefined, items: number): boolean {
  return !!signed && signed.itemCount === items;
}

/**
 * The `item_count` of a reviewer's latest sign-off (as of `asOf`, when given), for a lateral
 * join: `left join lateral ${latestSignedCountSql(...)} ls on true`, then `ls.item_count`
 * (null: never signed).
 */
export function latestSignedCountSql(campaignId: SQL, reviewerId: SQL, asOf: Date | null = null): SQL {
  return sql`(select s.item_count, s.signed_at from review_signoff s
    where s.campaign_id = ${campaignId} and s.reviewer_id = ${reviewerId} ${asOf ? sql`and s.signed_at <= ${asOf}` : sql``}
    order by s.seq desc limit 1)`;
}
