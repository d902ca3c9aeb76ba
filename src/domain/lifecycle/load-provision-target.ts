import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { USABLE_STATUSES } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { accessRequest, account, person, resource, type AccessRequest, type Resource } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** What a grant request points at: the resource, the person, and their account in that system. */
export interface ProvisionTarget {
  request: AccessRequest;
  source: string;
  system: string;
  personEmail: string;
  resource: Pick<Resource, 'id' | 'externalId' | 'kind' | 'name' | 'ownerId'>;
  /** Null until the person has a live account in the resource's source (a hire before day one). */
  account: { id: string; externalId: string; login: string } | null;
}

/**
 * Resolved when the task is planned and again when it runs: a new hire's account often
 * appears in the identity provider only shortly before the start date.
 */
export async function loadProvisionTarget(db: Db, requestId: string): Promise<ProvisionTarget> {
  const [request] = await db.select().from(accessRequest).where(eq(accessRequest.id, requestId));
  if (!request) throw new AppError('NOT_FOUND', `No request ${requestId}`);
  if (request.kind !== 'grant' || !request.resourceId || !request.subjectPersonId) {
    throw new AppError('INVALID_INPUT', `Request ${requestId} is not a grant of a resource to a person`);
  }
  // The source names owners by email; the person it names owns the task when no owner id was set.
  const owner = alias(person, 'owner');
  const [row] = await db
    .select({ r: resource, email: person.email, ownerByEmail: owner.id })
    .from(resource)
    .innerJoin(person, eq(person.id, request.subjectPersonId))
    .leftJoin(owner, sql`lower(${owner.email}) = lower(${resource.ownerEmail})`)
    .where(eq(resource.id, request.resourceId));
  if (!row) throw new AppError('NOT_FOUND', `Request ${requestId} points at a resource or person that does not exist`);
  const [acct] = await db
    .select({ id: account.id, externalId: account.externalId, login: account.login })
    .from(account)
    .where(
      and(
        eq(account.personId, request.subjectPersonId),
        eq(account.source, row.r.source),
        isNull(account.removedAt),
        inArray(account.status, [...USABLE_STATUSES, 'staged']),
      ),
    )
    .orderBy(asc(account.firstSeenAt))
    .limit(1);
  return {
    request,
    source: row.r.source,
    system: row.r.system,
    personEmail: row.email,
    resource: { id: row.r.id, externalId: row.r.externalId, kind: row.r.kind, name: row.r.name, ownerId: row.r.ownerId ?? row.ownerByEmail },
    account: acct ?? null,
  };
}

export function describeProvisioning(t: ProvisionTarget): string {
  return t.resource.kind === 'group'
    ? `Add ${t.personEmail} to ${t.resource.name} in ${t.system}`
    : `Give ${t.personEmail} access to ${t.resource.name} in ${t.system}`;
}
