import { and, eq, ne } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { accessRequest, task } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { finishCaseIfComplete } from './finish-case.js';
import { notifyRequester } from './request-notices.js';

/**
 * A request is done when every task under it is done. "Done" means carried out; it becomes
 * "verified" only when a later sync no longer sees the access.
 */
export async function finishRequestIfComplete(tx: Db, clock: Clock, requestId: string, carriedOutBy: string): Promise<boolean> {
  const [open] = await tx
    .select({ id: task.id })
    .from(task)
    .where(and(eq(task.requestId, requestId), ne(task.status, 'done'), ne(task.status, 'cancelled')))
    .limit(1);
  if (open) return false;
  const rows = await tx
    .update(accessRequest)
    .set({ status: 'done', doneAt: clock.now(), carriedOutBy })
    .where(and(eq(accessRequest.id, requestId), eq(accessRequest.status, 'in_progress')))
    .returning({ id: accessRequest.id, kind: accessRequest.kind });
  if (rows.length === 0) return false;
  await appendEvidence(tx, clock, {
    actor: carriedOutBy,
    action: 'request.done',
    subject: { request: requestId },
    payload: { kind: rows[0]!.kind },
  });
  // A request that is part of a case moves the case along (and refreshes HR's message).
  await finishCaseIfComplete(tx, clock, requestId, carriedOutBy);
  await notifyRequester(tx, clock.now(), requestId, 'done');
  return true;
}
