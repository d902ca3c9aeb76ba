import { and, asc, gte, lt, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { campaign, type Campaign } from '../../../db/schema/index.js';
import { AppError } from '../../../errors.js';
import { getCampaign } from '../../reviews/get-campaign.js';
import { dateRange, quarterRange, type PeriodInput } from './parse-period.js';

export interface ExportPeriod {
  kind: 'campaign' | 'quarter' | 'range';
  label: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  /** When state-based findings are judged: the period's end, or now if it has not ended. */
  asOf: Date;
  campaigns: Campaign[];
}

/**
 * The period and the campaigns it covers. A campaign's period runs from its creation to its
 * close (or now), so its whole story (creation, launch, decisions, close) is in the evidence.
 * A quarter or a range covers the campaigns launched inside it: each campaign belongs to
 * exactly one quarter, however long it stayed open.
 */
export async function resolvePeriod(db: Db, now: Date, input: PeriodInput): Promise<ExportPeriod> {
  if ('campaignId' in input) {
    const c = await getCampaign(db, input.campaignId);
    if (c.status === 'draft') {
      throw new AppError('INVALID_INPUT', `Campaign "${c.name}" has not been launched: there is no population to export yet`, { field: 'campaign' });
    }
    // +1 ms: the close and its evidence event carry the same instant, and `to` is exclusive.
    const to = c.closedAt ? new Date(c.closedAt.getTime() + 1) : now;
    return { kind: 'campaign', label: `campaign "${c.name}"`, from: c.createdAt, to, asOf: min(to, now), campaigns: [c] };
  }
  const range = 'quarter' in input ? quarterRange(input.quarter) : dateRange(input.from, input.to);
  const campaigns = await db
    .select()
    .from(campaign)
    .where(and(ne(campaign.status, 'draft'), gte(campaign.launchedAt, range.from), lt(campaign.launchedAt, range.to)))
    .orderBy(asc(campaign.launchedAt), asc(campaign.id));
  const label = 'quarter' in input ? input.quarter.trim().toUpperCase() : `${iso(range.from)} to ${iso(range.to)}`;
  return { kind: 'quarter' in input ? 'quarter' : 'range', label, ...range, asOf: min(range.to, now), campaigns };
}

function min(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

function iso(d: Date): string {
  return d.toISOString();
}
