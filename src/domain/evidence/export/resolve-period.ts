import { and, asc, eq, exists, gte, lt, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { campaign, reviewItem, type Campaign } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import { getCampaign } from '../../reviews/get-campaign.js';
import { notAfter, seenAt } from './as-of.js';
import { inItemWindow, type ItemWindow, type PeriodCampaign } from './item-window.js';
import { dateRange, quarterRange, type PeriodInput } from './parse-period.js';

export interface ExportPeriod {
  kind: 'campaign' | 'quarter' | 'range';
  label: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  /** When state-based findings are judged: the period's end, or now if it has not ended. */
  asOf: Date;
  /** A standing campaign in a quarter or range carries the window of its items (item-window.ts). */
  campaigns: PeriodCampaign[];
}

/**
 * The period and the campaigns it covers. A campaign's period runs from its creation to its
 * close (or now), so its whole story (creation, launch, decisions, close) is in the evidence.
 * A quarter or a range covers the campaigns launched inside it: each campaign belongs to
 * exactly one quarter, however long it stayed open. The standing drift campaign (unapproved
 * access, never closed) is the exception: it is covered whenever some of its items belong to
 * the period, and only those items (see item-window.ts). `now` is the export's snapshot instant;
 * with `rowsAsOf` (a bundle read in chunks) campaigns are taken as they stood then.
 */
export async function resolvePeriod(db: Db, now: Date, input: PeriodInput, rowsAsOf: Date | null = null): Promise<ExportPeriod> {
  if ('campaignId' in input) {
    const c = campaignAsOf(await getCampaign(db, input.campaignId), rowsAsOf);
    if (c.status === 'draft') {
      throw new AppError('INVALID_INPUT', `Campaign "${c.name}" has not been launched: there is no population to export yet`, { field: 'campaign' });
    }
    // +1 ms: the close and its evidence event carry the same instant, and `to` is exclusive;
    // likewise `now`, the snapshot instant, which the export's own checkpoint may carry.
    const to = new Date((c.closedAt ?? now).getTime() + 1);
    return { kind: 'campaign', label: `campaign "${c.name}"`, from: c.createdAt, to, asOf: min(to, now), campaigns: [c] };
  }
  const range = 'quarter' in input ? quarterRange(input.quarter) : dateRange(input.from, input.to);
  const campaigns = await db
    .select()
    .from(campaign)
    .where(and(ne(campaign.status, 'draft'), ne(campaign.kind, DRIFT_KIND), gte(campaign.launchedAt, range.from), lt(campaign.launchedAt, range.to), notAfter(campaign.launchedAt, rowsAsOf)))
    .orderBy(asc(campaign.launchedAt), asc(campaign.id))
    .then((rows) => rows.map((c) => campaignAsOf(c, rowsAsOf)));
  const standing = await standingCampaigns(db, { ...range, asOf: rowsAsOf });
  const label = 'quarter' in input ? input.quarter.trim().toUpperCase() : `${iso(range.from)} to ${iso(range.to)}`;
  return { kind: 'quarter' in input ? 'quarter' : 'range', label, ...range, asOf: min(range.to, now), campaigns: [...campaigns, ...standing] };
}

/** The drift campaign when any of its items belongs to the window, carrying the window. */
async function standingCampaigns(db: Db, window: ItemWindow): Promise<PeriodCampaign[]> {
  const items = db
    .select({ id: reviewItem.id })
    .from(reviewItem)
    .where(and(eq(reviewItem.campaignId, campaign.id), inItemWindow(window)));
  const rows = await db
    .select()
    .from(campaign)
    .where(and(eq(campaign.kind, DRIFT_KIND), ne(campaign.status, 'draft'), lt(campaign.launchedAt, window.to), notAfter(campaign.launchedAt, window.asOf), exists(items)))
    .orderBy(asc(campaign.launchedAt), asc(campaign.id));
  return rows.map((c) => ({ ...campaignAsOf(c, window.asOf), itemWindow: window }));
}

/** A campaign launched or closed after the snapshot is shown as it was before (see as-of.ts). */
function campaignAsOf(c: Campaign, asOf: Date | null): Campaign {
  if (!asOf) return c;
  if (c.launchedAt && !seenAt(c.launchedAt, asOf)) return { ...c, status: 'draft', launchedAt: null, closedAt: null };
  if (c.closedAt && !seenAt(c.closedAt, asOf)) return { ...c, status: 'launched', closedAt: null };
  return c;
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

function iso(d: Date): string {
  return d.toISOString();
}
