import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Pending `review.refresh` rows for the same campaign and reviewer need one update: a refresh
 * renders current data when it is sent, so the oldest pending one carries every decision made
 * before it goes out. The younger ones are marked sent (coalesced into the oldest).
 *
 * Only rows still `pending` are folded, and only into a row still `pending`: one already being
 * sent may have rendered before the younger refresh's decision, so that refresh must go out.
 * A claim racing this statement is safe either way: a row this statement still saw as pending
 * renders after the claim commits, which is after the younger row (and its decision) committed.
 */
export async function coalesceRefreshes(db: Db, now: Date): Promise<number> {
  const result = await db.execute(sql`
    update outbox o
    set status = 'sent', sent_at = ${now.toISOString()}::timestamptz, locked_until = null,
        result = jsonb_build_object('coalesced', k.id)
    from outbox k
    where o.kind = 'review.refresh' and o.status = 'pending'
      and k.kind = 'review.refresh' and k.status = 'pending'
      and k.payload->>'campaignId' = o.payload->>'campaignId'
      and k.payload->>'reviewerId' = o.payload->>'reviewerId'
      and (k.created_at, k.id) < (o.created_at, o.id)
      and not exists (
        select 1 from outbox e
        where e.kind = 'review.refresh' and e.status = 'pending'
          and e.payload->>'campaignId' = o.payload->>'campaignId'
          and e.payload->>'reviewerId' = o.payload->>'reviewerId'
          and (e.created_at, e.id) < (k.created_at, k.id))
    returning o.id`);
  const raw = result as unknown as unknown[] | { rows: unknown[] };
  return Array.isArray(raw) ? raw.length : raw.rows.length;
}
