import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Birthright access: a new hire whose department and/or title match gets every resource listed.
 * A null department or title matches any; a template with both null applies to everyone.
 * Resource ids are kept as an array (not a join table) because a template is read whole and
 * edited whole; a resource that later disappears is skipped at onboarding, not cascaded.
 */
export const accessTemplate = pgTable(
  'access_template',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    department: text('department'),
    title: text('title'),
    resourceIds: uuid('resource_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('access_template_name_uq').on(sql`lower(${t.name})`)],
);

export type AccessTemplate = typeof accessTemplate.$inferSelect;
