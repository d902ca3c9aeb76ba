import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest, type AccessRequest } from '../../db/schema/index.js';

/**
 * An offboarding case is open until every removal in it has been verified (or it was
 * cancelled); an onboarding case until every grant in it has been carried out.
 */
export const OPEN_CASE_STATUSES = {
  offboard: ['pending_approval', 'approved', 'in_progress', 'done'],
  onboard: ['pending_approval', 'approved', 'in_progress'],
} as const;

export async function findOpenCase(db: Db, personId: string, kind: 'offboard' | 'onboard'): Promise<AccessRequest | undefined> {
  const [row] = await db
    .select()
    .from(accessRequest)
    .where(and(eq(accessRequest.kind, kind), eq(accessRequest.subjectPersonId, personId), inArray(accessRequest.status, [...OPEN_CASE_STATUSES[kind]])))
    .orderBy(desc(accessRequest.createdAt))
    .limit(1);
  return row;
}

/**
 * Serialises case creation for one person across connections and replicas until the
 * transaction ends, so two webhooks (HR and Okta) arriving together open one case.
 */
export async function lockPersonCases(tx: Db, personId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`attest.case.${personId}`}))`);
}
