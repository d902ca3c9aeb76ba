import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { reviewItem, type Campaign, type ItemSnapshot } from '../../../db/schema/index.js';
import type { Column } from './csv-entry.js';
import { keyset, perCampaign } from './keyset.js';

export interface PopulationRow {
  campaign: Campaign;
  itemId: string;
  grantId: string;
  snapshot: ItemSnapshot;
}

/**
 * Every review item exactly as frozen at launch (the snapshot), not as the directory is now:
 * the population is what the reviewers were shown. Paged on (campaign, grant), the unique index.
 */
export function populationRows(db: Db, campaigns: Campaign[]): AsyncGenerator<PopulationRow> {
  return perCampaign(campaigns, (c) =>
    keyset(
      async (after: string | null, limit) => {
        const rows = await db
          .select({ itemId: reviewItem.id, grantId: reviewItem.grantId, snapshot: reviewItem.snapshot })
          .from(reviewItem)
          .where(and(eq(reviewItem.campaignId, c.id), after ? gt(reviewItem.grantId, after) : undefined))
          .orderBy(asc(reviewItem.grantId))
          .limit(limit);
        return rows.map((r) => ({ campaign: c, ...r }));
      },
      (r) => r.grantId,
    ),
  );
}

/** Snapshot times are strings frozen at launch; the file shows every time the same way (UTC, ms). */
function utc(text: string | null): string | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

export const POPULATION_COLUMNS: Column<PopulationRow>[] = [
  { header: 'campaign_id', value: (r) => r.campaign.id },
  { header: 'campaign', value: (r) => r.campaign.name },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'person', value: (r) => r.snapshot.personName },
  { header: 'email', value: (r) => r.snapshot.personEmail },
  { header: 'department', value: (r) => r.snapshot.department },
  { header: 'manager', value: (r) => r.snapshot.managerEmail },
  { header: 'system', value: (r) => r.snapshot.system },
  { header: 'source', value: (r) => r.snapshot.source },
  { header: 'account', value: (r) => r.snapshot.accountLogin },
  { header: 'account_status', value: (r) => r.snapshot.accountStatus },
  { header: 'resource', value: (r) => r.snapshot.resourceName },
  { header: 'resource_kind', value: (r) => r.snapshot.resourceKind },
  { header: 'how_held', value: (r) => r.snapshot.via },
  { header: 'privileged', value: (r) => r.snapshot.privileged },
  { header: 'last_login', value: (r) => utc(r.snapshot.lastLoginAt) },
  { header: 'grant_id', value: (r) => r.grantId },
];
