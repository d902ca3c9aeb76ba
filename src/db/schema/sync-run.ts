import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** `interrupted`: its process died mid-run (a crash, `kill -9`); a later run of the source says so. */
export const SYNC_STATUSES = ['running', 'succeeded', 'failed', 'held', 'dry_run', 'interrupted'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export interface SyncCounts {
  people: number;
  accounts: number;
  resources: number;
  grants: number;
  added: number;
  removed: number;
  changed: number;
  requests: number;
}

/** One read of one source. A run that did not read every page changes nothing. */
export const syncRun = pgTable(
  'sync_run',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    status: text('status', { enum: SYNC_STATUSES }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    counts: jsonb('counts').$type<Partial<SyncCounts>>().notNull().default({}),
    /** Totals read per kind (users by status, …), for the population's provenance. */
    totals: jsonb('totals').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
    triggeredBy: text('triggered_by').notNull().default('system'),
  },
  (t) => [index('sync_run_source_idx').on(t.source, t.startedAt)],
);

export type SyncRun = typeof syncRun.$inferSelect;
