import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { accessGrant, accessRequest, account } from '../../db/schema/index.js';

/**
 * Whose access a task changes: the subject of its request (or of the case above it), and the
 * owner of the account or grant it names. A removal planned from a review names only the grant,
 * so every route is followed; any of them makes the task "about their own access".
 */
export async function findTaskSubjects(db: Db, requestId: string): Promise<Set<string>> {
  const parent = alias(accessRequest, 'parent');
  const direct = alias(account, 'direct');
  const viaGrant = alias(account, 'via_grant');
  const [row] = await db
    .select({ subject: accessRequest.subjectPersonId, parentSubject: parent.subjectPersonId, accountOwner: direct.personId, grantOwner: viaGrant.personId })
    .from(accessRequest)
    .leftJoin(parent, eq(parent.id, accessRequest.parentId))
    .leftJoin(direct, eq(direct.id, accessRequest.accountId))
    .leftJoin(accessGrant, eq(accessGrant.id, accessRequest.grantId))
    .leftJoin(viaGrant, eq(viaGrant.id, accessGrant.accountId))
    .where(eq(accessRequest.id, requestId));
  const ids = row ? [row.subject, row.parentSubject, row.accountOwner, row.grantOwner] : [];
  return new Set(ids.filter((id): id is string => Boolean(id)));
}
