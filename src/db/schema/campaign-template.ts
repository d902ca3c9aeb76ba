import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { NON_RESPONSE_RULES, REVIEWER_RULES, SECOND_LEVEL_RULES, type CampaignScope } from './campaign.js';
import { person } from './person.js';

/**
 * A recurring campaign: the scheduled-launch job creates and launches one campaign per slot of
 * `cron` (evaluated in TZ). The campaign's (template_id, period) is unique, which is what makes
 * a slot launch once however many replicas race for it.
 */
export const campaignTemplate = pgTable(
  'campaign_template',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Five-field cron; default quarterly at 09:00 on the first day of each quarter. */
    cron: text('cron').notNull(),
    scope: jsonb('scope').$type<CampaignScope>().notNull().default({}),
    reviewerRule: text('reviewer_rule', { enum: REVIEWER_RULES }).notNull().default('manager'),
    nonResponse: text('non_response', { enum: NON_RESPONSE_RULES }).notNull().default('flag'),
    /** Each campaign is due this many days after it launches. */
    durationDays: integer('duration_days').notNull().default(14),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => person.id),
    /** Copied to each campaign: see campaign.secondLevel and campaign.attestation. */
    secondLevel: text('second_level', { enum: SECOND_LEVEL_RULES }),
    attestation: text('attestation'),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [uniqueIndex('campaign_template_name_uq').on(sql`lower(${t.name})`)],
);

export type CampaignTemplate = typeof campaignTemplate.$inferSelect;
