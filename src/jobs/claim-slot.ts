import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { jobSlot } from '../db/schema/index.js';

/**
 * Claims one scheduled slot of a job for this process, with a lease. The primary key (job,
 * slot) lets exactly one replica win; a restart does not run a slot that was already claimed,
 * unless its claimer died: a slot left unfinished past its lease may be claimed again.
 */
export async function claimSlot(db: Db, job: string, slot: string, claimedBy: string, now: Date, leaseMs: number): Promise<boolean> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db
    .insert(jobSlot)
    .values({ job, slot, claimedBy, claimedAt: now, leaseUntil })
    .onConflictDoUpdate({
      target: [jobSlot.job, jobSlot.slot],
      set: { claimedBy, claimedAt: now, leaseUntil, outcome: null },
      setWhere: and(isNull(jobSlot.finishedAt), lt(jobSlot.leaseUntil, now)),
    })
    .returning({ job: jobSlot.job });
  return rows.length === 1;
}

/** The claimer is alive: its lease runs on. */
export async function renewSlot(db: Db, job: string, slot: string, claimedBy: string, now: Date, leaseMs: number): Promise<void> {
  await db
    .update(jobSlot)
    .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(jobSlot.job, job), eq(jobSlot.slot, slot), eq(jobSlot.claimedBy, claimedBy), isNull(jobSlot.finishedAt)));
}

export async function finishSlot(db: Db, job: string, slot: string, outcome: string, now: Date): Promise<void> {
  await db.update(jobSlot).set({ finishedAt: now, outcome }).where(and(eq(jobSlot.job, job), eq(jobSlot.slot, slot)));
}

/**
 * Slots whose claimer died mid-run (unfinished, lease run out) are marked `interrupted`.
 * Returns the jobs whose latest slot was interrupted, so that they can be run again now
 * rather than at their next slot, which for a daily or weekly job may be days away.
 */
export async function markInterruptedSlots(db: Db, now: Date): Promise<string[]> {
  const marked = await db
    .update(jobSlot)
    .set({ outcome: 'interrupted', finishedAt: sql`${jobSlot.leaseUntil}` })
    .where(and(isNull(jobSlot.finishedAt), lt(jobSlot.leaseUntil, now)))
    .returning({ job: jobSlot.job, slot: jobSlot.slot });
  const jobs = new Set(marked.map((m) => m.job));
  const latestInterrupted: string[] = [];
  for (const job of jobs) {
    const [latest] = await db.select({ outcome: jobSlot.outcome }).from(jobSlot).where(eq(jobSlot.job, job)).orderBy(desc(jobSlot.claimedAt)).limit(1);
    if (latest?.outcome === 'interrupted') latestInterrupted.push(job);
  }
  return latestInterrupted;
}
