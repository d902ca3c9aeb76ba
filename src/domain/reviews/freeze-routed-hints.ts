import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { hintJoinsSql, hintsSql, type HintBasis } from './hints-sql.js';

/**
 * Completes the hints of the items routed a page at a time (fallbacks, approvals, accounts of
 * no person), in one UPDATE once every page is in: the department and request aggregates are
 * then built once, not once per page. What the routing wrote (`ownerless`) is kept: `||` lets
 * the right-hand side win.
 */
export async function freezeRoutedHints(tx: Db, campaignId: string, basis: HintBasis): Promise<void> {
  await tx.execute(sql`
    update review_item ri set hints = ${hintsSql(basis)} || coalesce(ri.hints, '{}'::jsonb)
    from access_grant g
    join account a on a.id = g.account_id
    join resource r on r.id = g.resource_id
    left join person p on p.id = a.person_id
    ${hintJoinsSql(basis)}
    where ri.campaign_id = ${campaignId}::uuid and ri.level = 1 and g.id = ri.grant_id
      and ri.hints->'compared' is null`);
}
