import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { populationSql } from './population-sql.js';
import { rowsOf } from './rows-of.js';
import { exclusionSql } from './scope-exclusion.js';

/** Live grants left out, per source and reason: part of the provenance. */
export async function countExcluded(db: Db, c: Campaign): Promise<{ source: string; reason: string; n: number }[]> {
  const res = await db.execute(sql`
    select g.source, ${exclusionSql(c.scope)} as reason, count(*)::int as n
    ${populationSql(c)} and ${exclusionSql(c.scope)} is not null
    group by 1, 2`);
  return rowsOf<{ source: string; reason: string; n: number }>(res).map((r) => ({ ...r, n: Number(r.n) }));
}
