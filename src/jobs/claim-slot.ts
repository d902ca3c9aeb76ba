import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobSlot } from '../db/schema/index.js';

/**
 * Claims one scheduled slot of a job for this process. The primary key (job, slot) lets
 * exactly one replica win; a restart does not run a slot that was already claimed.
 */
export async function claimSlot(db: Db, job: string, slot: string, claimedBy: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(jobSlot)
    .values({ job, slot, claimedBy, claimedAt: now })
    .onConflictDoNothing()
    .returning({ job: jobSlot.job });
  return rows.length === 1;
}

export async function finishSlot(db: Db, job: string, slot: string, outcome: string, now: Date): Promise<void> {
  await db.update(jobSlot).set({ finishedAt: now, outcome }).where(and(eq(jobSlot.job, job), eq(jobSlot.slot, slot)));
}
