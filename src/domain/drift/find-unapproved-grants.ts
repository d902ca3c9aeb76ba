import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { birthrightSql, grantRequestedSql } from '../reviews/grant-explained-sql.js';

/** One grant a sync added with nothing behind it, with what its item's snapshot and routing need. */
export interface UnapprovedGrant {
  grant_id: string;
  account_id: string;
  via: string;
  privileged: boolean;
  seen_at: Date | string;
  login: string;
  account_status: string;
  last_login_at: Date | string | null;
  system: string;
  source: string;
  person_id: string | null;
  person_name: string | null;
  person_email: string | null;
  department: string | null;
  manager_id: string | null;
  manager_email: string | null;
  resource_id: string;
  resource_name: string;
  resource_kind: string;
  owner_id: string | null;
}


/**
 * How far back a sync looks for grants added without an announcement. Not only its own run: a
 * process killed between a sync's commit and its announcement, or a sync that found no admin to
 * own the drift campaign, left grants the next sync must still announce.
 */
export const ANNOUNCE_LOOKBACK_MS = 7 * 86_400_000;

/**
 * The grants sync runs added since `lookback` before this run started (their `grant.added`
 * events: a baseline run writes none, and a grant removed earlier and now back counts as added
 * again) that still hold and have none of:
 * an approved grant request (for the grant, or for the person and resource), a birthright
 * template matching the person's department and title (the same test as the review hints), or
 * an approval or exception from a review. Grants that already have a drift item are left out.
 */
export async function findUnapprovedGrants(tx: Db, input: { startedAt: Date }): Promise<UnapprovedGrant[]> {
  return rowsOf<UnapprovedGrant>(
    await tx.execute(sql`
      select g.id as grant_id, g.account_id, g.via, g.privileged, e.at as seen_at,
        a.login, a.status as account_status, a.last_login_at, a.system, a.source,
        p.id as person_id, p.name as person_name, p.email as person_email, p.department, p.manager_id, m.email as manager_email,
        r.id as resource_id, r.name as resource_name, r.kind as resource_kind, coalesce(r.owner_id, o.id) as owner_id
      from (
        select (subject->>'grant')::uuid as grant_id, min(at) as at from evidence_event
        where action = 'grant.added' and at >= ${new Date(input.startedAt.getTime() - ANNOUNCE_LOOKBACK_MS).toISOString()}::timestamptz
        group by 1
      ) e
      join access_grant g on g.id = e.grant_id and g.removed_at is null
      join account a on a.id = g.account_id
      join resource r on r.id = g.resource_id
      left join person p on p.id = a.person_id
      left join person m on m.id = p.manager_id
      -- The owner as resolved, else as the source names them (by email), as provisioning reads it.
      left join person o on r.owner_id is null and r.owner_email is not null and lower(o.email) = lower(r.owner_email) and o.status <> 'terminated'
      where not ${grantRequestedSql({ grantId: sql`g.id`, personId: sql`p.id`, resourceId: sql`g.resource_id` })}
        and not ${birthrightSql({ personId: sql`p.id`, resourceId: sql`g.resource_id`, department: sql`p.department`, title: sql`p.title` })}
        and not exists (
          select 1 from review_item ri join campaign c on c.id = ri.campaign_id
          where ri.grant_id = g.id and c.kind <> 'drift' and ri.decision in ('approved', 'kept'))
        and not exists (select 1 from review_item d join campaign dc on dc.id = d.campaign_id where dc.kind = 'drift' and d.grant_id = g.id)
      order by e.at, g.id`),
  );
}
