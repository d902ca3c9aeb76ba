import type { Db } from '../../db/client.js';
import type { Role } from '../../db/schema/index.js';
import { hasRole } from '../people/person-roles.js';
import { findOpenCampaigns } from '../reviews/find-open-campaigns.js';
import { getCampaignStatus, type CampaignStatus } from '../reviews/get-campaign-status.js';

/** No Home tab can show more: each campaign takes blocks, and the tab holds 100. */
const MAX_CAMPAIGNS = 10;

export interface CampaignProgress {
  status: CampaignStatus;
}

/**
 * Progress of the open campaigns by reviewer, for compliance (and admins) only: everyone else
 * sees just their own work. Soonest due first.
 */
export async function findCampaignProgress(db: Db, roles: readonly Role[]): Promise<{ items: CampaignProgress[]; total: number }> {
  if (!hasRole(roles, 'compliance')) return { items: [], total: 0 };
  const open = await findOpenCampaigns(db);
  const items: CampaignProgress[] = [];
  // Sequential on purpose: PGlite is a single connection.
  for (const c of open.slice(0, MAX_CAMPAIGNS)) items.push({ status: await getCampaignStatus(db, c.id) });
  return { items, total: open.length };
}
