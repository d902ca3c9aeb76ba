import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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

/**
 * The accounts a run read, with everything the account and people diffs need (both are computed
 * in SQL). The attribute columns are nullable only so the migration could add them to the table.
 */
export const syncStageAccount = pgTable(
  'sync_stage_account',
  {
    stageId: uuid('stage_id').notNull(),
    externalId: text('external_id').notNull(),
    /** Read order: where one person has several accounts, the first one read that says something wins. */
    seq: bigint('seq', { mode: 'number' }),
    system: text('system'),
    login: text('login'),
    email: text('email'),
    displayName: text('display_name'),
    status: text('status'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    ownerEmail: text('owner_email'),
    /** The connector's extras plus the raw provider status, as the account row stores them. */
    attrs: jsonb('attrs'),
    /** The email that ties the account to a person (linkEmail), lower-cased. */
    linkEmail: text('link_email'),
    /** Whether the source reported a person behind the account, and what it said of them. */
    hasPerson: boolean('has_person'),
    personName: text('person_name'),
    personTitle: text('person_title'),
    personDepartment: text('person_department'),
    managerEmail: text('manager_email'),
    managerRef: text('manager_ref'),
    /** Filled in under the source's lock, once the people are written (linkPeople). */
    personId: uuid('person_id'),
  },
  (t) => [primaryKey({ name: 'sync_stage_account_pk', columns: [t.stageId, t.externalId] })],
);

/**
 * The people a run's accounts describe, one row per person (merged across their accounts), built
 * under the lock from sync_stage_account: which person each is (`personId`, `created` by this run)
 * and the manager the source names, resolved to a person (`managerId`, when `managerNamed`).
 */
export const syncStagePerson = pgTable(
  'sync_stage_person',
  {
    stageId: uuid('stage_id').notNull(),
    /** Lower-cased: the person's email if already known (by email or alias), else the account's link email. */
    email: text('email').notNull(),
    personId: uuid('person_id'),
    created: boolean('created').notNull().default(false),
    name: text('name').notNull(),
    title: text('title'),
    department: text('department'),
    managerEmail: text('manager_email'),
    managerRef: text('manager_ref'),
    managerNamed: boolean('manager_named').notNull().default(false),
    managerId: uuid('manager_id'),
  },
  (t) => [primaryKey({ name: 'sync_stage_person_pk', columns: [t.stageId, t.email] })],
);

/** The resources a run read, with what the resource and grant diffs need of them. */
export const syncStageResource = pgTable(
  'sync_stage_resource',
  {
    stageId: uuid('stage_id').notNull(),
    externalId: text('external_id').notNull(),
    privileged: boolean('privileged').notNull(),
    /** False: the read reported the resource but did not list its holders. */
    membersRead: boolean('members_read').notNull(),
    system: text('system'),
    kind: text('kind'),
    name: text('name'),
    ownerEmail: text('owner_email'),
    attrs: jsonb('attrs'),
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
