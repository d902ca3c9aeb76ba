import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { GrantRef } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { accessGrant, accessRequest, account, person, resource, type AccessRequest } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** What a revoke request points at, in the terms a connector and a person understand. */
export interface RemovalTarget {
  request: AccessRequest;
  source: string;
  system: string;
  accountExternalId: string;
  accountLogin: string;
  personEmail: string | null;
  /** Absent for an account-level removal (deactivate / suspend). */
  grant?: GrantRef & { resourceName: string; resourceOwnerId: string | null };
}

export async function loadRemovalTarget(db: Db, requestId: string): Promise<RemovalTarget> {
  const [request] = await db.select().from(accessRequest).where(eq(accessRequest.id, requestId));
  if (!request) throw new AppError('NOT_FOUND', `No request ${requestId}`);
  if (request.grantId) {
    // The source names owners by email; the person it names owns the task when no owner id was set.
    const owner = alias(person, 'owner');
    const [row] = await db
      .select({ g: accessGrant, a: account, r: resource, email: person.email, ownerByEmail: owner.id })
      .from(accessGrant)
      .innerJoin(account, eq(account.id, accessGrant.accountId))
      .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
      .leftJoin(person, eq(person.id, account.personId))
      .leftJoin(owner, sql`lower(${owner.email}) = lower(${resource.ownerEmail})`)
      .where(eq(accessGrant.id, request.grantId));
    if (!row) throw new AppError('NOT_FOUND', `Request ${requestId} points at a grant that does not exist`);
    return {
      request,
      source: row.g.source,
      system: row.r.system,
      accountExternalId: row.a.externalId,
      accountLogin: row.a.login,
      personEmail: row.email,
      grant: {
        accountExternalId: row.a.externalId,
        resourceExternalId: row.r.externalId,
        resourceKind: row.r.kind,
        via: row.g.via,
        resourceName: row.r.name,
        resourceOwnerId: row.r.ownerId ?? row.ownerByEmail,
      },
    };
  }
  if (!request.accountId) throw new AppError('INVALID_INPUT', `Request ${requestId} names neither a grant nor an account`);
  const [row] = await db
    .select({ a: account, email: person.email })
    .from(account)
    .leftJoin(person, eq(person.id, account.personId))
    .where(eq(account.id, request.accountId));
  if (!row) throw new AppError('NOT_FOUND', `Request ${requestId} points at an account that does not exist`);
  return {
    request,
    source: row.a.source,
    system: row.a.system,
    accountExternalId: row.a.externalId,
    accountLogin: row.a.login,
    personEmail: row.email,
  };
}

export function describeRemoval(t: RemovalTarget, action?: string): string {
  const who = t.personEmail ?? t.accountLogin;
  if (!t.grant) return `${action === 'suspend_account' ? 'Suspend' : 'Deactivate'} ${who}'s ${t.system} account (${t.accountLogin})`;
  const via = t.grant.via === 'direct' ? '' : ` (held through ${t.grant.via.replace(/^group:/, 'group ')})`;
  return `Remove ${who} from ${t.grant.resourceName} in ${t.system}${via}`;
}
