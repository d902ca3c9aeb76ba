import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaign } from './campaign.js';
import { person } from './person.js';

/**
 * A reviewer's attestation that they reviewed their items as a whole. Once per reviewer and
 * campaign; the evidence event carries the same statement and digest.
 */
export const reviewSignoff = pgTable(
  'review_signoff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => person.id),
    /** The statement exactly as shown in the modal. */
    statement: text('statement').notNull(),
    itemCount: integer('item_count').notNull(),
    /** SHA-256 over the decided items (id, decision, decided at), in item id order. */
    itemsDigest: text('items_digest').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('review_signoff_campaign_reviewer_uq').on(t.campaignId, t.reviewerId)],
);

export type ReviewSignoff = typeof reviewSignoff.$inferSelect;
