import { sql, type SQL } from 'drizzle-orm';

/**
 * What shows how a grant came about, read the same way by the review hints ("Granted outside a
 * request"), the unapproved-access sweep and the CC6.2 figures, so the three never disagree.
 */

/** Grant requests in these states show access was asked for and approved (denied or cancelled ones do not). */
export const GRANTING_STATUSES = sql`('approved', 'in_progress', 'done', 'verified')`;

interface GrantTerms {
  grantId: SQL;
  personId: SQL;
  resourceId: SQL;
}

/** An approved grant request for the grant itself, or for that person and resource. */
export function grantRequestedSql(g: GrantTerms): SQL {
  return sql`exists (select 1 from access_request q where q.kind = 'grant' and q.status in ${GRANTING_STATUSES}
    and (q.grant_id = ${g.grantId} or (${g.personId} is not null and q.subject_person_id = ${g.personId} and q.resource_id = ${g.resourceId})))`;
}

/** Birthright: a template matching the person's department and title lists the resource. */
export function birthrightSql(g: Omit<GrantTerms, 'grantId'> & { department: SQL; title: SQL }): SQL {
  return sql`(${g.personId} is not null and exists (select 1 from access_template t where ${g.resourceId} = any(t.resource_ids)
    and (t.department is null or t.department = ${g.department}) and (t.title is null or t.title = ${g.title})))`;
}
