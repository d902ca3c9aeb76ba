import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from './rows-of.js';
import { jsonList } from './scope-exclusion.js';

export interface PersonInfo {
  id: string;
  name: string;
  email: string;
  department: string | null;
  managerId: string | null;
  slackUserId: string | null;
  status: string;
}

export interface PeopleIndex {
  byId: Map<string, PersonInfo>;
  /** Lower-cased email and aliases → person id (resource owners are reported by email). */
  byEmail: Map<string, string>;
  bySlackId: Map<string, string>;
}

/**
 * The given people and everyone above them, once per page of a launch: routing may walk from
 * any candidate up the management chain (skip-level reviews), and never further. A manager
 * loop ends because the recursion's UNION drops people already reached.
 */
export async function loadPeopleIndex(db: Db, ids: Iterable<string>): Promise<PeopleIndex> {
  const seeds = [...new Set(ids)];
  const index: PeopleIndex = { byId: new Map(), byEmail: new Map(), bySlackId: new Map() };
  if (seeds.length === 0) return index;
  const res = await db.execute(sql`
    with recursive up(id) as (
      select unnest(${jsonList(seeds, 'uuid')})
      union
      select p.manager_id from person p join up on p.id = up.id where p.manager_id is not null
    )
    select p.id::text as id, p.name, p.email, p.department, p.manager_id::text as "managerId", p.slack_user_id as "slackUserId", p.status
    from person p join up on p.id = up.id`);
  for (const p of rowsOf<PersonInfo>(res)) {
    index.byId.set(p.id, p);
    index.byEmail.set(p.email.toLowerCase(), p.id);
    if (p.slackUserId) index.bySlackId.set(p.slackUserId, p.id);
  }
  return index;
}
