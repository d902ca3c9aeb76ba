import { and, asc, count, eq, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { accessRequest, person, resource } from '../../db/schema/index.js';

export interface PendingApproval {
  requestId: string;
  kind: string;
  subjectName: string;
  subjectEmail: string;
  resourceName: string | null;
  reason: string | null;
  createdAt: Date;
}

export interface PendingApprovals {
  items: PendingApproval[];
  total: number;
}

/**
 * Requests waiting for this person's approval. The approver is the one named in
 * `details.approverId` when the request names one (a resource owner, a delegate), otherwise the
 * subject's manager. Nobody approves their own request, so those are never listed.
 */
export async function findPendingApprovals(db: Db, approverId: string, limit: number): Promise<PendingApprovals> {
  const subject = alias(person, 'subject');
  const approverIsMe = sql`coalesce(${accessRequest.details}->>'approverId', ${subject.managerId}::text) = ${approverId}`;
  const where = and(eq(accessRequest.status, 'pending_approval'), approverIsMe, ne(subject.id, approverId));
  const [items, [totals]] = await Promise.all([
    db
      .select({
        requestId: accessRequest.id,
        kind: accessRequest.kind,
        subjectName: subject.name,
        subjectEmail: subject.email,
        resourceName: resource.name,
        reason: accessRequest.reason,
        createdAt: accessRequest.createdAt,
      })
      .from(accessRequest)
      .innerJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
      .leftJoin(resource, eq(resource.id, accessRequest.resourceId))
      .where(where)
      .orderBy(asc(accessRequest.createdAt))
      .limit(limit),
    db
      .select({ n: count() })
      .from(accessRequest)
      .innerJoin(subject, eq(subject.id, accessRequest.subjectPersonId))
      .where(where),
  ]);
  return { items, total: Number(totals?.n ?? 0) };
}
