import type { Db } from '../../../db/client.js';
import type { Campaign, ItemHints, ItemSnapshot } from '../../../db/schema/index.js';
import type { Column } from './csv-entry.js';
import type { PeriodCampaign } from './item-window.js';
import { reviewItemReads } from './review-items.js';
import type { FinalOutcome } from './review-depth.js';

export interface PopulationRow {
  campaign: Campaign;
  itemId: string;
  grantId: string;
  snapshot: ItemSnapshot;
  hints: ItemHints | null;
  /** Over both levels, as of the snapshot (see finalOutcome). */
  outcome: FinalOutcome;
  /** Who reviews the item in the first place (before any delegation). */
  ownerEmail: string | null;
}

/**
 * Every review item exactly as frozen at launch (the snapshot), not as the directory is now:
 * the population is what the reviewers were shown, with the item's final outcome over both
 * levels, in grant order. With `asOf` (a bundle read in chunks), a decision recorded after it
 * counts as pending. A standing campaign's items are those of its window (item-window.ts). The
 * export reads these together with the decisions (review-items.ts).
 */
export async function* populationRows(db: Db, campaigns: PeriodCampaign[], asOf: Date | null = null): AsyncGenerator<PopulationRow> {
  for await (const r of reviewItemReads(db, campaigns, asOf)) if ('population' in r) yield r.population;
}

/** An account linked to no person (a service account, a bot, a shared account). */
function ownerless(r: PopulationRow): boolean {
  return Boolean(r.hints?.ownerless) || !r.snapshot.personId;
}

/** yes: the grant was not in the previous completed campaign of the same scope; empty when nothing was compared. */
function newSinceLastReview(r: PopulationRow): boolean | null {
  if (!r.hints?.compared) return null;
  return r.hints.history === null;
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
  // Added after the original columns, so readers that go by position keep working.
  { header: 'final_outcome', value: (r) => r.outcome },
  { header: 'ownerless', value: ownerless },
  { header: 'account_owner', value: (r) => (ownerless(r) ? r.ownerEmail : null) },
  { header: 'previous_decision', value: (r) => r.hints?.history?.decision ?? null },
  { header: 'previous_campaign', value: (r) => r.hints?.history?.campaignName ?? null },
  { header: 'new_since_last_review', value: newSinceLastReview },
];
