import { index, integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { campaign } from './campaign.js';
import { person } from './person.js';

/** `kept`: kept as an exception, with a compensating control and an end date (never an approval). */
export const DECISIONS = ['pending', 'approved', 'revoked', 'kept'] as const;
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

/**
 * What Attest shows next to an item, frozen at launch so the evidence says exactly what the
 * reviewer saw. Suggestions never decide anything; the decision event records whether it
 * followed them.
 */
export interface ItemHints {
  /** The same grant in the previous completed campaign of the same scope; null: new since then. */
  history: {
    campaignId: string;
    campaignName: string;
    decision: Decision;
    decidedByName: string | null;
    decidedAt: string | null;
  } | null;
  /** False when there is no previous completed campaign of the same scope to compare with. */
  compared: boolean;
  /** `stale`: no sign-in for `days` (over STALE_LOGIN_DAYS); `never`: never signed in. */
  suggestRevoke: { kind: 'stale'; days: number } | { kind: 'never' } | null;
  /** Few peers in the same department hold it: `holders` of `peers` in `department`. */
  unusual: { holders: number; peers: number; department: string } | null;
  /** No request in the history shows how it was granted. */
  outsideRequest: boolean;
  /** The account belongs to no person: reviewed by its owner (how that owner was found). */
  ownerless?: { ownerSource: 'account' | 'resource' | 'campaign' } | null;
  /**
   * Level-2 items only: the level-1 approval this item is the second look at, frozen when the
   * level-2 item was made (a decided item never changes, so the copy stays true).
   */
  firstReview?: { itemId: string; decidedById: string; decidedByName: string; decidedAt: string } | null;
  /** Items of the standing `drift` campaign: when the grant appeared without a request, and in which sync. */
  drift?: { seenAt: string; syncRunId: string } | null;
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
    /** 1: the first reviewer; 2: the resource owner's second decision on an approved privileged item. */
    level: integer('level').notNull().default(1),
    /** Null for items launched before hints existed. */
    hints: jsonb('hints').$type<ItemHints>(),
    /** For decision `kept`: the compensating control and when the exception ends. */
    exceptionControl: text('exception_control'),
    exceptionEndsAt: timestamp('exception_ends_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('review_item_campaign_grant_uq').on(t.campaignId, t.grantId, t.level),
    index('review_item_reviewer_idx').on(t.campaignId, t.reviewerId, t.decision),
  ],
);

export type ReviewItem = typeof reviewItem.$inferSelect;
