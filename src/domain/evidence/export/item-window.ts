import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Campaign } from '../../../db/schema/index.js';
import { reviewItem } from '../../../db/schema/index.js';

/**
 * The part of a standing campaign (the drift campaign: unapproved access, never closed) that a
 * quarter or range export covers. Its items arrive as syncs find them, in every quarter, so
 * the campaign's launch date says nothing about which quarter an item belongs to. An item
 * belongs to the period when it was seen before the period's end and either was seen in the
 * period, was still undecided when the period began (decided in it, after it, or never), or
 * had its removal carried out or verified in the period.
 */
export interface ItemWindow {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The bundle's snapshot instant when read in chunks (see as-of.ts): nothing after it counts. */
  asOf: Date | null;
}

/**
 * A campaign as an export covers it. `itemWindow` is set for a standing campaign in a quarter or
 * range export; absent, every item of the campaign is covered (a campaign launched in the
 * period, or a campaign export, which covers everything up to now).
 */
export type PeriodCampaign = Campaign & { itemWindow?: ItemWindow | null };

/** The review_item columns the window reads, as a query names them (a table or an alias). */
export interface ItemColumns {
  hints: PgColumn | SQL;
  decidedAt: PgColumn | SQL;
  requestId: PgColumn | SQL;
}

const TABLE: ItemColumns = { hints: reviewItem.hints, decidedAt: reviewItem.decidedAt, requestId: reviewItem.requestId };

/** The window as a condition on one review item; undefined (no condition) without a window. */
export function inItemWindow(w: ItemWindow | null | undefined, cols: ItemColumns = TABLE): SQL | undefined {
  if (!w) return undefined;
  const from = w.from.toISOString();
  const to = w.to.toISOString();
  const seen = sql`(${cols.hints}->'drift'->>'seenAt')::timestamptz`;
  const upTo = w.asOf ? sql` and ${seen} <= ${w.asOf.toISOString()}::timestamptz` : sql``;
  const removedBy = (column: SQL) =>
    w.asOf
      ? sql`(${column} >= ${from}::timestamptz and ${column} < ${to}::timestamptz and ${column} <= ${w.asOf.toISOString()}::timestamptz)`
      : sql`(${column} >= ${from}::timestamptz and ${column} < ${to}::timestamptz)`;
  return sql`(${seen} < ${to}::timestamptz${upTo} and (
    ${seen} >= ${from}::timestamptz
    or ${cols.decidedAt} is null or ${cols.decidedAt} >= ${from}::timestamptz
    or exists (select 1 from access_request wr where wr.id = ${cols.requestId} and (${removedBy(sql`wr.done_at`)} or ${removedBy(sql`wr.verified_at`)}))))`;
}

/**
 * For a statement over several campaigns' items (the finding rules): each windowed campaign's
 * items kept to its window, the others untouched. `campaignId` names the item's campaign column.
 */
export function inItemWindows(campaigns: { id: string; itemWindow?: ItemWindow | null }[], campaignId: PgColumn | SQL, cols: ItemColumns = TABLE): SQL {
  const parts = campaigns.filter((c) => c.itemWindow).map((c) => sql`(${campaignId} <> ${c.id}::uuid or ${inItemWindow(c.itemWindow, cols)!})`);
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}
