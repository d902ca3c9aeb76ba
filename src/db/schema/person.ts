import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid, uniqueIndex, index, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const EMPLOYMENT_STATUSES = ['active', 'leaving', 'terminated'] as const;

/** One human. Email is unique regardless of case; accounts link to people by email or alias. */
export const person = pgTable(
  'person',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    title: text('title'),
    department: text('department'),
    managerId: uuid('manager_id').references((): AnyPgColumn => person.id, { onDelete: 'set null' }),
    status: text('status', { enum: EMPLOYMENT_STATUSES }).notNull().default('active'),
    /** Other addresses this person is known by (old domains, renamed mailboxes). */
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    /** Once matched, kept by id: a changed email does not re-route reviews. */
    slackUserId: text('slack_user_id'),
    slackTz: text('slack_tz'),
    /** Where the person record came from (`okta`, `google`, `file`, `hr`, `cli`). */
    source: text('source'),
    leftAt: timestamp('left_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('person_email_lower_uq').on(sql`lower(${t.email})`),
    uniqueIndex('person_slack_user_uq').on(t.slackUserId),
    index('person_manager_idx').on(t.managerId),
    // Review hints count a mover's department peers: without it one mover review reads everyone.
    index('person_department_idx').on(t.department),
  ],
);

export type Person = typeof person.$inferSelect;
export type NewPerson = typeof person.$inferInsert;
