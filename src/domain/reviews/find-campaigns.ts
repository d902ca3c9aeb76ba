import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, reviewItem } from '../../db/schema/index.js';

export interface CampaignListEntry {
  id: string;
  name: string;
  status: string;
  dueAt: Date;
  createdAt: Date;
  launchedAt: Date | null;
  closedAt: Date | null;
  items: number;
  pending: number;
}

/** Every campaign, newest first, with its item counts (`campaign list`). */
export async function findCampaigns(db: Db): Promise<CampaignListEntry[]> {
  return db
    .select({
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      dueAt: campaign.dueAt,
      createdAt: campaign.createdAt,
      launchedAt: campaign.launchedAt,
      closedAt: campaign.closedAt,
      items: sql<number>`count(${reviewItem.id})::int`,
      pending: sql<number>`(count(${reviewItem.id}) filter (where ${reviewItem.decision} = 'pending'))::int`,
    })
    .from(campaign)
    .leftJoin(reviewItem, eq(reviewItem.campaignId, campaign.id))
    .groupBy(campaign.id)
    .orderBy(desc(campaign.createdAt), desc(campaign.id));
}
