import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { person } from './person.js';

/**
 * `undeliverable`: meant for a person who has no Slack user. Kept, never marked sent, and put
 * back to `pending` by the worker once the person is linked to Slack.
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'undeliverable'] as const;

/**
 * What must be sent (Slack messages, identity-provider calls), written in the same
 * transaction as the change that needs it and delivered afterwards. `dedupeKey` makes
 * enqueueing idempotent; the id travels in Slack message metadata so a send that was in
 * flight when the process died is found in history instead of sent twice.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** Messages to one channel are delivered in order and at that channel's rate. */
    channel: text('channel'),
    /** The person a DM is meant for, kept even while they have no Slack user (so it can wait for one). */
    recipientPersonId: uuid('recipient_person_id').references(() => person.id, { onDelete: 'set null' }),
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    result: jsonb('result').$type<Record<string, unknown>>(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey),
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    // Small: only what waits for a Slack user (the claim's ordering check and the re-queue read it).
    index('outbox_undeliverable_idx').on(t.recipientPersonId, t.createdAt).where(sql`status = 'undeliverable'`),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;
