import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from './rows-of.js';
import { jsonList } from './scope-exclusion.js';

/**
 * Lower-cased email → person id, for the emails given: a primary email first (indexed), else
 * an alias. Only emails that match no primary email cost a look at every person's aliases
 * (there is no index on them), once for all of them.
 */
export async function resolveEmails(db: Db, emails: Iterable<string>): Promise<Map<string, string>> {
  const wanted = [...new Set([...emails].map((e) => e.toLowerCase()))];
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  const primary = await db.execute(sql`select lower(email) as email, id::text as id from person where lower(email) = any(${jsonList(wanted)})`);
  for (const r of rowsOf<{ email: string; id: string }>(primary)) out.set(r.email, r.id);
  const rest = wanted.filter((e) => !out.has(e));
  if (rest.length === 0) return out;
  const aliases = await db.execute(sql`
    select distinct on (lower(al)) lower(al) as email, p.id::text as id
    from person p cross join unnest(p.aliases) al
    where cardinality(p.aliases) > 0 and lower(al) = any(${jsonList(rest)})
    order by lower(al), p.id`);
  for (const r of rowsOf<{ email: string; id: string }>(aliases)) out.set(r.email, r.id);
  return out;
}
