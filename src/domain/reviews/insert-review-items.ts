import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { buildSnapshot } from './build-snapshot.js';
import type { PlannedItem } from './types.js';

/**
 * Freezes one page of routed items into the campaign, in the launch transaction. Only the
 * routing travels (one JSON parameter expanded by `jsonb_to_recordset`); Postgres copies each
 * grant's snapshot from its own rows in the same statement, so nothing about the grant makes
 * the round trip through Node. Hints hold only whose owner reviews an account of no person (the
 * routing's answer): `freezeRoutedHints` completes them once every page is in.
 */
export async function insertReviewItems(tx: Db, campaignId: string, items: PlannedItem[]): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((it) => ({ g: it.grantId, r: it.reviewerId, f: it.fallbackReason, o: it.ownerSource ?? null }));
  await tx.execute(sql`
    insert into review_item (campaign_id, grant_id, snapshot, reviewer_id, fallback_reason, hints)
    select ${campaignId}::uuid, g.id, ${buildSnapshot()}, x.r, x.f,
      case when x.o is null then null else jsonb_build_object('ownerless', jsonb_build_object('ownerSource', x.o)) end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(g uuid, r uuid, f text, o text)
    join access_grant g on g.id = x.g
    join account a on a.id = g.account_id
    join resource r on r.id = g.resource_id
    left join person p on p.id = a.person_id
    left join person m on m.id = p.manager_id`);
}
