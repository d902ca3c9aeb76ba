import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { firstChoiceSql, inScopeSql, populationSql } from './population-sql.js';
import { rowsOf } from './rows-of.js';

/** Items per source, system and reviewer (with the reviewer's email and Slack user). */
export interface ItemGroup {
  source: string;
  system: string;
  reviewerId: string;
  email: string;
  slackUserId: string | null;
  n: number;
}

/** What a launch would freeze by first choice (see firstChoiceSql), grouped: for the dry run. */
export async function summariseFirstChoices(db: Db, c: Campaign): Promise<ItemGroup[]> {
  const res = await db.execute(sql`
    select g.source, r.system, fc.id::text as "reviewerId", fc.email, fc.slack_user_id as "slackUserId", count(*)::int as n
    ${populationSql(c)} and ${inScopeSql(c)} and ${firstChoiceSql(c)}
    group by 1, 2, 3, 4, 5`);
  return rowsOf<ItemGroup>(res).map((r) => ({ ...r, n: Number(r.n) }));
}
