import { sql, type SQL } from 'drizzle-orm';
import type { Connector } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { STAGED_MFA_KEY, usableStatuses } from './directory-sql.js';
import { StageWriter } from './stage-writer.js';

/** Every account not privileged is read at least this often (the issue: "at least daily"). */
export const MFA_ROTATION_PERIOD_MS = 86_400_000;
/**
 * At most this many syncs per rotation: however often syncs run (or a first sync, with no
 * previous run to measure), each reads at least 1/24 of the accounts, so the requests a sync
 * adds are bounded whatever the org, and spread over the day.
 */
export const MFA_ROTATION_SYNCS = 24;

/**
 * How many of the `n` accounts not privileged one sync reads: the time since the source's
 * previous sync as a share of the rotation period, and never under 1/MFA_ROTATION_SYNCS. The
 * schedule is not assumed: hourly syncs read 1/24 each, syncs every 6 hours 1/4, daily ones (or
 * the first after a pause of a day or more) everyone, so each account is read at least daily
 * whatever SYNC_SCHEDULE says. The interval since the last sync stands in for the one until the
 * next (schedules are regular). Integer arithmetic in SQL, so 24 accounts at 1/24 are exactly 1.
 */
function rotationLimit(n: SQL, sincePreviousMs: number | null): SQL {
  const ms = sincePreviousMs !== null && sincePreviousMs > 0 ? Math.round(sincePreviousMs) : 0;
  return sql`least(${n}, greatest(ceil(${n}::numeric / ${MFA_ROTATION_SYNCS}), ceil(${n}::numeric * ${ms} / ${MFA_ROTATION_PERIOD_MS})))::int`;
}

export interface MfaRead {
  /** Accounts asked about (each one request for Okta). */
  asked: number;
  /** How long the MFA read took (after the directory read, so not part of its time). */
  ms: number;
  /** Requests the MFA read made, apart from the directory read's. */
  requests: number;
  /** Why the MFA read stopped part way, if it did: what it read is kept, the rest stays as on record. */
  error?: string;
}

/**
 * For a source that reads MFA apart from the directory (Okta: one factors request per user),
 * after the directory read is staged, so it never slows that read: asks about the usable
 * accounts holding privileged access (every sync) and a rotation of the others (those checked
 * longest ago, or never, first; as many as `rotationLimit` says), and stages the answers with the
 * accounts. A failure here does not fail the sync: the directory read stands, and an account
 * not answered for keeps what is on record.
 */
export async function readMfa(
  db: Db,
  connector: Connector,
  input: { source: string; stageId: string; sincePreviousMs: number | null },
  signal?: AbortSignal,
): Promise<MfaRead | null> {
  if (!connector.readMfa) return null;
  const started = performance.now();
  const requestsBefore = connector.stats?.().requests ?? 0;
  const out: MfaRead = { asked: 0, ms: 0, requests: 0 };
  try {
    await readChosen(db, connector, input, out, signal);
  } catch (err) {
    out.error = err instanceof Error ? err.message : String(err);
  }
  out.requests = (connector.stats?.().requests ?? 0) - requestsBefore;
  out.ms = Math.round(performance.now() - started);
  return out;
}

async function readChosen(
  db: Db,
  connector: Connector,
  { source, stageId, sincePreviousMs }: { source: string; stageId: string; sincePreviousMs: number | null },
  out: MfaRead,
  signal?: AbortSignal,
): Promise<void> {
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
        limit (select ${rotationLimit(sql`n`, sincePreviousMs)} from others))`),
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
