import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** Kinds of background work a committed change can make due at once. */
export type WorkKind = 'tasks' | 'outbox';

/** The Postgres notification channel every `serve` process listens on. */
export const WORK_CHANNEL = 'attest_work';

/**
 * Wakes every process that carries out `kind` (this one and, on Postgres, every replica) when
 * the caller's transaction commits; a rolled-back change wakes nobody. NOTIFY is transactional
 * and folds identical notifications of one transaction into one, so calling this per row is
 * cheap. The pollers stay as the safety net for a listener that was disconnected.
 */
export async function signalWork(tx: Db, kind: WorkKind): Promise<void> {
  await tx.execute(sql`select pg_notify(${WORK_CHANNEL}, ${kind})`);
}
