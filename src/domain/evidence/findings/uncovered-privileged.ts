import { and, asc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { accessGrant, account, person, resource, reviewItem } from '../../../db/schema/index.js';
import { keyset } from '../export/keyset.js';
import type { Finding, FindingScope } from './types.js';
import { usableAccount } from './usable-account.js';

/**
 * Privileged access held now (and since before the period ended) that no campaign of the
 * period reviewed to a decision: the riskiest access is the one an auditor expects covered.
 */
export async function* uncoveredPrivileged(scope: FindingScope): AsyncGenerator<Finding> {
  const ids = scope.campaigns.map((c) => c.id);
  const reviewed = ids.length
    ? sql`exists (select 1 from ${reviewItem} where ${reviewItem.grantId} = ${accessGrant.id} and ${and(inArray(reviewItem.campaignId, ids), ne(reviewItem.decision, 'pending'))})`
    : sql`false`;
  const rows = keyset(
    (after: string | null, limit) =>
      scope.db
        .select({ id: accessGrant.id, via: accessGrant.via, firstSeenAt: accessGrant.firstSeenAt, system: account.system, login: account.login, resource: resource.name, email: person.email })
        .from(accessGrant)
        .innerJoin(account, eq(account.id, accessGrant.accountId))
        .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
        .leftJoin(person, eq(person.id, account.personId))
        .where(
          and(
            isNull(accessGrant.removedAt),
            usableAccount(),
            or(eq(accessGrant.privileged, true), eq(resource.privileged, true)),
            lt(accessGrant.firstSeenAt, scope.to),
            sql`not ${reviewed}`,
            after ? gt(accessGrant.id, after) : undefined,
          ),
        )
        .orderBy(asc(accessGrant.id))
        .limit(limit),
    (r) => r.id,
  );
  for await (const r of rows) {
    yield {
      type: 'privileged_not_reviewed',
      severity: 'high',
      subject: r.email ?? `${r.system}:${r.login}`,
      detail: `${r.system} account ${r.login} holds privileged ${r.resource} (${r.via}, since ${r.firstSeenAt.toISOString()}) with no decided review in this period`,
      evidence: [`grant:${r.id}`],
    };
  }
}
