import { and, asc, eq, gt } from 'drizzle-orm';
import { reviewItem } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';

/** Items a closed campaign left undecided (its non-response rule was `flag`): access nobody reviewed. */
export async function* undecidedItems(scope: FindingScope): AsyncGenerator<Finding> {
  for (const c of scope.campaigns.filter((k) => k.status === 'closed')) {
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
    for await (const r of rows) {
      const s = r.snapshot;
      yield {
        type: 'undecided_item',
        severity: 'medium',
        subject: s.personEmail || `${s.system}:${s.accountLogin}`,
        detail: `Never decided in closed campaign "${c.name}": ${s.resourceName} on ${s.system} account ${s.accountLogin}`,
        evidence: [`item:${r.id}`],
      };
    }
  }
}
