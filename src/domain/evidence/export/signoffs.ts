import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { person, reviewItem, reviewSignoff, type Campaign } from '../../../db/schema/index.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import type { Column } from './csv-entry.js';
import { keyset, perCampaign } from './keyset.js';

export interface SignoffRow {
  campaign: Campaign;
  reviewerId: string;
  name: string | null;
  email: string | null;
  /** Items assigned to the reviewer in the campaign, at either level. */
  items: number;
  /** Of those, decided as of the snapshot. */
  decided: number;
  /** All null: the reviewer never signed off (as of the snapshot). */
  signedAt: Date | null;
  statement: string | null;
  itemCount: number | null;
  itemsDigest: string | null;
}

/**
 * Every reviewer of each campaign (anyone with an item at either level), with their sign-off
 * or none. Paged on the reviewer: a campaign has as many rows as reviewers, not items. With
 * `asOf` (a bundle read in chunks), a decision or a sign-off after it is not there yet. The
 * standing drift campaign is left out: its items are decided one DM at a time and it asks for
 * no sign-off, so every reviewer there would read as one who never signed.
 */
export function signoffRows(db: Db, campaigns: Campaign[], asOf: Date | null = null): AsyncGenerator<SignoffRow> {
  const decidedBy = asOf
    ? sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending' and ${reviewItem.decidedAt} <= ${asOf}))::int`
    : sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending'))::int`;
  const signed = and(eq(reviewSignoff.campaignId, reviewItem.campaignId), eq(reviewSignoff.reviewerId, reviewItem.reviewerId), asOf ? sql`${reviewSignoff.signedAt} <= ${asOf}` : undefined);
  return perCampaign(campaigns.filter((c) => c.kind !== DRIFT_KIND), (c) =>
    keyset(
      async (after: string | null, limit) => {
        const rows = await db
          .select({
            reviewerId: reviewItem.reviewerId,
            name: person.name,
            email: person.email,
            items: sql<number>`count(*)::int`,
            decided: decidedBy,
            signedAt: reviewSignoff.signedAt,
            statement: reviewSignoff.statement,
            itemCount: reviewSignoff.itemCount,
            itemsDigest: reviewSignoff.itemsDigest,
          })
          .from(reviewItem)
          .leftJoin(person, eq(person.id, reviewItem.reviewerId))
          .leftJoin(reviewSignoff, signed)
          .where(and(eq(reviewItem.campaignId, c.id), after ? gt(reviewItem.reviewerId, after) : undefined))
          .groupBy(reviewItem.reviewerId, person.name, person.email, reviewSignoff.id)
          .orderBy(asc(reviewItem.reviewerId))
          .limit(limit);
        return rows.map((r) => ({ campaign: c, ...r, items: Number(r.items), decided: Number(r.decided) }));
      },
      (r) => r.reviewerId,
    ),
  );
}

export const SIGNOFF_COLUMNS: Column<SignoffRow>[] = [
  { header: 'campaign_id', value: (r) => r.campaign.id },
  { header: 'campaign', value: (r) => r.campaign.name },
  { header: 'reviewer_name', value: (r) => r.name },
  { header: 'reviewer_email', value: (r) => r.email },
  { header: 'items', value: (r) => r.items },
  { header: 'decided', value: (r) => r.decided },
  { header: 'signed_at', value: (r) => r.signedAt },
  { header: 'statement', value: (r) => r.statement },
  { header: 'item_count', value: (r) => r.itemCount },
  { header: 'items_digest', value: (r) => r.itemsDigest },
];
