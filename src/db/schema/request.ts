import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { person } from './person.js';
import { resource } from './resource.js';
import { account } from './account.js';
import { accessGrant } from './access-grant.js';

export const REQUEST_KINDS = ['grant', 'revoke', 'onboard', 'offboard'] as const;
export const REQUEST_STATUSES = [
  'pending_approval',
  'approved',
  'denied',
  'in_progress',
  'done',
  'verified',
  'failed',
  'cancelled',
] as const;
/** A grant request in these states is open: a second one for the same person and resource is refused by the database. */
export const OPEN_GRANT_STATUSES = ['pending_approval', 'approved', 'in_progress'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * A change of access someone asked for: a grant, a revocation (from a review or a case), or a
 * whole onboarding/offboarding case (whose parts are child requests and tasks).
 */
export const accessRequest = pgTable(
  'access_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: REQUEST_KINDS }).notNull(),
    status: text('status', { enum: REQUEST_STATUSES }).notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => accessRequest.id),
    subjectPersonId: uuid('subject_person_id').references(() => person.id),
    resourceId: uuid('resource_id').references(() => resource.id),
    accountId: uuid('account_id').references(() => account.id),
    grantId: uuid('grant_id').references(() => accessGrant.id),
    requestedBy: text('requested_by').notNull(),
    approvedBy: text('approved_by'),
    carriedOutBy: text('carried_out_by'),
    reason: text('reason'),
    /** Where it came from: `review_item:<id>`, `hr:<event id>`, `slack`, `okta_hook:<id>`. */
    origin: text('origin'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    effectiveAt: timestamp('effective_at', { withTimezone: true, mode: 'date' }),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verifiedBySyncRunId: uuid('verified_by_sync_run_id'),
  },
  (t) => [
    index('access_request_grant_idx').on(t.grantId),
    index('access_request_subject_idx').on(t.subjectPersonId),
    index('access_request_parent_idx').on(t.parentId),
    index('access_request_status_idx').on(t.status),
    // Two quick submissions (a double click, two replicas) must make one request and one approver DM.
    uniqueIndex('access_request_open_grant_uq')
      .on(t.subjectPersonId, t.resourceId)
      .where(sql`kind = 'grant' and parent_id is null and status in ('pending_approval', 'approved', 'in_progress')`),
  ],
);

export type AccessRequest = typeof accessRequest.$inferSelect;
