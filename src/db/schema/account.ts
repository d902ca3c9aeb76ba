import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { person } from './person.js';

/** One login in one system. `personId` null = an orphaned account, kept visible. */
export const account = pgTable(
  'account',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    system: text('system').notNull(),
    externalId: text('external_id').notNull(),
    login: text('login').notNull(),
    email: text('email'),
    displayName: text('display_name'),
    /** Normalised: active, suspended, deprovisioned, staged, locked, …; raw kept in attrs. */
    status: text('status').notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    personId: uuid('person_id').references(() => person.id, { onDelete: 'set null' }),
    /** Who answers for an account that belongs to no person (file `owner_email`, an Okta profile attribute). */
    ownerEmail: text('owner_email'),
    /**
     * Multi-factor authentication as the source last reported it: null when it does not say
     * (or has not been asked yet, for Okta's factors read in rotation).
     */
    mfaEnrolled: boolean('mfa_enrolled'),
    /** Google's isEnforcedIn2Sv; null where the source has no such notion. */
    mfaEnforced: boolean('mfa_enforced'),
    mfaCheckedAt: timestamp('mfa_checked_at', { withTimezone: true, mode: 'date' }),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('account_source_external_uq').on(t.source, t.externalId),
    index('account_person_idx').on(t.personId),
  ],
);

export type Account = typeof account.$inferSelect;
