import { sql, type SQL } from 'drizzle-orm';

/**
 * The frozen copy a reviewer decides on (an `ItemSnapshot`), built by Postgres from the
 * aliases g grant, a account, r resource, p subject (null for an orphaned account) and m the
 * subject's manager. Copied, not referenced: a later sync that renames, moves or removes
 * anything must not change what was reviewed.
 */
export function buildSnapshot(): SQL {
  return sql`jsonb_build_object(
    'personId', p.id,
    'personName', coalesce(nullif(p.name, ''), nullif(a.display_name, ''), a.login),
    'personEmail', coalesce(p.email, a.email, a.login),
    'department', p.department,
    'managerEmail', m.email,
    'system', r.system,
    'source', g.source,
    'accountId', a.id,
    'accountLogin', a.login,
    'accountStatus', a.status,
    'resourceId', r.id,
    'resourceName', r.name,
    'resourceKind', r.kind,
    'via', g.via,
    'privileged', g.privileged or r.privileged,
    'lastLoginAt', to_char(a.last_login_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  )`;
}
