import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { OPEN_GRANT_STATUSES, accessGrant, accessRequest, account, person, resource } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { notifyPeople } from './notify-people.js';
import { pickApprovers, type Approver } from './pick-approvers.js';
import { notifyRequester } from './request-notices.js';

export const ACCESS_DURATIONS = [null, 1, 7, 30, 90] as const;
export type AccessDuration = (typeof ACCESS_DURATIONS)[number];

export interface RequestAccessInput {
  requesterPersonId: string;
  resourceId: string;
  reason: string;
  /** Time-bound access in days from approval; null = until removed. */
  durationDays: AccessDuration;
  origin?: string;
}

/** What `details` of a grant request holds while it is being approved. */
export interface ApprovalDetails {
  durationDays: AccessDuration;
  approvers: Approver[];
  approvals: { personId: string; role: string; decision: 'approve' | 'deny'; at: string; reason: string | null }[];
  /** The approver still waited for first (what the Home tab lists). */
  approverId: string | null;
}

/**
 * Self-service access request: pending until the requester's manager (and, for privileged
 * access, the resource's owner) approve. A repeat of an open request returns it.
 */
export async function requestAccess(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: RequestAccessInput,
): Promise<{ requestId: string; created: boolean; approvers: Approver[] }> {
  if (!(ACCESS_DURATIONS as readonly unknown[]).includes(input.durationDays)) {
    throw new AppError('INVALID_INPUT', 'Duration must be 1, 7, 30 or 90 days, or none', { field: 'durationDays' });
  }
  if (!input.reason.trim()) throw new AppError('INVALID_INPUT', 'Say why you need this access', { field: 'reason' });
  const [requester] = await deps.db.select().from(person).where(eq(person.id, input.requesterPersonId));
  if (!requester || requester.status !== 'active') throw new AppError('FORBIDDEN', 'Only active employees can request access.');
  const [res] = await deps.db.select().from(resource).where(and(eq(resource.id, input.resourceId), isNull(resource.removedAt)));
  if (!res) throw new AppError('NOT_FOUND', 'That resource no longer exists.', { field: 'resourceId' });
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const open = await findOpenRequest(tx, requester.id, res.id);
    if (open) return open;
    const [held] = await tx
      .select({ id: accessGrant.id })
      .from(accessGrant)
      .innerJoin(account, eq(account.id, accessGrant.accountId))
      .where(and(eq(account.personId, requester.id), eq(accessGrant.resourceId, res.id), isNull(accessGrant.removedAt)))
      .limit(1);
    if (held) throw new AppError('CONFLICT', `You already have access to ${res.name}.`);
    const approvers = await pickApprovers(tx, requester, res);
    const details: ApprovalDetails = { durationDays: input.durationDays, approvers, approvals: [], approverId: approvers[0]!.personId };
    const [row] = await tx
      .insert(accessRequest)
      .values({
        kind: 'grant',
        status: 'pending_approval',
        subjectPersonId: requester.id,
        resourceId: res.id,
        requestedBy: `person:${requester.id}`,
        reason: input.reason.trim(),
        origin: input.origin ?? 'slack',
        details: { ...details },
        createdAt: now,
      })
      // The unique partial index on open grant requests: a submission racing this one waits
      // for it and then inserts nothing, and answers with the request the other one made.
      .onConflictDoNothing({ target: [accessRequest.subjectPersonId, accessRequest.resourceId], where: OPEN_GRANT })
      .returning({ id: accessRequest.id });
    if (!row) {
      const winner = await findOpenRequest(tx, requester.id, res.id);
      if (winner) return winner;
      throw new AppError('CONFLICT', 'Another request for this access was being made at the same moment; try again.');
    }
    const requestId = row.id;
    await appendEvidence(tx, deps.clock, {
      actor: `person:${requester.id}`,
      action: 'request.created',
      subject: { request: requestId, person: requester.id, resource: res.id },
      payload: { resource: res.name, system: res.system, privileged: res.privileged, reason: input.reason.trim(), durationDays: input.durationDays, approvers },
    });
    await notifyPeople(tx, now, approvers.map((a) => a.personId), { kind: 'request.approval', payload: { requestId }, dedupeKey: `request.approval:${requestId}` });
    await notifyRequester(tx, now, requestId, 'submitted');
    return { requestId, created: true, approvers };
  });
}

/** Matches the unique partial index `access_request_open_grant_uq` (drizzle/0007). */
const OPEN_GRANT = sql`kind = 'grant' and parent_id is null and status in ('pending_approval', 'approved', 'in_progress')`;

async function findOpenRequest(tx: Db, personId: string, resourceId: string) {
  const [open] = await tx
    .select({ id: accessRequest.id, details: accessRequest.details })
    .from(accessRequest)
    .where(
      and(
        eq(accessRequest.kind, 'grant'),
        eq(accessRequest.subjectPersonId, personId),
        eq(accessRequest.resourceId, resourceId),
        isNull(accessRequest.parentId),
        inArray(accessRequest.status, [...OPEN_GRANT_STATUSES]),
      ),
    )
    .limit(1);
  return open ? { requestId: open.id, created: false, approvers: (open.details as Partial<ApprovalDetails>).approvers ?? [] } : null;
}
