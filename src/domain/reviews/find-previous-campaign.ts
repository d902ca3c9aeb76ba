import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Campaign } from '../../db/schema/index.js';
import { rowsOf } from './rows-of.js';

export interface PreviousCampaign {
  id: string;
  name: string;
}

/**
 * The campaign a launch compares its items with: the most recently closed campaign of the same
 * scope. Same scope means the same schedule (template), or the same kind, reviewer rule and
 * scope (systems, resources, departments, privileged only, named people; jsonb equality, so
 * the order of keys does not matter). Only a closed campaign counts: an open one's decisions
 * are not final. Null: nothing to compare with, so items say neither "new" nor their history.
 */
export async function findPreviousCampaign(db: Db, c: Pick<Campaign, 'id' | 'kind' | 'scope' | 'reviewerRule' | 'templateId'>): Promise<PreviousCampaign | null> {
  const sameTemplate = c.templateId ? sql`template_id = ${c.templateId}::uuid or` : sql``;
  const res = await db.execute(sql`
    select id::text as id, name from campaign
    where status = 'closed' and id <> ${c.id}::uuid
      and (${sameTemplate} (kind = ${c.kind} and reviewer_rule = ${c.reviewerRule} and scope = ${JSON.stringify(c.scope)}::jsonb))
    order by closed_at desc nulls last, id
    limit 1`);
  return rowsOf<PreviousCampaign>(res)[0] ?? null;
}
