import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/rows-of.js';
import type { Db } from '../../db/client.js';
import { syncStage } from '../../db/schema/index.js';

/** Registers a run's staging area; its rows are keyed by this id and nothing else. */
export async function openStage(db: Db, source: string, stageId: string): Promise<void> {
  await db.insert(syncStage).values({ id: stageId, source });
}

/** Deletes one stage's rows: every run does this when it ends, whatever its outcome. */
export async function dropStage(db: Db, stageId: string): Promise<void> {
  await db.execute(sql`delete from sync_stage_grant where stage_id = ${stageId}`);
  await db.execute(sql`delete from sync_stage_resource where stage_id = ${stageId}`);
  await db.execute(sql`delete from sync_stage_account where stage_id = ${stageId}`);
  await db.execute(sql`delete from sync_stage_person where stage_id = ${stageId}`);
  await db.execute(sql`delete from sync_stage where id = ${stageId}`);
}

/** No read lasts this long (a large org under Okta's default rate limits takes well under it). */
const STALE_AFTER = "interval '24 hours'";

/**
 * Under the source's lock: deletes what earlier runs of this source left behind (a process that
 * died mid-run cannot clean up after itself), and says whether this run's own stage is intact.
 * A stage goes once its run has an outcome other than `running` or `interrupted`, or once it is
 * older than any read can be. Not sooner: an `interrupted` run may only be slow, still reading,
 * and it must find its stage when it reaches the lock. Until then the rows are only in the way
 * of nobody: every query names its own stage.
 */
export async function sweepStages(tx: Db, source: string, stageId: string): Promise<boolean> {
  await tx.execute(sql`
    delete from sync_stage s where s.source = ${source} and s.id <> ${stageId}
      and (s.started_at < now() - ${sql.raw(STALE_AFTER)}
        or exists (select 1 from sync_run r where r.id = s.id and r.status not in ('running', 'interrupted')))`);
  // Rows whose stage is gone: the stale ones just unregistered, and any a run wrote after its
  // own stage had been swept. One pass over what live runs staged (this one's included).
  for (const table of ['sync_stage_grant', 'sync_stage_resource', 'sync_stage_account', 'sync_stage_person']) {
    await tx.execute(sql`delete from ${sql.identifier(table)} where stage_id not in (select id from sync_stage)`);
  }
  const own = await tx.execute(sql`select 1 from sync_stage where id = ${stageId}`);
  return rowsOf(own).length === 1;
}

/**
 * Fresh statistics for the staging tables, which were empty when last analysed: without them the
 * planner takes a stage of 200,000 grants for a handful of rows and joins it row by row.
 */
export async function analyseStage(db: Db): Promise<void> {
  await db.execute(sql`analyze sync_stage_account, sync_stage_resource, sync_stage_grant`);
}

/**
 * The same for the snapshot's own tables after a run that changed much of them (a first sync
 * fills them from nothing). Postgres's autovacuum would get there eventually; PGlite has none.
 * A runtime role that does not own the tables gets a warning and no new statistics, which is
 * why the whole-set statements also run under withHashJoins.
 */
export async function analyseSnapshot(db: Db): Promise<void> {
  await db.execute(sql`analyze account, resource, access_grant`);
}

/**
 * Runs whole-set statements with hash joins only. They join every staged grant to every live
 * one; a nested loop, which a stale row estimate can make the planner choose, probes an index
 * per row and turns a second into minutes. Applies to the statements inside `fn` only.
 */
export async function withHashJoins<T>(tx: Db, fn: () => Promise<T>): Promise<T> {
  await tx.execute(sql`set local enable_nestloop = off`);
  // A hash of 200,000 staged grants is some 20 MB: let it stay in memory rather than spill to disk.
  await tx.execute(sql`set local work_mem = '64MB'`);
  // Not in a `finally`: after a failed statement the transaction is aborted (and the setting with it).
  const result = await fn();
  await tx.execute(sql`set local enable_nestloop to default`);
  await tx.execute(sql`set local work_mem to default`);
  return result;
}
