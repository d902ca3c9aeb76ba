import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { person } from './person.js';

export const CAMPAIGN_STATUSES = ['draft', 'launched', 'closed'] as const;
export const REVIEWER_RULES = ['manager', 'owner'] as const;
export const NON_RESPONSE_RULES = ['flag', 'revoke'] as const;
/** `owner`: an approved privileged item goes to the resource's owner for a second decision. */
export const SECOND_LEVEL_RULES = ['owner'] as const;

export interface CampaignScope {
  systems?: string[];
  resourceIds?: string[];
  privilegedOnly?: boolean;
  departments?: string[];
  personIds?: string[];
}

export const campaign = pgTable(
  'campaign',
  {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind').notNull().default('periodic'),
  scope: jsonb('scope').$type<CampaignScope>().notNull().default({}),
  reviewerRule: text('reviewer_rule', { enum: REVIEWER_RULES }).notNull().default('manager'),
  nonResponse: text('non_response', { enum: NON_RESPONSE_RULES }).notNull().default('flag'),
  reminderOffsetsDays: integer('reminder_offsets_days').array().notNull().default([7, 2, 1]),
  ownerId: uuid('owner_id')
    .notNull()
    .references(() => person.id),
  status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
  dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
  templateId: uuid('template_id'),
  period: text('period'),
  /** Per source: the sync run the population came from, totals read, in scope, excluded by reason. */
  provenance: jsonb('provenance').$type<Record<string, unknown>>(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  launchedAt: timestamp('launched_at', { withTimezone: true, mode: 'date' }),
  closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  /** Null: no second level. */
  secondLevel: text('second_level', { enum: SECOND_LEVEL_RULES }),
  /** The sign-off statement; null: the default wording (with the reviewer's item count). */
  attestation: text('attestation'),
  },
  // One campaign per slot of a schedule, even when two replicas or a re-run slot race for it.
  // Manual campaigns have a null template_id, which a unique index never treats as equal.
  (t) => [uniqueIndex('campaign_template_period_uq').on(t.templateId, t.period)],
);

export type Campaign = typeof campaign.$inferSelect;
