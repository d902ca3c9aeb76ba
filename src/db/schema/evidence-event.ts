import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The append-only, hash-chained evidence log. `seq` is assigned under an advisory lock as
 * previous + 1, so the chain has no gaps; a trigger (migration 0001) refuses UPDATE, DELETE
 * and TRUNCATE.
 */
export const evidenceEvent = pgTable(
  'evidence_event',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: jsonb('subject').$type<Record<string, string>>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('evidence_event_at_idx').on(t.at), index('evidence_event_action_idx').on(t.action)],
);

export type EvidenceRow = typeof evidenceEvent.$inferSelect;
