import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, campaignTemplate, person, type CampaignTemplate } from '../../db/schema/index.js';

export interface CampaignTemplateRow extends CampaignTemplate {
  ownerEmail: string;
  /** The period of the newest campaign it launched, if any. */
  lastPeriod: string | null;
}

/** Schedules by name; `enabledOnly` is what the launch job reads. */
export async function findCampaignTemplates(db: Db, opts: { enabledOnly?: boolean } = {}): Promise<CampaignTemplateRow[]> {
  // Periods are local `YYYY-MM-DDTHH:mm` stamps, so the greatest string is the latest slot.
  const lastPeriod = sql<string | null>`(select max(${campaign.period}) from ${campaign} where ${campaign.templateId} = ${campaignTemplate.id})`;
  const rows = await db
    .select({ t: campaignTemplate, ownerEmail: person.email, lastPeriod })
    .from(campaignTemplate)
    .innerJoin(person, eq(person.id, campaignTemplate.ownerId))
    .where(opts.enabledOnly ? eq(campaignTemplate.enabled, true) : undefined)
    .orderBy(asc(campaignTemplate.name));
  return rows.map((r) => ({ ...r.t, ownerEmail: r.ownerEmail, lastPeriod: r.lastPeriod }));
}
