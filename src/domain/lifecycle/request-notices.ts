import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import { notifyPeople } from './notify-people.js';

export type RequestEvent = 'submitted' | 'approval_recorded' | 'approved' | 'denied' | 'done' | 'expired';

/**
 * Tells the person who asked for access where their request stands (`request.update`).
 * Requests that are part of a case are reported through the case instead.
 */
export async function notifyRequester(tx: Db, now: Date, requestId: string, event: RequestEvent): Promise<void> {
  const [r] = await tx
    .select({ kind: accessRequest.kind, parentId: accessRequest.parentId, subject: accessRequest.subjectPersonId })
    .from(accessRequest)
    .where(eq(accessRequest.id, requestId));
  if (!r || r.kind !== 'grant' || r.parentId || !r.subject) return;
  await notifyPeople(tx, now, [r.subject], { kind: 'request.update', payload: { requestId, event }, dedupeKey: `request.update:${requestId}:${event}` });
}
