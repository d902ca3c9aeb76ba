import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { enqueueMessage } from '../outbox/enqueue-message.js';

/** Children in these states need no further proof. */
const PROVEN = ['verified', 'cancelled', 'denied'] as const;

/**
 * Called by the sync (inside its transaction) with the cases whose removals it just verified:
 * a case whose every child removal is now verified becomes `verified`, with this sync run as
 * its proof. Returns the evidence for the caller to append with the run's other events.
 */
export async function closeVerifiedCases(
  tx: Db,
  input: { source: string; runId: string; now: Date; caseIds: readonly string[] },
): Promise<NewEvidence[]> {
  const events: NewEvidence[] = [];
  for (const caseId of new Set(input.caseIds)) {
    await enqueueMessage(tx, input.now, { kind: 'case.refresh', channel: null, dedupeKey: `case.refresh:${caseId}:${input.runId}`, payload: { caseId } });
    const [unproven] = await tx
      .select({ id: accessRequest.id })
      .from(accessRequest)
      .where(and(eq(accessRequest.parentId, caseId), notInArray(accessRequest.status, [...PROVEN])))
      .limit(1);
    if (unproven) continue;
    const [closed] = await tx
      .update(accessRequest)
      .set({ status: 'verified', verifiedAt: input.now, verifiedBySyncRunId: input.runId })
      .where(and(eq(accessRequest.id, caseId), inArray(accessRequest.status, ['in_progress', 'done'])))
      .returning({ kind: accessRequest.kind, subject: accessRequest.subjectPersonId });
    if (!closed) continue;
    const children = await tx.select({ id: accessRequest.id }).from(accessRequest).where(eq(accessRequest.parentId, caseId));
    events.push({
      actor: `sync:${input.source}`,
      action: closed.kind === 'offboard' ? 'offboarding.closed' : 'case.closed',
      subject: { request: caseId, ...(closed.subject ? { person: closed.subject } : {}) },
      payload: { syncRun: input.runId, removals: children.length },
    });
  }
  return events;
}
