import { and, asc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { person, reviewItem, reviewSignoff, type Campaign } from '../../../db/schema/index.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import { coversAll } from '../../reviews/signoff-coverage.js';
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
  /** 1, 2, …: the reviewer's sign-offs of the campaign in order; null with the rest: never signed (as of the snapshot). */
  seq: number | null;
  signedAt: Date | null;
  statement: string | null;
  itemCount: number | null;
  itemsDigest: string | null;
  /** The reviewer's last row (their latest sign-off, or the one row of someone who never signed). */
  latest: boolean;
  /** On the latest row: its sign-off covers every item, all decided (see signoff-coverage.ts). */
  covered: boolean;
}

interface SignoffKey {
  reviewerId: string;
  seq: number;
}

/**
 * Every reviewer of each campaign (anyone with an item at either level), one row per sign-off
 * (a reviewer signs again for items that reached them after it), or one row with none. Paged on
 * (reviewer, seq): a campaign has as many rows as reviewers and sign-offs, not items. With
 * `asOf` (a bundle read in chunks), a decision or a sign-off after it is not there yet. The
 * standing drift campaign is left out: its items are decided one DM at a time and it asks for
 * no sign-off, so every reviewer there would read as one who never signed.
 */
export function signoffRows(db: Db, campaigns: Campaign[], asOf: Date | null = null): AsyncGenerator<SignoffRow> {
  const decidedBy = asOf
    ? sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending' and ${reviewItem.decidedAt} <= ${asOf}))::int`
    : sql<number>`(count(*) filter (where ${reviewItem.decision} <> 'pending'))::int`;
  const signedBy = (s: SQL) => (asOf ? sql`and ${s} <= ${asOf}` : sql``);
  return perCampaign(campaigns.filter((c) => c.kind !== DRIFT_KIND), (c) =>
    keyset(
      async (after: SignoffKey | null, limit) => {
        const d = db
          .select({ reviewerId: reviewItem.reviewerId, items: sql<number>`count(*)::int`.as('items'), decided: decidedBy.as('decided') })
          .from(reviewItem)
          .where(and(eq(reviewItem.campaignId, c.id), after ? gte(reviewItem.reviewerId, after.reviewerId) : undefined))
          .groupBy(reviewItem.reviewerId)
          .as('d');
        const seq = sql<number>`coalesce(${reviewSignoff.seq}, 0)`;
        const later = sql`select 1 from review_signoff s2 where s2.campaign_id = ${c.id} and s2.reviewer_id = ${d.reviewerId} and s2.seq > ${reviewSignoff.seq} ${signedBy(sql`s2.signed_at`)}`;
        const rows = await db
          .select({
            reviewerId: d.reviewerId,
            name: person.name,
            email: person.email,
            items: d.items,
            decided: d.decided,
            seq: reviewSignoff.seq,
            signedAt: reviewSignoff.signedAt,
            statement: reviewSignoff.statement,
            itemCount: reviewSignoff.itemCount,
            itemsDigest: reviewSignoff.itemsDigest,
            latest: sql<boolean>`(${reviewSignoff.id} is null or not exists (${later}))`,
          })
          .from(d)
          .leftJoin(person, eq(person.id, d.reviewerId))
          .leftJoin(reviewSignoff, and(eq(reviewSignoff.campaignId, c.id), eq(reviewSignoff.reviewerId, d.reviewerId), asOf ? sql`${reviewSignoff.signedAt} <= ${asOf}` : undefined))
          .where(after ? sql`(${d.reviewerId}, ${seq}) > (${after.reviewerId}::uuid, ${after.seq}::int)` : undefined)
          .orderBy(asc(d.reviewerId), asc(seq))
          .limit(limit);
        return rows.map((r) => {
          const items = Number(r.items);
          const decided = Number(r.decided);
          const latest = r.latest === true || String(r.latest) === 't';
          return { campaign: c, ...r, items, decided, latest, covered: latest && decided === items && coversAll(r.itemCount === null ? null : { itemCount: r.itemCount }, items) };
        });
      },
      (r) => ({ reviewerId: r.reviewerId, seq: r.seq ?? 0 }),
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
  // Added last: readers of the earlier files find every column where it was.
  { header: 'seq', value: (r) => r.seq },
];
