import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { PlannedItem } from './types.js';

/** Rows per statement: each chunk travels as one JSON parameter, a few MB at most. */
const CHUNK = 5000;

/**
 * Freezes the planned items into the campaign, in the launch transaction. The rows go as one
 * JSON document per chunk, expanded by `jsonb_to_recordset`: with 50,000 items that is ten
 * statements with one parameter each, several times faster than binding five parameters per
 * row (and far from Postgres's 65,535-parameter limit).
 */
export async function insertReviewItems(tx: Db, campaignId: string, items: PlannedItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const rows = items.slice(i, i + CHUNK).map((it) => ({ g: it.grantId, s: it.snapshot, r: it.reviewerId, f: it.fallbackReason }));
    await tx.execute(sql`
      insert into review_item (campaign_id, grant_id, snapshot, reviewer_id, fallback_reason)
      select ${campaignId}::uuid, x.g, x.s, x.r, x.f
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(g uuid, s jsonb, r uuid, f text)`);
  }
}
