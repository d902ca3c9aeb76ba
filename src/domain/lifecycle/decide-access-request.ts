import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessRequest, type AccessRequest } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { recordRefusal } from '../evidence/record-refusal.js';
import type { ConnectorRegistry } from './connector-registry.js';
import { planProvisioning } from './plan-provisioning.js';
import type { ApprovalDetails } from './request-access.js';
import { notifyRequester } from './request-notices.js';

export interface DecideAccessInput {
  requestId: string;
  actorPersonId: string;
  decision: 'approve' | 'deny';
  reason?: string | null;
}

export type DecideAccessResult =
  | { outcome: 'recorded'; status: 'pending_approval' | 'approved' | 'denied'; waitingFor: string[]; taskId: string | null }
  | { outcome: 'already_decided'; status: AccessRequest['status']; decidedBy: string | null; decision: 'approve' | 'deny' | null; at: string | null };

type Approval = ApprovalDetails['approvals'][number];

/**
 * One approver's decision on an access request, recorded once: the update is conditional on
 * the details it was computed from, so a double click or two approvers at once never lose or
 * double a decision, and a late click is told who decided. A deny ends the request; the last
 * approval approves it, sets its expiry, and plans the provisioning task.
 */
export async function decideAccessRequest(
  deps: Pick<Deps, 'db' | 'clock'>,
  registry: ConnectorRegistry,
  input: DecideAccessInput,
): Promise<DecideAccessResult> {
  const [req] = await deps.db.select().from(accessRequest).where(eq(accessRequest.id, input.requestId));
  if (!req || req.kind !== 'grant' || req.parentId) throw new AppError('NOT_FOUND', 'That access request no longer exists.');
  const approver = (req.details as unknown as ApprovalDetails).approvers?.find((a) => a.personId === input.actorPersonId);
  if (!approver || req.subjectPersonId === input.actorPersonId) {
    const self = req.subjectPersonId === input.actorPersonId;
    await recordRefusal(deps, {
      actor: `person:${input.actorPersonId}`,
      attempted: 'request.decide',
      subject: { request: req.id },
      reason: self ? 'self-approval' : 'not an approver of this request',
    });
    throw new AppError('FORBIDDEN', self ? 'Nobody approves their own request.' : 'Only the approvers named on this request can decide it.');
  }
  // Optimistic: a concurrent decision by the other approver changes `details`; recompute and retry.
  for (let tries = 0; tries < 5; tries++) {
    const result = await deps.db.transaction(async (tx): Promise<DecideAccessResult | null> => {
      const [cur] = await tx.select().from(accessRequest).where(eq(accessRequest.id, req.id));
      const details = cur!.details as unknown as ApprovalDetails;
      const approvals = details.approvals ?? [];
      const mine = approvals.find((a) => a.personId === input.actorPersonId);
      if (cur!.status !== 'pending_approval' || mine) return alreadyDecided(cur!, mine ?? decisive(approvals));
      const now = deps.clock.now();
      const entry: Approval = { personId: input.actorPersonId, role: approver.role, decision: input.decision, at: now.toISOString(), reason: input.reason ?? null };
      const next = [...approvals, entry];
      const waiting = details.approvers.filter((a) => !next.some((x) => x.personId === a.personId)).map((a) => a.personId);
      const status = input.decision === 'deny' ? 'denied' : waiting.length === 0 ? 'approved' : 'pending_approval';
      const expiresAt = status === 'approved' && details.durationDays ? new Date(now.getTime() + details.durationDays * 86_400_000) : null;
      const [updated] = await tx
        .update(accessRequest)
        .set({
          status,
          details: { ...details, approvals: next, approverId: status === 'pending_approval' ? (waiting[0] ?? null) : null },
          ...(status === 'approved' ? { approvedBy: next.map((a) => `person:${a.personId}`).join(','), approvedAt: now, expiresAt } : {}),
        })
        .where(and(eq(accessRequest.id, req.id), eq(accessRequest.status, 'pending_approval'), sql`${accessRequest.details} = ${JSON.stringify(cur!.details)}::jsonb`))
        .returning({ id: accessRequest.id });
      if (!updated) return null;
      await appendEvidence(tx, deps.clock, {
        actor: `person:${input.actorPersonId}`,
        action: 'request.decided',
        subject: { request: req.id },
        payload: { decision: input.decision, role: approver.role, reason: input.reason ?? null, status, waitingFor: waiting, expiresAt },
      });
      const t = status === 'approved' ? await planProvisioning(tx, deps, registry, { requestId: req.id, actor: `person:${input.actorPersonId}` }) : null;
      await notifyRequester(tx, now, req.id, status === 'pending_approval' ? 'approval_recorded' : status);
      return { outcome: 'recorded' as const, status, waitingFor: status === 'pending_approval' ? waiting : [], taskId: t?.id ?? null };
    });
    if (result) return result;
  }
  throw new AppError('CONFLICT', 'This request is being decided by someone else right now; try again.');
}

/** The entry that ended the request: a deny, else the last approval. */
function decisive(approvals: Approval[]): Approval | undefined {
  return approvals.find((a) => a.decision === 'deny') ?? approvals.at(-1);
}

function alreadyDecided(cur: AccessRequest, by: Approval | undefined): DecideAccessResult {
  return { outcome: 'already_decided', status: cur.status, decidedBy: by?.personId ?? null, decision: by?.decision ?? null, at: by?.at ?? null };
}
