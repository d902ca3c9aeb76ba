import { integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { campaign } from './campaign.js';
import { person } from './person.js';

/**
 * A reviewer's attestation that they reviewed their items as a whole; the evidence event carries
 * the same statement and digest. Usually once per reviewer and campaign; items that reach the
 * reviewer after it (a second-level review, a handover) are covered by a later sign-off, `seq`
 * 2, 3, …, each over all of their items at that time.
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
    /** 1 for the reviewer's first sign-off of the campaign; the unique index makes a race sign once. */
    seq: integer('seq').notNull().default(1),
  },
  (t) => [uniqueIndex('review_signoff_campaign_reviewer_seq_uq').on(t.campaignId, t.reviewerId, t.seq)],
);

export type ReviewSignoff = typeof reviewSignoff.$inferSelect;
