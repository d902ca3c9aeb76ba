import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { syncRun, type SyncRun } from '../../db/schema/index.js';

/** source → its latest succeeded sync run: the population's provenance. */
export async function findLatestSyncs(db: Db): Promise<Map<string, SyncRun>> {
  const rows = await db
    .selectDistinctOn([syncRun.source])
    .from(syncRun)
    .where(eq(syncRun.status, 'succeeded'))
    .orderBy(syncRun.source, desc(syncRun.finishedAt), desc(syncRun.startedAt));
  return new Map(rows.map((r) => [r.source, r]));
}
