import type { Db } from '../../../db/client.js';
import type { Campaign, ItemHints, ItemSnapshot } from '../../../db/schema/index.js';
import type { Column } from './csv-entry.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import type { PeriodCampaign } from './item-window.js';
import { reviewItemReads } from './review-items.js';
import { followedSuggestion, suggestionText } from './review-depth.js';

/** A person as a decisions.csv row names them. */
export interface Who {
  name: string | null;
  email: string | null;
  slackUserId: string | null;
}

export interface DecisionRow {
  campaign: Campaign;
  itemId: string;
  grantId: string;
  /** 1: the first reviewer; 2: the resource owner's second decision. */
  level: number;
  snapshot: ItemSnapshot;
  hints: ItemHints | null;
  decision: string;
  decidedAt: Date | null;
  reason: string | null;
  removalTiming: string | null;
  requestId: string | null;
  fallbackReason: string | null;
  delegationReason: string | null;
  reviewerId: string;
  /** The reviewer the item is assigned to (after any delegation). */
  assigned: Who;
  /** Who recorded the decision; all null for a pending item or a decision by the system. */
  decider: Who;
  delegatedFrom: string | null;
  exceptionControl: string | null;
  exceptionEndsAt: Date | null;
}

/**
 * One row per decision (a review item at each level) with its outcome and how the reviewer
 * came to hold it, in (grant, level) order. With `asOf` (a bundle read in chunks), a decision
 * recorded after that instant shows as still pending: its evidence event is not in the bundle
 * either. A standing campaign's items are those of its window (item-window.ts). The export
 * reads these together with the population (review-items.ts).
 */
export async function* decisionRows(db: Db, campaigns: PeriodCampaign[], asOf: Date | null = null): AsyncGenerator<DecisionRow> {
  for await (const r of reviewItemReads(db, campaigns, asOf)) if ('decision' in r) yield r.decision;
}

/** Decided with nobody recorded: the campaign's non-response rule acted, not a person. */
function bySystem(r: DecisionRow): boolean {
  return r.decision !== 'pending' && !r.decider.email;
}

/** The reviewer columns name who decided; for a pending item, who is expected to. */
function reviewer(r: DecisionRow): Who {
  if (r.decision === 'pending') return r.assigned;
  if (bySystem(r)) return { name: 'system (non-response rule)', email: null, slackUserId: null };
  return r.decider;
}

/** `escalations`: from loadEscalations, by item id or `campaign:reviewer`. */
export function decisionColumns(escalations: Map<string, string>): Column<DecisionRow>[] {
  const escalation = (r: DecisionRow) => escalations.get(r.itemId) ?? escalations.get(`${r.campaign.id}:${r.reviewerId}`) ?? null;
  return [...DECISION_COLUMNS.slice(0, -1), { header: 'escalation', value: escalation }, ...DECISION_COLUMNS.slice(-1), ...DEPTH_COLUMNS];
}

/** Added after the original columns, so readers that go by position keep working. */
const DEPTH_COLUMNS: Column<DecisionRow>[] = [
  { header: 'level', value: (r) => r.level },
  { header: 'suggestion', value: (r) => suggestionText(r.hints) },
  { header: 'followed_suggestion', value: (r) => followedSuggestion(r.hints, r.decision) },
  { header: 'exception_control', value: (r) => (r.decision === 'kept' ? r.exceptionControl : null) },
  { header: 'exception_ends_at', value: (r) => (r.decision === 'kept' ? r.exceptionEndsAt : null) },
  // Ties a second-level decision to its item in population.csv (one grant, one row there).
  { header: 'grant_id', value: (r) => r.grantId },
  { header: 'after_the_fact', value: afterTheFact },
];

/**
 * Whether the decision came after the access was already in use: every decision on unapproved
 * access (the drift campaign) does, as its `review.decided` event says (`afterTheFact`); a
 * review decision does not. Empty while nothing is decided.
 */
function afterTheFact(r: DecisionRow): boolean | null {
  if (r.decision === 'pending') return null;
  return r.campaign.kind === DRIFT_KIND;
}

const DECISION_COLUMNS: Column<DecisionRow>[] = [
  { header: 'campaign_id', value: (r) => r.campaign.id },
  { header: 'campaign', value: (r) => r.campaign.name },
  { header: 'item_id', value: (r) => r.itemId },
  { header: 'person_email', value: (r) => r.snapshot.personEmail },
  { header: 'system', value: (r) => r.snapshot.system },
  { header: 'account', value: (r) => r.snapshot.accountLogin },
  { header: 'resource', value: (r) => r.snapshot.resourceName },
  { header: 'privileged', value: (r) => r.snapshot.privileged },
  { header: 'decision', value: (r) => r.decision },
  { header: 'decided_at', value: (r) => r.decidedAt },
  { header: 'reviewer_name', value: (r) => reviewer(r).name },
  { header: 'reviewer_email', value: (r) => reviewer(r).email },
  { header: 'reviewer_slack_user_id', value: (r) => reviewer(r).slackUserId },
  { header: 'assigned_reviewer_email', value: (r) => r.assigned.email },
  { header: 'reason', value: (r) => r.reason },
  { header: 'removal_timing', value: (r) => r.removalTiming },
  { header: 'fallback_reviewer_reason', value: (r) => r.fallbackReason },
  { header: 'delegated_from', value: (r) => r.delegatedFrom },
  { header: 'delegation_reason', value: (r) => r.delegationReason },
  { header: 'request_id', value: (r) => r.requestId },
];
