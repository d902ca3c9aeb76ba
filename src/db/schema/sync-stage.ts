import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Staging for a sync run: pages are written here as they arrive, and the difference with the
 * snapshot is computed in SQL, so a sync's memory does not grow with the org. Keyed by a stage
 * id per run (the sync run id, or a fresh id for a dry run), so two runs never see each other's
 * rows. The tables are UNLOGGED (see the migration): a crash may lose them, which is fine, as
 * the run that wrote them is then dead too. A run deletes its own rows when it ends; a later run
 * of the source deletes what a crashed one left.
 */
export const syncStage = pgTable(
  'sync_stage',
  {
    id: uuid('id').primaryKey(),
    source: text('source').notNull(),
    // The database's clock: ordering stages must not depend on a process's (or a test's) clock.
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('sync_stage_source_idx').on(t.source, t.startedAt)],
);

/** The accounts a run read (only their ids: their attributes are diffed in Node). */
export const syncStageAccount = pgTable(
  'sync_stage_account',
  {
    stageId: uuid('stage_id').notNull(),
    externalId: text('external_id').notNull(),
  },
  (t) => [primaryKey({ name: 'sync_stage_account_pk', columns: [t.stageId, t.externalId] })],
);

/** The resources a run read, with what the grant diff needs of them. */
export const syncStageResource = pgTable(
  'sync_stage_resource',
  {
    stageId: uuid('stage_id').notNull(),
    externalId: text('external_id').notNull(),
    privileged: boolean('privileged').notNull(),
    /** False: the read reported the resource but did not list its holders. */
    membersRead: boolean('members_read').notNull(),
  },
  (t) => [primaryKey({ name: 'sync_stage_resource_pk', columns: [t.stageId, t.externalId] })],
);

/** The grants a run read, one row per (account, resource, via). */
export const syncStageGrant = pgTable(
  'sync_stage_grant',
  {
    stageId: uuid('stage_id').notNull(),
    accountExternalId: text('account_external_id').notNull(),
    resourceExternalId: text('resource_external_id').notNull(),
    via: text('via').notNull(),
    privileged: boolean('privileged').notNull(),
  },
  (t) => [primaryKey({ name: 'sync_stage_grant_pk', columns: [t.stageId, t.accountExternalId, t.resourceExternalId, t.via] })],
);
