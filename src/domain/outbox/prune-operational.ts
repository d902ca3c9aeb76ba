import type { SQL } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { deleteFinishedJobSlots, deleteFinishedSlackMessages, deleteSentOutbox } from './prune-statements.js';

const DAY_MS = 86_400_000;
/** Rows per DELETE: small enough that each statement holds its row locks for well under a second. */
export const PRUNE_BATCH = 5000;

export interface PruneReport {
  /** Everything untouched since before this was kept or pruned by the rules below. */
  cutoff: Date;
  outbox: number;
  slackMessages: number;
  jobSlots: number;
}

/**
 * Deletes operational records older than OPERATIONAL_RETENTION_DAYS: sent outbox rows, Slack
 * message records of finished things, finished job slots (see prune-statements.ts for exactly
 * which rows each rule keeps). These are delivery bookkeeping, not evidence: the evidence log,
 * review items, requests, tasks, campaigns and everything an export reads are never touched,
 * so no evidence event records a prune; the job's outcome and a log line carry the counts.
 *
 * Each batch is its own statement outside any transaction, so a first prune of a large table
 * does not hold one long lock; stopping half-way (a shutdown) loses nothing, the next run
 * carries on.
 */
export async function pruneOperational(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  opts: { batch?: number } = {},
): Promise<PruneReport> {
  const batch = opts.batch ?? PRUNE_BATCH;
  const cutoff = new Date(deps.clock.now().getTime() - deps.config.OPERATIONAL_RETENTION_DAYS * DAY_MS);
  return {
    cutoff,
    outbox: await deleteInBatches(deps.db, (n) => deleteSentOutbox(cutoff, n), batch),
    slackMessages: await deleteInBatches(deps.db, (n) => deleteFinishedSlackMessages(cutoff, n), batch),
    jobSlots: await deleteInBatches(deps.db, (n) => deleteFinishedJobSlots(cutoff, n), batch),
  };
}

async function deleteInBatches(db: Db, statement: (limit: number) => SQL, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = rowsOf<{ n: number }>(await db.execute(statement(batch)));
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < batch) return total;
  }
}
