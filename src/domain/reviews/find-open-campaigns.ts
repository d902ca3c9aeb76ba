import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaign, reviewItem } from '../../db/schema/index.js';
import { DRIFT_KIND } from '../drift/drift-campaign.js';

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

/**
 * Launched, not yet closed campaigns, soonest due first (reminders, App Home, status). The
 * standing drift campaign is left out: it is never due, and each of its items has its own DM.
 */
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
    .where(and(eq(campaign.status, 'launched'), ne(campaign.kind, DRIFT_KIND)))
    .groupBy(campaign.id)
    .orderBy(asc(campaign.dueAt), asc(campaign.name));
}
