import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, reviewItem } from '../../db/schema/index.js';

export interface OpenCampaign {
  id: string;
  name: string;
  ownerId: string;
  dueAt: Date;
  launchedAt: Date | null;
  nonResponse: 'flag' | 'revoke';
  reminderOffsetsDays: number[];
  items: number;
  pending: number;
}

/** Launched, not yet closed campaigns, soonest due first (reminders, App Home, status). */
export async function findOpenCampaigns(db: Db): Promise<OpenCampaign[]> {
  return db
    .select({
      id: campaign.id,
      name: campaign.name,
      ownerId: campaign.ownerId,
      dueAt: campaign.dueAt,
      launchedAt: campaign.launchedAt,
      nonResponse: campaign.nonResponse,
      reminderOffsetsDays: campaign.reminderOffsetsDays,
      items: sql<number>`count(${reviewItem.id})::int`,
      pending: sql<number>`(count(${reviewItem.id}) filter (where ${reviewItem.decision} = 'pending'))::int`,
    })
    .from(campaign)
    .leftJoin(reviewItem, eq(reviewItem.campaignId, campaign.id))
    .where(eq(campaign.status, 'launched'))
    .groupBy(campaign.id)
    .orderBy(asc(campaign.dueAt), asc(campaign.name));
}
