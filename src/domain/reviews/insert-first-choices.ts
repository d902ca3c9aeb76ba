import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { buildSnapshot } from './build-snapshot.js';
import { hintJoinsSql, hintsSql, type HintBasis } from './hints-sql.js';
import { firstChoiceSql, inScopeSql, populationSql } from './population-sql.js';
import { rowsOf } from './rows-of.js';
import type { ItemGroup } from './summarise-first-choices.js';

/**
 * Freezes, in one INSERT … SELECT, every in-scope grant whose reviewer is the rule's first
 * choice with nothing to explain (most of a campaign): nothing of them passes through Node but
 * what was inserted, counted per source, system and reviewer (by the same statement, so the
 * counts are exactly what was frozen). In grant order, so that the (campaign, grant) unique
 * index grows at its right edge instead of at random places (a third less time for 500,000
 * items, sort included). Each item's hints are frozen by the same statement.
 */
export async function insertFirstChoices(tx: Db, c: Campaign, basis: HintBasis): Promise<ItemGroup[]> {
  const res = await tx.execute(sql`
    with frozen as (
      insert into review_item (campaign_id, grant_id, snapshot, reviewer_id, fallback_reason, hints)
      select ${c.id}::uuid, g.id, ${buildSnapshot()}, fc.id, null, ${hintsSql(basis)}
      ${populationSql(c, hintJoinsSql(basis))} and ${inScopeSql(c)} and ${firstChoiceSql(c)}
      order by g.id
      returning snapshot->>'source' as source, snapshot->>'system' as system, reviewer_id
    ), groups as (
      select source, system, reviewer_id, count(*)::int as n from frozen group by 1, 2, 3
    )
    select x.source, x.system, x.reviewer_id::text as "reviewerId", p.email, p.slack_user_id as "slackUserId", x.n
    from groups x join person p on p.id = x.reviewer_id`);
  return rowsOf<ItemGroup>(res).map((r) => ({ ...r, n: Number(r.n) }));
}
