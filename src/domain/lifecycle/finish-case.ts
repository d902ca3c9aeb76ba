import { and, eq, notInArray } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';

/** A child request in one of these needs nothing more done by a person or a connector. */
const SETTLED = ['done', 'verified', 'cancelled', 'denied', 'failed'] as const;

/**
 * Called when a child request of a case has been carried out: the case's HR message is
 * refreshed, and once every child is carried out the case is `done` (it becomes `verified`
 * only when syncs have proved every removal; see close-verified-cases).
 */
export async function finishCaseIfComplete(tx: Db, clock: Clock, childRequestId: string, carriedOutBy: string): Promise<boolean> {
  const [child] = await tx.select({ parentId: accessRequest.parentId }).from(accessRequest).where(eq(accessRequest.id, childRequestId));
  const caseId = child?.parentId;
  if (!caseId) return false;
  const now = clock.now();
  await enqueueMessage(tx, now, { kind: 'case.refresh', channel: null, dedupeKey: `case.refresh:${caseId}:${childRequestId}:done`, payload: { caseId } });
  const [pending] = await tx
    .select({ id: accessRequest.id })
    .from(accessRequest)
    .where(and(eq(accessRequest.parentId, caseId), notInArray(accessRequest.status, [...SETTLED])))
    .limit(1);
  if (pending) return false;
  const rows = await tx
    .update(accessRequest)
    .set({ status: 'done', doneAt: now, carriedOutBy })
    .where(and(eq(accessRequest.id, caseId), eq(accessRequest.status, 'in_progress')))
    .returning({ kind: accessRequest.kind, subject: accessRequest.subjectPersonId });
  if (rows.length === 0) return false;
  const kind = rows[0]!.kind;
  await appendEvidence(tx, clock, {
    actor: carriedOutBy,
    action: kind === 'onboard' ? 'onboarding.done' : kind === 'offboard' ? 'offboarding.done' : 'case.done',
    subject: { request: caseId, ...(rows[0]!.subject ? { person: rows[0]!.subject } : {}) },
    payload: { kind },
  });
  return true;
}
