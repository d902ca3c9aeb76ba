import { sql, type SQL } from 'drizzle-orm';
import { USABLE_STATUSES } from '../../connectors/types.js';
import type { CampaignScope } from '../../db/schema/index.js';

/** Reasons a live grant is left out of a campaign, as counted in dry runs and provenance. */
export const EXCLUSION = {
  inactiveAccount: 'inactive account',
  removedResource: 'removed resource',
  system: 'out-of-scope system',
  resource: 'out-of-scope resource',
  notPrivileged: 'not privileged',
  department: 'other department',
  person: 'person not in scope',
  orphanPersonScope: 'orphaned account (campaign scoped to named people)',
} as const;

/** A JSON array parameter as a Postgres array: one parameter whatever its length, on both drivers. */
export const jsonList = (values: readonly string[], type: 'text' | 'uuid' = 'text'): SQL =>
  type === 'uuid'
    ? sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)::uuid)`
    : sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/**
 * Why a grant is not reviewed in a campaign with this scope, as a SQL expression over the
 * population's aliases (g grant, a account, r resource, p subject): null when it is reviewed.
 * The first reason that applies wins, in this order.
 *
 * Orphaned accounts (no person) have no department, but they are exactly what a review must
 * catch, so a department scope keeps them (routed to the resource owner). Only a campaign
 * scoped to named people leaves them out: it is about those people, not the systems.
 */
export function exclusionSql(scope: CampaignScope): SQL {
  const when: SQL[] = [
    sql`when a.removed_at is not null or not (a.status = any(${jsonList(USABLE_STATUSES)})) then ${EXCLUSION.inactiveAccount}`,
    sql`when r.removed_at is not null then ${EXCLUSION.removedResource}`,
  ];
  if (scope.systems?.length) when.push(sql`when not (r.system = any(${jsonList(scope.systems)})) then ${EXCLUSION.system}`);
  if (scope.resourceIds?.length) when.push(sql`when not (r.id = any(${jsonList(scope.resourceIds, 'uuid')})) then ${EXCLUSION.resource}`);
  if (scope.privilegedOnly) when.push(sql`when not (g.privileged or r.privileged) then ${EXCLUSION.notPrivileged}`);
  if (scope.personIds?.length) {
    when.push(sql`when p.id is null then ${EXCLUSION.orphanPersonScope}`);
    when.push(sql`when not (p.id = any(${jsonList(scope.personIds, 'uuid')})) then ${EXCLUSION.person}`);
  }
  if (scope.departments?.length) when.push(sql`when p.id is not null and not (coalesce(p.department, '') = any(${jsonList(scope.departments)})) then ${EXCLUSION.department}`);
  return sql`(case ${sql.join(when, sql` `)} end)::text`;
}

/**
 * The same rules as `exclusionSql`, as the condition "no reason applies": a plain conjunction
 * Postgres can estimate (a CASE in a filter is guessed to keep almost nothing, which makes it
 * plan a launch as 500,000 index look-ups). Every column tested is NOT NULL except the
 * subject's, whose absence (an orphaned account) is spelled out.
 */
export function inScopeSql(scope: CampaignScope): SQL {
  const all: SQL[] = [sql`a.removed_at is null`, sql`a.status = any(${jsonList(USABLE_STATUSES)})`, sql`r.removed_at is null`];
  if (scope.systems?.length) all.push(sql`r.system = any(${jsonList(scope.systems)})`);
  if (scope.resourceIds?.length) all.push(sql`r.id = any(${jsonList(scope.resourceIds, 'uuid')})`);
  if (scope.privilegedOnly) all.push(sql`(g.privileged or r.privileged)`);
  if (scope.personIds?.length) all.push(sql`p.id = any(${jsonList(scope.personIds, 'uuid')})`);
  if (scope.departments?.length) all.push(sql`(p.id is null or coalesce(p.department, '') = any(${jsonList(scope.departments)}))`);
  return sql`(${sql.join(all, sql` and `)})`;
}
