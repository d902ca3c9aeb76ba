import { boolean, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { person } from './person.js';

export const RESOURCE_KINDS = ['app', 'group', 'role'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Something access is granted to: an app, a group, an admin role. */
export const resource = pgTable(
  'resource',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    system: text('system').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: RESOURCE_KINDS }).notNull(),
    name: text('name').notNull(),
    privileged: boolean('privileged').notNull().default(false),
    /** Owner as reported by the source (email), and as resolved to a person. */
    ownerEmail: text('owner_email'),
    ownerId: uuid('owner_id').references(() => person.id, { onDelete: 'set null' }),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('resource_source_external_uq').on(t.source, t.externalId)],
);

export type Resource = typeof resource.$inferSelect;
