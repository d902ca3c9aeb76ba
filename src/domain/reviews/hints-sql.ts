import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from './rows-of.js';
import type { PreviousCampaign } from './find-previous-campaign.js';
import { GRANTING_STATUSES, birthrightSql } from './grant-explained-sql.js';

/**
 * What a launch needs to freeze each item's hints (`ItemHints`): the campaign to compare with,
 * and the clock and window that make a login stale.
 */
export interface HintBasis {
  previous: PreviousCampaign | null;
  now: Date;
  staleLoginDays: number;
  /**
   * A handful of items (a mover review, inside the HR webhook's transaction): look each one up
   * instead of aggregating the whole directory, which would read every grant for a few items.
   */
  perItem?: boolean;
}

/**
 * "Unusual" needs enough peers for a share to mean anything, and a share small enough that the
 * access stands out: at most 1 in 5 of at least 5 people of the subject's department (the
 * subject counted among both) hold it.
 */
export const UNUSUAL_MIN_PEERS = 5;
export const UNUSUAL_MAX_SHARE = 0.2;


/**
 * The joins the hints read, over the population's aliases g grant, a account, r resource and
 * p subject: the same grant's item in the previous campaign (h) and who decided it (hd), how
 * many of the subject's department hold the resource (hk) and how many people it has (dp), and
 * the grant requests that explain the grant (qg by grant, qs by person and resource).
 *
 * Set-based on purpose: each is one aggregate Postgres hashes once and joins, so hints add a
 * few hash joins to the launch's INSERT … SELECT instead of a lookup per item.
 */
export function hintJoinsSql(b: HintBasis): SQL {
  const history = b.previous
    ? sql`left join review_item h on h.campaign_id = ${b.previous.id}::uuid and h.grant_id = g.id and h.level = 1
      left join person hd on hd.id = h.decided_by`
    : sql``;
  if (b.perItem) {
    // The department's size first: holders are counted (every holder of the resource read) only
    // where "Unusual" could apply, so a mover into a small or new department reads none.
    return sql`${history}
    left join lateral (select count(*)::int as peers from person p3 where p3.department = p.department and p3.status <> 'terminated') dp on true
    left join lateral (
      select count(distinct p2.id)::int as holders from access_grant g2 join account a2 on a2.id = g2.account_id join person p2 on p2.id = a2.person_id
      where dp.peers >= ${UNUSUAL_MIN_PEERS} and g2.resource_id = g.resource_id and g2.removed_at is null and p2.department = p.department and p2.status <> 'terminated'
    ) hk on true
    left join lateral (
      select q.grant_id from access_request q where q.grant_id = g.id and q.kind = 'grant' and q.status in ${GRANTING_STATUSES} limit 1
    ) qg on true
    left join lateral (
      select q.resource_id from access_request q
      where q.subject_person_id = p.id and q.resource_id = g.resource_id and q.kind = 'grant' and q.status in ${GRANTING_STATUSES} limit 1
    ) qs on true`;
  }
  return sql`${history}
    left join (
      -- distinct first, then count: both hashed (a count(distinct) would sort every grant)
      select department, resource_id, count(*)::int as holders from (
        select distinct p2.department, g2.resource_id, p2.id
        from access_grant g2 join account a2 on a2.id = g2.account_id join person p2 on p2.id = a2.person_id
        where g2.removed_at is null and p2.department is not null and p2.status <> 'terminated'
      ) held group by 1, 2
    ) hk on hk.department = p.department and hk.resource_id = g.resource_id
    left join (
      select department, count(*)::int as peers from person where department is not null and status <> 'terminated' group by 1
    ) dp on dp.department = p.department
    left join (
      select distinct grant_id from access_request where kind = 'grant' and status in ${GRANTING_STATUSES} and grant_id is not null
    ) qg on qg.grant_id = g.id
    left join (
      select distinct subject_person_id, resource_id from access_request
      where kind = 'grant' and status in ${GRANTING_STATUSES} and subject_person_id is not null and resource_id is not null
    ) qs on qs.subject_person_id = p.id and qs.resource_id = g.resource_id`;
}

/**
 * The `ItemHints` of one grant, as jsonb, over the aliases of `hintJoinsSql`. `ownerless` is
 * null here: it is the routing's answer, merged in by `freezeRoutedHints`.
 */
export function hintsSql(b: HintBasis): SQL {
  const cutoff = new Date(b.now.getTime() - b.staleLoginDays * 86_400_000);
  const history = b.previous
    ? sql`case when h.id is null then null else jsonb_build_object(
        'campaignId', h.campaign_id,
        'campaignName', ${b.previous.name}::text,
        'decision', h.decision,
        'decidedByName', coalesce(nullif(hd.name, ''), hd.email),
        'decidedAt', to_char(h.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end`
    : sql`null::jsonb`;
  // "Never" only once the account is older than the window, as the stale-access finding counts it:
  // a new hire who has not signed in yet is not a revoke to suggest.
  const suggestRevoke = sql`case
      when a.last_login_at < ${cutoff.toISOString()}::timestamptz then jsonb_build_object('kind', 'stale', 'days',
        floor(extract(epoch from (${b.now.toISOString()}::timestamptz - a.last_login_at)) / 86400)::int)
      when a.last_login_at is null and a.first_seen_at < ${cutoff.toISOString()}::timestamptz then jsonb_build_object('kind', 'never')
    end`;
  const unusual = sql`case when p.department is not null and dp.peers >= ${UNUSUAL_MIN_PEERS} and hk.holders >= 1
      and hk.holders <= dp.peers * ${UNUSUAL_MAX_SHARE}::numeric
    then jsonb_build_object('holders', hk.holders, 'peers', dp.peers, 'department', p.department) end`;
  // Birthright: a template matching the subject's department and title lists the resource.
  const birthright = birthrightSql({ personId: sql`p.id`, resourceId: sql`g.resource_id`, department: sql`p.department`, title: sql`p.title` });
  return sql`jsonb_build_object(
    'history', ${history},
    'compared', ${b.previous !== null}::boolean,
    'suggestRevoke', ${suggestRevoke},
    'unusual', ${unusual},
    'outsideRequest', qg.grant_id is null and qs.resource_id is null and not ${birthright},
    'ownerless', null)`;
}

/**
 * Runs `fn` (a statement joining the hint aggregates) with nested-loop joins off, then puts the
 * setting back. Without statistics (PGlite never analyses; Postgres's autovacuum lags a big
 * first sync) the planner guesses one row per table and loops over the aggregates, running
 * them once per item: 50 s instead of 0.5 s for 10,000 items. Hash joins cost the same whatever
 * the estimates. Local to the launch's transaction either way.
 */
export async function withHashJoins<T>(tx: Db, fn: () => Promise<T>): Promise<T> {
  return withPlannerSetting(tx, 'enable_nestloop', 'off', fn);
}

/**
 * Runs `fn` (a mover review's few-item statements) with JIT compilation off, then puts the
 * setting back. The hint joins' lateral lookups are estimated over the whole grant table (the
 * planner cannot see that the campaign has five items), and that cost crosses Postgres's JIT
 * threshold: compiling the plan took 740 of the 760 ms a 5-item mover review spent in one
 * UPDATE at 500,000 grants, to run it in 20. Local to the transaction either way.
 */
export async function withoutJit<T>(tx: Db, fn: () => Promise<T>): Promise<T> {
  return withPlannerSetting(tx, 'jit', 'off', fn);
}

/** Runs `fn` with one planner setting changed for the transaction, then puts it back. */
async function withPlannerSetting<T>(tx: Db, name: 'enable_nestloop' | 'jit', value: string, fn: () => Promise<T>): Promise<T> {
  const [was] = rowsOf<{ v: string }>(await tx.execute(sql`select current_setting(${name}) as v`));
  await tx.execute(sql`select set_config(${name}, ${value}, true)`);
  const result = await fn();
  await tx.execute(sql`select set_config(${name}, ${was?.v ?? 'on'}, true)`);
  return result;
}
