import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookDelivery } from '../../db/schema/index.js';

/** Thrown inside a delivery's transaction when another delivery of the same event got there first. */
export class AlreadyDelivered extends Error {}

export async function findDelivery(db: Db, source: string, eventId: string): Promise<{ caseId: string | null } | undefined> {
  const [row] = await db
    .select({ caseId: webhookDelivery.requestId })
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.source, source), eq(webhookDelivery.eventId, eventId)));
  return row;
}

/**
 * Claims an event id inside the transaction that acts on it, so the event and what it opened
 * commit together or not at all. A concurrent delivery of the same id waits on the key and
 * then finds it taken (AlreadyDelivered).
 */
export async function claimDelivery(tx: Db, source: string, eventId: string, now: Date): Promise<void> {
  const rows = await tx
    .insert(webhookDelivery)
    .values({ source, eventId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ eventId: webhookDelivery.eventId });
  if (rows.length === 0) throw new AlreadyDelivered(`${source} event ${eventId} was already accepted`);
}

export async function linkDelivery(tx: Db, source: string, eventId: string, caseId: string | null): Promise<void> {
  await tx
    .update(webhookDelivery)
    .set({ requestId: caseId })
    .where(and(eq(webhookDelivery.source, source), eq(webhookDelivery.eventId, eventId)));
}
