import { eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessGrant, account, resource } from '../../db/schema/index.js';

/**
 * Every live grant with its account and resource, in one query: launching 50,000 items must
 * not make 50,000 round trips. People are joined in memory from `loadPeopleIndex`.
 */
export async function loadPopulation(db: Db) {
  return db
    .select({
      grantId: accessGrant.id,
      source: accessGrant.source,
      via: accessGrant.via,
      grantPrivileged: accessGrant.privileged,
      accountId: account.id,
      accountLogin: account.login,
      accountEmail: account.email,
      accountName: account.displayName,
      accountStatus: account.status,
      accountRemovedAt: account.removedAt,
      lastLoginAt: account.lastLoginAt,
      personId: account.personId,
      resourceId: resource.id,
      system: resource.system,
      resourceName: resource.name,
      resourceKind: resource.kind,
      resourcePrivileged: resource.privileged,
      resourceOwnerId: resource.ownerId,
      resourceOwnerEmail: resource.ownerEmail,
      resourceRemovedAt: resource.removedAt,
    })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(isNull(accessGrant.removedAt));
}

export type PopulationRow = Awaited<ReturnType<typeof loadPopulation>>[number];
