import { and, asc, eq, gt } from 'drizzle-orm';
import { reviewItem, type ItemSnapshot } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';

/**
 * Items a closed campaign left undecided (its non-response rule was `flag`): access nobody
 * reviewed. The export hands these in already read (`scope.undecided`), with the review items.
 */
export async function* undecidedItems(scope: FindingScope): AsyncGenerator<Finding> {
  if (scope.undecided) {
    yield* scope.undecided;
    return;
  }
  for (const c of scope.campaigns.filter(leavesUndecided)) {
    const rows = keyset(
      (after: string | null, limit) =>
        scope.db
          .select({ id: reviewItem.id, grantId: reviewItem.grantId, snapshot: reviewItem.snapshot })
          .from(reviewItem)
          .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.decision, 'pending'), after ? gt(reviewItem.grantId, after) : undefined))
          .orderBy(asc(reviewItem.grantId))
          .limit(limit),
      (r) => r.grantId,
    );
    for await (const r of rows) yield undecidedFinding(c, r);
  }
}

/** Whether a campaign's pending items are undecided_item findings. */
export function leavesUndecided(c: { status: string }): boolean {
  return c.status === 'closed';
}

export function undecidedFinding(c: { name: string }, item: { id: string; snapshot: ItemSnapshot }): Finding {
  const s = item.snapshot;
  return {
    type: 'undecided_item',
    severity: 'medium',
    subject: s.personEmail || `${s.system}:${s.accountLogin}`,
    detail: `Never decided in closed campaign "${c.name}": ${s.resourceName} on ${s.system} account ${s.accountLogin}`,
    evidence: [`item:${item.id}`],
  };
}
