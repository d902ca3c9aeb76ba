import { sql, type SQL } from 'drizzle-orm';
import type { Campaign } from '../../db/schema/index.js';
import { inScopeSql as scopeSql, jsonList } from './scope-exclusion.js';

type Scoped = Pick<Campaign, 'kind' | 'scope' | 'reviewerRule' | 'ownerId'>;

/**
 * The live grants a campaign considers, as FROM … WHERE over the aliases g grant, a account,
 * r resource, p subject (null: orphaned account), m the subject's manager and fc the rule's
 * first choice of reviewer (the manager, or the resource owner as recorded on the resource).
 *
 * A mover review considers only the mover's accounts: it runs inside the HR webhook's
 * transaction, and counting the rest of the org as "person not in scope" would read every grant.
 * `joins` adds more (the launch's hints, see hints-sql.ts) before the WHERE.
 */
export function populationSql(c: Scoped, joins: SQL = sql``): SQL {
  const named = c.kind === 'mover' && c.scope.personIds?.length ? sql`and a.person_id = any(${jsonList(c.scope.personIds, 'uuid')})` : sql``;
  const firstChoice = c.reviewerRule === 'owner' ? sql`r.owner_id` : sql`p.manager_id`;
  return sql`from access_grant g
    join account a on a.id = g.account_id
    join resource r on r.id = g.resource_id
    left join person p on p.id = a.person_id
    left join person m on m.id = p.manager_id
    left join person fc on fc.id = ${firstChoice}
    ${joins}
    where g.removed_at is null ${named}`;
}

/** In scope: no reason to leave the grant out (see scope-exclusion). */
export const inScopeSql = (c: Scoped): SQL => scopeSql(c.scope);

/**
 * The grants whose reviewer is the rule's first choice with nothing to explain: a subject,
 * a first choice who is someone else, has not left, can be reached in Slack (or is the
 * campaign owner), and no grant request on record whose approver might be them. This is
 * exactly the case where `assignReviewer` returns the first choice with no reason, so these
 * are routed by Postgres in bulk; every other grant goes through `assignReviewer` itself.
 * (A request with any approver or executor at all sends the grant the careful way.)
 */
export function firstChoiceSql(c: Scoped): SQL {
  return sql`(p.id is not null and fc.id is not null and fc.id <> p.id and fc.status <> 'terminated'
    and (fc.slack_user_id is not null or fc.id = ${c.ownerId}::uuid)
    and not exists (select 1 from access_request q where q.grant_id = g.id and q.kind = 'grant' and (q.approved_by is not null or q.carried_out_by is not null)))`;
}
