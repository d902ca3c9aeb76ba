import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { account } from './account.js';
import { resource } from './resource.js';

/**
 * account × resource, and how it is held: `via` is `direct`, or `group:<external id>` for an
 * app assignment that comes through a group (removable only through that group).
 */
export const accessGrant = pgTable(
  'access_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    resourceId: uuid('resource_id')
      .notNull()
      .references(() => resource.id),
    via: text('via').notNull().default('direct'),
    privileged: boolean('privileged').notNull().default(false),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('access_grant_uq').on(t.accountId, t.resourceId, t.via),
    index('access_grant_resource_idx').on(t.resourceId),
    index('access_grant_source_idx').on(t.source),
  ],
);

export type AccessGrant = typeof accessGrant.$inferSelect;
