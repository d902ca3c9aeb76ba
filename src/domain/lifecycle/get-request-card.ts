import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest, person, resource, type AccessRequest } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { ApprovalDetails } from './request-access.js';

export interface RequestCardPerson {
  id: string;
  name: string;
  email: string;
  slackTz: string | null;
}

export interface RequestCard {
  id: string;
  status: AccessRequest['status'];
  reason: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  durationDays: number | null;
  requester: RequestCardPerson | null;
  resource: { name: string; system: string; kind: string; privileged: boolean } | null;
  /** Each named approver with their decision so far (null while waiting). */
  approvers: { person: RequestCardPerson | null; role: string; decision: 'approve' | 'deny' | null; at: Date | null; reason: string | null }[];
}

/** One self-service access request as its Slack messages show it (approver DM, requester updates). */
export async function getRequestCard(db: Db, requestId: string): Promise<RequestCard> {
  const [row] = await db
    .select({ r: accessRequest, res: { name: resource.name, system: resource.system, kind: resource.kind, privileged: resource.privileged } })
    .from(accessRequest)
    .leftJoin(resource, eq(resource.id, accessRequest.resourceId))
    .where(eq(accessRequest.id, requestId));
  if (!row || row.r.kind !== 'grant') throw new AppError('NOT_FOUND', 'That access request no longer exists.');
  const details = row.r.details as unknown as Partial<ApprovalDetails>;
  const named = details.approvers ?? [];
  const approvals = details.approvals ?? [];
  const ids = [...new Set([...named.map((a) => a.personId), ...(row.r.subjectPersonId ? [row.r.subjectPersonId] : [])])];
  const people = ids.length === 0 ? [] : await db.select({ id: person.id, name: person.name, email: person.email, slackTz: person.slackTz }).from(person).where(inArray(person.id, ids));
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    id: row.r.id,
    status: row.r.status,
    reason: row.r.reason,
    createdAt: row.r.createdAt,
    expiresAt: row.r.expiresAt,
    durationDays: details.durationDays ?? null,
    requester: (row.r.subjectPersonId && byId.get(row.r.subjectPersonId)) || null,
    resource: row.res,
    approvers: named.map((a) => {
      const d = approvals.find((x) => x.personId === a.personId);
      return { person: byId.get(a.personId) ?? null, role: a.role, decision: d?.decision ?? null, at: d ? new Date(d.at) : null, reason: d?.reason ?? null };
    }),
  };
}
