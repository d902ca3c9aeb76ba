import { sql } from 'drizzle-orm';
import type { Connector } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { STAGED_MFA_KEY, usableStatuses } from './directory-sql.js';
import { StageWriter } from './stage-writer.js';

/**
 * Syncs in which every account not privileged is read once: at the default hourly SYNC_SCHEDULE
 * each is read at least daily. Per sync that is 1/24 of them (rounded up), so the number of
 * requests a sync adds is bounded whatever the org, and spread evenly over the day.
 */
export const MFA_ROTATION_SYNCS = 24;

export interface MfaRead {
  /** Accounts asked about (each one request for Okta). */
  asked: number;
  /** Requests the MFA read made, apart from the directory read's. */
  requests: number;
  /** Why the MFA read stopped part way, if it did: what it read is kept, the rest stays as on record. */
  error?: string;
}

/**
 * For a source that reads MFA apart from the directory (Okta: one factors request per user),
 * after the directory read is staged, so it never slows that read: asks about the usable
 * accounts holding privileged access (every sync) and a rotation of the others (those checked
 * longest ago, or never, first; 1/MFA_ROTATION_SYNCS of them), and stages the answers with the
 * accounts. A failure here does not fail the sync: the directory read stands, and an account
 * not answered for keeps what is on record.
 */
export async function readMfa(db: Db, connector: Connector, source: string, stageId: string, signal?: AbortSignal): Promise<MfaRead | null> {
  if (!connector.readMfa) return null;
  const requestsBefore = connector.stats?.().requests ?? 0;
  const out: MfaRead = { asked: 0, requests: 0 };
  try {
    await readChosen(db, connector, source, stageId, out, signal);
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  }
  out.requests = (connector.stats?.().requests ?? 0) - requestsBefore;
  return out;
}

async function readChosen(db: Db, connector: Connector, source: string, stageId: string, out: MfaRead, signal?: AbortSignal): Promise<void> {
  const chosen = rowsOf<{ id: string; rotated: boolean }>(
    await db.execute(sql`
      with privileged as (
        select distinct g.account_external_id as id
        from sync_stage_grant g left join sync_stage_resource r on r.stage_id = g.stage_id and r.external_id = g.resource_external_id
        where g.stage_id = ${stageId} and (g.privileged or coalesce(r.privileged, false))
      ),
      usable as (
        select sa.external_id, a.mfa_checked_at, p.id is not null as privileged
        from sync_stage_account sa
          left join account a on a.source = ${source} and a.external_id = sa.external_id and a.removed_at is null
          left join privileged p on p.id = sa.external_id
        where sa.stage_id = ${stageId} and sa.status in ${usableStatuses()}
      ),
      others as (select count(*) as n from usable where not privileged)
      (select external_id as id, false as rotated from usable where privileged)
      union all
      (select external_id, true from usable where not privileged
        order by mfa_checked_at asc nulls first, external_id
        limit (select ceil(n::numeric / ${MFA_ROTATION_SYNCS})::int from others))`),
  );
  const rotated = new Set(chosen.filter((c) => c.rotated === true || String(c.rotated) === 'true').map((c) => c.id));
  const writer = new StageWriter(db, {
    mfa: (json) => sql`
      update sync_stage_account sa set attrs = sa.attrs || jsonb_build_object(${STAGED_MFA_KEY}::text, jsonb_build_object('e', x.e, 'f', x.f, 'r', x.r))
      from json_to_recordset(${json}::json) as x(id text, e boolean, f boolean, r boolean)
      where sa.stage_id = ${stageId}::uuid and sa.external_id = x.id`,
  });
  out.asked = chosen.length;
  try {
    for await (const answers of connector.readMfa!(chosen.map((c) => c.id), signal)) {
      for (const a of answers) await writer.add('mfa', { id: a.externalId, e: a.mfa.enrolled, f: a.mfa.enforced ?? null, r: rotated.has(a.externalId) });
    }
  } finally {
    // What was answered before a failure is kept: those accounts were read. A failed write
    // throws here, and the caller reports it like a failed read.
    await writer.finish();
  }
}
