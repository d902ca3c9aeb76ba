import { and, eq, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { accessRequest, person, reviewItem, syncRun, type Campaign, type ItemHints, type ItemSnapshot } from '../../../db/schema/index.js';
import { rowsOf } from '../findings/rows-of.js';
import type { Finding } from '../findings/types.js';
import { leavesUndecided, undecidedFinding } from '../findings/undecided-items.js';
import { isActor } from './actors.js';
import { seenAt } from './as-of.js';
import type { DecisionRow, Who } from './decisions.js';
import { inItemWindow, type PeriodCampaign } from './item-window.js';
import { keyset, perCampaign } from './keyset.js';
import type { PopulationRow } from './population.js';
import type { RemediationRow } from './remediation.js';
import { itemRemoval, type RequestRead } from './removal-row.js';
import { finalOutcome } from './review-depth.js';

/**
 * What one read of the review items yields, in (campaign, grant, level) order: every decision
 * (a row of decisions.csv) as it is read, and each item's population row once its second level
 * has been read too. population.csv and decisions.csv show the same items with the same joins;
 * read twice, they cost half the export. A decision that asked for a removal also yields its
 * remediation.csv row (fromReviews there), and a pending item of a closed campaign its
 * undecided_item finding: on their own, each is one more walk of every item.
 */
export type ItemRead = { population: PopulationRow } | { decision: DecisionRow } | { removal: RemediationRow } | { undecided: Finding };

const NOBODY: Who = { name: null, email: null, slackUserId: null };

const assigned = alias(person, 'assigned');
const decider = alias(person, 'decider');
const delegator = alias(person, 'delegator');
const carrier = alias(person, 'carrier');

/**
 * Paged on (grant, level), the unique index within a campaign. With `asOf` (a bundle read in
 * chunks), a decision recorded after that instant shows as still pending, in both files: its
 * evidence event is not in the bundle either. A standing campaign's items are those of its
 * window (item-window.ts): decisions.csv keeps the window at every level, population.csv its
 * first level, whose outcome takes the second level's decision whether in the window or not.
 */
export function reviewItemReads(db: Db, campaigns: PeriodCampaign[], asOf: Date | null = null): AsyncGenerator<ItemRead> {
  return perCampaign(campaigns, (c) => campaignReads(db, c, asOf));
}

async function* campaignReads(db: Db, c: PeriodCampaign, asOf: Date | null): AsyncGenerator<ItemRead> {
  const decided = (decision: string, at: Date | null) => (decision !== 'pending' && at && !seenAt(at, asOf) ? 'pending' : decision);
  // The first level of the grant being read, until its second level (or the next grant) shows.
  let first: RawItem | null = null;
  const population = (r: RawItem, second: RawItem | null): ItemRead => ({
    population: {
      campaign: c,
      itemId: r.itemId,
      grantId: r.grantId,
      snapshot: r.snapshot,
      hints: r.hints,
      outcome: finalOutcome(decided(r.decision, r.decidedAt), second ? decided(second.decision, second.decidedAt) : null),
      // Who reviews the item in the first place (before any delegation).
      ownerEmail: r.delegatedFromId !== null ? r.delegatedFrom : r.assigned.email,
    },
  });
  const undecided = readsUndecided(c);
  for await (const r of rawItems(db, c)) {
    if (first && (r.grantId !== first.grantId || r.level === 2)) {
      yield population(first, r.grantId === first.grantId ? r : null);
      first = null;
    }
    if (r.level === 1 && r.inWindow) first = r;
    if (r.inWindow) yield { decision: decisionOf(c, r, asOf) };
    if (undecided && r.decision === 'pending') yield { undecided: undecidedFinding(c, { id: r.itemId, snapshot: r.snapshot }) };
    if (r.inWindow && r.removal && (!asOf || (r.decidedAt && r.decidedAt.getTime() <= asOf.getTime()))) yield { removal: itemRemoval(c.id, { ...r.removal, grantId: r.grantId, itemId: r.itemId, snapshot: r.snapshot, decidedAt: r.decidedAt, deciderEmail: r.deciderEmail, decidedBy: r.decidedBy }, asOf) };
  }
  if (first) yield population(first, null);
}

/** Whether the read covers every item of the campaign, as the undecided_item rule reads them (unwindowed). */
export function readsUndecided(c: PeriodCampaign): boolean {
  return leavesUndecided(c) && !c.itemWindow;
}

function decisionOf(c: Campaign, r: RawItem, asOf: Date | null): DecisionRow {
  const row: DecisionRow = {
    campaign: c,
    itemId: r.itemId,
    grantId: r.grantId,
    level: r.level,
    snapshot: r.snapshot,
    hints: r.hints,
    decision: r.decision,
    decidedAt: r.decidedAt,
    reason: r.reason,
    removalTiming: r.removalTiming,
    requestId: r.requestId,
    fallbackReason: r.fallbackReason,
    delegationReason: r.delegationReason,
    reviewerId: r.reviewerId,
    assigned: r.assigned,
    decider: r.decider,
    delegatedFrom: r.delegatedFrom,
    exceptionControl: r.exceptionControl,
    exceptionEndsAt: r.exceptionEndsAt,
  };
  if (r.decidedAt && !seenAt(r.decidedAt, asOf)) {
    return { ...row, decision: 'pending', decidedAt: null, decider: NOBODY, reason: null, removalTiming: null, requestId: null, exceptionControl: null, exceptionEndsAt: null };
  }
  return row;
}

/** A decision row before its campaign and snapshot rules are applied, with what the other outputs need. */
interface RawItem extends Omit<DecisionRow, 'campaign'> {
  delegatedFromId: string | null;
  inWindow: boolean;
  decidedBy: string | null;
  deciderEmail: string | null;
  /** The removal the decision asked for; null when none (or its request is gone). */
  removal: RequestRead | null;
}

/** A page as the driver answers it: read without the query builder's row mapping, which cost more than the query. */
interface DriverRow {
  item_id: string;
  grant_id: string;
  level: number;
  snapshot: unknown;
  hints: unknown;
  decision: string;
  decided_at: unknown;
  reason: string | null;
  removal_timing: string | null;
  request_id: string | null;
  fallback_reason: string | null;
  delegation_reason: string | null;
  reviewer_id: string;
  delegated_from_id: string | null;
  assigned_name: string | null;
  assigned_email: string | null;
  assigned_slack: string | null;
  decider_name: string | null;
  decider_email: string | null;
  decider_slack: string | null;
  delegator_email: string | null;
  exception_control: string | null;
  exception_ends_at: unknown;
  in_window: unknown;
  decided_by: string | null;
  r_id: string | null;
  r_reason: string | null;
  r_status: string | null;
  r_approved_at: unknown;
  r_carried_out_by: string | null;
  r_carrier_email: string | null;
  r_done_at: unknown;
  r_verified_at: unknown;
  r_sync_run_id: string | null;
  r_sync_source: string | null;
  r_sync_finished_at: unknown;
}

/**
 * A windowed campaign's items in the window, and its second-level items outside it too (the
 * population's outcome reads them), each marked.
 */
function rawItems(db: Db, c: PeriodCampaign): AsyncGenerator<RawItem> {
  return keyset(
    (after: { grantId: string; level: number } | null, limit) => rawPage(db, c, after, limit),
    (r) => ({ grantId: r.grantId, level: r.level }),
  );
}

async function rawPage(db: Db, c: PeriodCampaign, after: { grantId: string; level: number } | null, limit: number): Promise<RawItem[]> {
  const window = inItemWindow(c.itemWindow);
  const where = and(eq(reviewItem.campaignId, c.id), window ? or(window, eq(reviewItem.level, 2)) : undefined, after ? sql`(${reviewItem.grantId}, ${reviewItem.level}) > (${after.grantId}::uuid, ${after.level}::int)` : undefined);
  const rows = rowsOf<DriverRow>(
    await db.execute(sql`
      select ${reviewItem.id} as item_id, ${reviewItem.grantId} as grant_id, ${reviewItem.level} as level, ${reviewItem.snapshot} as snapshot, ${reviewItem.hints} as hints,
        ${reviewItem.decision} as decision, ${reviewItem.decidedAt} as decided_at, ${reviewItem.reason} as reason, ${reviewItem.removalTiming} as removal_timing,
        ${reviewItem.requestId} as request_id, ${reviewItem.fallbackReason} as fallback_reason, ${reviewItem.delegationReason} as delegation_reason,
        ${reviewItem.reviewerId} as reviewer_id, ${reviewItem.delegatedFromId} as delegated_from_id,
        ${assigned.name} as assigned_name, ${assigned.email} as assigned_email, ${assigned.slackUserId} as assigned_slack,
        ${decider.name} as decider_name, ${decider.email} as decider_email, ${decider.slackUserId} as decider_slack,
        ${delegator.email} as delegator_email, ${reviewItem.exceptionControl} as exception_control, ${reviewItem.exceptionEndsAt} as exception_ends_at,
        ${window ?? sql`true`} as in_window, ${reviewItem.decidedBy} as decided_by,
        ${accessRequest.id} as r_id, ${accessRequest.reason} as r_reason, ${accessRequest.status} as r_status, ${accessRequest.approvedAt} as r_approved_at,
        ${accessRequest.carriedOutBy} as r_carried_out_by, ${carrier.email} as r_carrier_email, ${accessRequest.doneAt} as r_done_at, ${accessRequest.verifiedAt} as r_verified_at,
        ${accessRequest.verifiedBySyncRunId} as r_sync_run_id, ${syncRun.source} as r_sync_source, ${syncRun.finishedAt} as r_sync_finished_at
      from ${reviewItem}
      left join ${person} as ${assigned} on ${assigned.id} = ${reviewItem.reviewerId}
      left join ${person} as ${decider} on ${decider.id} = ${reviewItem.decidedBy}
      left join ${person} as ${delegator} on ${delegator.id} = ${reviewItem.delegatedFromId}
      left join ${accessRequest} on ${accessRequest.id} = ${reviewItem.requestId}
      left join ${syncRun} on ${syncRun.id} = ${accessRequest.verifiedBySyncRunId}
      left join ${person} as ${carrier} on ${isActor(carrier.id, accessRequest.carriedOutBy)}
      where ${where}
      order by ${reviewItem.grantId}, ${reviewItem.level}
      limit ${limit}`),
  );
  return rows.map((r) => ({
    itemId: r.item_id,
    grantId: r.grant_id,
    level: Number(r.level),
    snapshot: reviewItem.snapshot.mapFromDriverValue(r.snapshot) as ItemSnapshot,
    hints: r.hints === null ? null : (reviewItem.hints.mapFromDriverValue(r.hints) as ItemHints),
    decision: r.decision,
    decidedAt: r.decided_at === null ? null : (reviewItem.decidedAt.mapFromDriverValue(r.decided_at as string) as Date),
    reason: r.reason,
    removalTiming: r.removal_timing,
    requestId: r.request_id,
    fallbackReason: r.fallback_reason,
    delegationReason: r.delegation_reason,
    reviewerId: r.reviewer_id,
    delegatedFromId: r.delegated_from_id,
    // As the query builder nests a left-joined person: absent when its first column is null.
    assigned: r.assigned_name === null ? NOBODY : { name: r.assigned_name, email: r.assigned_email, slackUserId: r.assigned_slack },
    decider: r.decider_name === null ? NOBODY : { name: r.decider_name, email: r.decider_email, slackUserId: r.decider_slack },
    delegatedFrom: r.delegator_email,
    exceptionControl: r.exception_control,
    exceptionEndsAt: r.exception_ends_at === null ? null : (reviewItem.exceptionEndsAt.mapFromDriverValue(r.exception_ends_at as string) as Date),
    inWindow: r.in_window === true || r.in_window === 't',
    decidedBy: r.decided_by,
    deciderEmail: r.decider_email,
    removal: r.r_id === null ? null : requestOf(r),
  }));
}

const at = (column: { mapFromDriverValue(v: string): unknown }, v: unknown): Date | null => (v === null ? null : (column.mapFromDriverValue(v as string) as Date));

function requestOf(r: DriverRow): RequestRead {
  return {
    requestId: r.r_id!,
    reason: r.r_reason,
    status: r.r_status!,
    approvedAt: at(accessRequest.approvedAt, r.r_approved_at),
    carriedOutByRaw: r.r_carried_out_by,
    carrierEmail: r.r_carrier_email,
    doneAt: at(accessRequest.doneAt, r.r_done_at),
    verifiedAt: at(accessRequest.verifiedAt, r.r_verified_at),
    syncRunId: r.r_sync_run_id,
    syncSource: r.r_sync_source,
    syncFinishedAt: at(syncRun.finishedAt, r.r_sync_finished_at),
  };
}
