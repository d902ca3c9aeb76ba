import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { person } from './person.js';

export const ROLES = ['admin', 'hr', 'compliance', 'it'] as const;
export type Role = (typeof ROLES)[number];

export const personRole = pgTable(
  'person_role',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] })],
);
