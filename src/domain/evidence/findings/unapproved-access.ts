import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { campaign, reviewItem } from '../../../db/schema/index.js';
import { DRIFT_KIND } from '../../drift/drift-campaign.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';

/** DRIFT_DECISION_DAYS when the scope does not carry it (the config's default). */
export const DEFAULT_DRIFT_DECISION_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Access that appeared without a request (an item of the drift campaign) and that nobody has
 * approved or revoked within DRIFT_DECISION_DAYS of appearing (0: at once). Judged at the
 * scope's instant; a privileged grant is high. Access that appeared after the period is not
 * this period's finding, and with `rowsAsOf` (a bundle read in chunks) a decision after it is
 * not made yet.
 */
export async function* unapprovedAccess(scope: FindingScope): AsyncGenerator<Finding> {
  const at = scope.at ?? scope.asOf;
  const days = scope.driftDecisionDays ?? DEFAULT_DRIFT_DECISION_DAYS;
  const cutoff = new Date(at.getTime() - days * DAY_MS).toISOString();
  // The standing campaigns first, then their items by campaign: joined in one statement, the
  // planner walks every review item of every campaign (all of a quarter's) to find none.
  const standing = (await scope.db.select({ id: campaign.id }).from(campaign).where(eq(campaign.kind, DRIFT_KIND))).map((c) => c.id);
  if (standing.length === 0) return;
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({ id: reviewItem.id, snapshot: reviewItem.snapshot, hints: reviewItem.hints })
        .from(reviewItem)
        .where(
          and(
            inArray(reviewItem.campaignId, standing),
            scope.rowsAsOf ? or(eq(reviewItem.decision, 'pending'), gt(reviewItem.decidedAt, scope.rowsAsOf)) : eq(reviewItem.decision, 'pending'),
            sql`(${reviewItem.hints}->'drift'->>'seenAt')::timestamptz <= ${cutoff}::timestamptz`,
            sql`(${reviewItem.hints}->'drift'->>'seenAt')::timestamptz < ${scope.to.toISOString()}::timestamptz`,
            after ? gt(reviewItem.id, after) : undefined,
          ),
        )
        .orderBy(asc(reviewItem.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    const s = r.snapshot;
    const seen = r.hints?.drift?.seenAt?.slice(0, 10) ?? 'an earlier sync';
    yield {
      type: 'unapproved_access',
      severity: s.privileged ? 'high' : 'medium',
      subject: s.personEmail || `${s.system}:${s.accountLogin}`,
      detail: `${s.resourceName} in ${s.system} appeared on ${seen} without a request and is still undecided after ${days} ${days === 1 ? 'day' : 'days'}`,
      evidence: [`item:${r.id}`],
    };
  }
}
