import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per scheduled slot of a job: `INSERT … ON CONFLICT DO NOTHING` lets exactly one
 * replica claim it, and survives restarts (a slot already run is not run again). The claimer
 * renews `lease_until` while the job runs; a slot left unfinished with its lease run out
 * belonged to a process that died: it is marked `interrupted` and run again.
 */
export const jobSlot = pgTable(
  'job_slot',
  {
    job: text('job').notNull(),
    slot: text('slot').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** `finished`, or `interrupted` when its process died before finishing it. */
    outcome: text('outcome'),
  },
  (t) => [primaryKey({ columns: [t.job, t.slot] })],
);
