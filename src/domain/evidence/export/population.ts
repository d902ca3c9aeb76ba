import { and, asc, between, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { person, reviewItem, type Campaign, type ItemHints, type ItemSnapshot } from '../../../db/schema/index.js';
import { seenAt } from './as-of.js';
import type { Column } from './csv-entry.js';
import { inItemWindow, type PeriodCampaign } from './item-window.js';
import { keyset, perCampaign } from './keyset.js';
import { finalOutcome, type FinalOutcome } from './review-depth.js';

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

const owner = alias(person, 'owner');

/**
 * Every review item exactly as frozen at launch (the snapshot), not as the directory is now:
 * the population is what the reviewers were shown, with the item's final outcome over both
 * levels. Paged on (campaign, grant) at level 1; the second level is read per page.
 * With `asOf` (a bundle read in chunks), a decision recorded after it counts as pending. A
 * standing campaign's items are those of its window (item-window.ts).
 */
export function populationRows(db: Db, campaigns: PeriodCampaign[], asOf: Date | null = null): AsyncGenerator<PopulationRow> {
  const decided = (decision: string, at: Date | null) => (decision !== 'pending' && at && !seenAt(at, asOf) ? 'pending' : decision);
  return perCampaign(campaigns, (c) =>
    keyset(
      async (after: string | null, limit) => {
        const rows = await db
          .select({
            itemId: reviewItem.id,
            grantId: reviewItem.grantId,
            snapshot: reviewItem.snapshot,
            hints: reviewItem.hints,
            decision: reviewItem.decision,
            decidedAt: reviewItem.decidedAt,
            ownerEmail: owner.email,
          })
          .from(reviewItem)
          .leftJoin(owner, eq(owner.id, sql`coalesce(${reviewItem.delegatedFromId}, ${reviewItem.reviewerId})`))
          .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.level, 1), inItemWindow(c.itemWindow), after ? gt(reviewItem.grantId, after) : undefined))
          .orderBy(asc(reviewItem.grantId))
          .limit(limit);
        const seconds = await secondLevel(db, c.id, rows);
        return rows.map((r) => {
          const s = seconds.get(r.grantId);
          return {
            campaign: c,
            itemId: r.itemId,
            grantId: r.grantId,
            snapshot: r.snapshot,
            hints: r.hints,
            outcome: finalOutcome(decided(r.decision, r.decidedAt), s ? decided(s.decision, s.decidedAt) : null),
            ownerEmail: r.ownerEmail,
          };
        });
      },
      (r) => r.grantId,
    ),
  );
}

/**
 * The second-level decisions of a page's grants, read in a second query over the page's grant
 * range: as a join, the planner scans the whole campaign for level 2 once per page.
 */
async function secondLevel(db: Db, campaignId: string, page: { grantId: string }[]): Promise<Map<string, { decision: string; decidedAt: Date | null }>> {
  if (page.length === 0) return new Map();
  const rows = await db
    .select({ grantId: reviewItem.grantId, decision: reviewItem.decision, decidedAt: reviewItem.decidedAt })
    .from(reviewItem)
    .where(and(eq(reviewItem.campaignId, campaignId), between(reviewItem.grantId, page[0]!.grantId, page[page.length - 1]!.grantId), eq(reviewItem.level, 2)));
  return new Map(rows.map((r) => [r.grantId, r]));
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
