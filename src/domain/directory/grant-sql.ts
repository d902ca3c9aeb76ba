import { sql, type SQL } from 'drizzle-orm';
import type { ReadCoverage } from '../../connectors/types.js';

/** What the grant queries of one run need to know. */
export interface GrantScope {
  source: string;
  stageId: string;
  coverage: ReadCoverage;
}

/**
 * The grants this run read whose account and resource it also read (`ae`, `re`, `via`, and
 * `priv`: privileged in itself or through its resource). A grant naming an account or resource
 * the read did not list is dangling: kept out, and counted.
 */
export function stagedGrants(s: GrantScope): SQL {
  return sql`
    select g.account_external_id as ae, g.resource_external_id as re, g.via, (g.privileged or sr.privileged) as priv
    from sync_stage_grant g
    join sync_stage_account sa on sa.stage_id = g.stage_id and sa.external_id = g.account_external_id
    join sync_stage_resource sr on sr.stage_id = g.stage_id and sr.external_id = g.resource_external_id
    where g.stage_id = ${s.stageId}`;
}

/**
 * The source's live grants this run did not read, with `seen`: could the read have seen it? Only
 * then does its absence mean the access is gone. The resource must have had its holders listed,
 * or be missing from a read that listed every resource (then it was deleted); the account must
 * have been listed, or be missing from a read that listed every account. A grant the read could
 * not have seen is neither removed nor taken as proof of a removal: it stays as last seen.
 */
export function unreadLiveGrants(s: GrantScope): SQL {
  return sql`
    select ag.id, ag.account_id, ag.resource_id, ag.via, a.external_id as ae, r.external_id as re,
      (coalesce(sr.members_read, ${s.coverage.resources}::boolean) and (sa.external_id is not null or ${s.coverage.accounts}::boolean)) as seen
    from access_grant ag
    join account a on a.id = ag.account_id
    join resource r on r.id = ag.resource_id
    left join sync_stage_account sa on sa.stage_id = ${s.stageId} and sa.external_id = a.external_id
    left join sync_stage_resource sr on sr.stage_id = ${s.stageId} and sr.external_id = r.external_id
    left join sync_stage_grant g on g.stage_id = ${s.stageId} and g.account_external_id = a.external_id
      and g.resource_external_id = r.external_id and g.via = ag.via
    where ag.source = ${s.source} and ag.removed_at is null
      and (g.stage_id is null or sa.external_id is null or sr.external_id is null)`;
}

/**
 * Staged grants with the ids of their account and resource rows (null before those are written)
 * and the live grant they match, if any (`live_id`, `live_priv`).
 */
export function matchedGrants(s: GrantScope): SQL {
  return sql`
    select s.ae, s.re, s.via, s.priv, a.id as account_id, r.id as resource_id, ag.id as live_id, ag.privileged as live_priv
    from (${stagedGrants(s)}) s
    left join account a on a.source = ${s.source} and a.external_id = s.ae
    left join resource r on r.source = ${s.source} and r.external_id = s.re
    left join access_grant ag on ag.account_id = a.id and ag.resource_id = r.id and ag.via = s.via and ag.removed_at is null`;
}
