import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * What was posted under a thread key (e.g. `review:<campaign>:<reviewer>`), one row per page,
 * so a later `update` plan edits those messages in place instead of posting new ones.
 * `channel` is the conversation Slack answered with (a DM's `D…` id, not the user id we
 * posted to): chat.update only accepts a conversation id. No foreign key to the outbox on
 * purpose: sent outbox rows may be pruned while the messages they posted stay updatable.
 */
export const slackMessage = pgTable(
  'slack_message',
  {
    threadKey: text('thread_key').notNull(),
    page: integer('page').notNull(),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
    /** The outbox row that posted (or last updated) this page. */
    outboxId: uuid('outbox_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadKey, t.page] })],
);

export type SlackMessage = typeof slackMessage.$inferSelect;
