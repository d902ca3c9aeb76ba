import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessGrant, account, resource, type Account, type Resource } from '../../db/schema/index.js';
import { grantKey } from './read-source.js';

export interface CurrentGrant {
  id: string;
  privileged: boolean;
  /** Kept so a diff can tell whether a read could have seen this grant at all. */
  accountExternalId: string;
  resourceExternalId: string;
}

/** What the database holds for one source: every account and resource, and live grants. */
export interface CurrentSnapshot {
  accounts: Map<string, Account>;
  resources: Map<string, Resource>;
  grants: Map<string, CurrentGrant>;
}

export async function loadCurrent(db: Db, source: string): Promise<CurrentSnapshot> {
  const [accountRows, resourceRows, grantRows] = await Promise.all([
    db.select().from(account).where(eq(account.source, source)),
    db.select().from(resource).where(eq(resource.source, source)),
    db
      .select({
        id: accessGrant.id,
        privileged: accessGrant.privileged,
        via: accessGrant.via,
        accountExternalId: account.externalId,
        resourceExternalId: resource.externalId,
      })
      .from(accessGrant)
      .innerJoin(account, eq(account.id, accessGrant.accountId))
      .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
      .where(and(eq(accessGrant.source, source), isNull(accessGrant.removedAt))),
  ]);
  return {
    accounts: new Map(accountRows.map((a) => [a.externalId, a])),
    resources: new Map(resourceRows.map((r) => [r.externalId, r])),
    grants: new Map(
      grantRows.map((g) => [
        grantKey(g.accountExternalId, g.resourceExternalId, g.via),
        { id: g.id, privileged: g.privileged, accountExternalId: g.accountExternalId, resourceExternalId: g.resourceExternalId },
      ]),
    ),
  };
}
