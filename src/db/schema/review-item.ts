import { index, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { campaign } from './campaign.js';
import { person } from './person.js';

export const DECISIONS = ['pending', 'approved', 'revoked'] as const;
export type Decision = (typeof DECISIONS)[number];

/** What the reviewer saw, frozen at launch: later syncs never change it. */
export interface ItemSnapshot {
  personId: string | null;
  personName: string;
  personEmail: string;
  department: string | null;
  managerEmail: string | null;
  system: string;
  source: string;
  accountLogin: string;
  accountStatus: string;
  resourceId: string;
  resourceName: string;
  resourceKind: string;
  via: string;
  privileged: boolean;
  lastLoginAt: string | null;
  /** The account behind the grant (absent in items frozen before it was recorded). */
  accountId?: string;
}

export const reviewItem = pgTable(
  'review_item',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id),
    grantId: uuid('grant_id').notNull(),
    snapshot: jsonb('snapshot').$type<ItemSnapshot>().notNull(),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => person.id),
    /** Why the reviewer is not the rule's first choice (self-review, no manager, no Slack…). */
    fallbackReason: text('fallback_reason'),
    delegatedFromId: uuid('delegated_from_id'),
    delegationReason: text('delegation_reason'),
    decision: text('decision', { enum: DECISIONS }).notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    reason: text('reason'),
    removalTiming: text('removal_timing'),
    requestId: uuid('request_id'),
    /**
     * The caller's idempotency key for the decision (a Slack action's trigger, a retry token):
     * a retry carrying the same key is answered as the original success, not as "already decided".
     */
    decisionKey: text('decision_key'),
  },
  (t) => [
    uniqueIndex('review_item_campaign_grant_uq').on(t.campaignId, t.grantId),
    index('review_item_reviewer_idx').on(t.campaignId, t.reviewerId, t.decision),
  ],
);

export type ReviewItem = typeof reviewItem.$inferSelect;
