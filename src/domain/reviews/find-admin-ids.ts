import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personRole } from '../../db/schema/index.js';

/** Admins in the order they were made admins: the last-resort reviewers after the campaign owner. */
export async function findAdminIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: personRole.personId })
    .from(personRole)
    .where(eq(personRole.role, 'admin'))
    .orderBy(asc(personRole.grantedAt), asc(personRole.personId));
  return rows.map((r) => r.id);
}
