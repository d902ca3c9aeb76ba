import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Event ids already accepted, so a redelivered webhook opens nothing new. */
export const webhookDelivery = pgTable(
  'webhook_delivery',
  {
    source: text('source').notNull(),
    eventId: text('event_id').notNull(),
    requestId: uuid('request_id'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.eventId] })],
);
