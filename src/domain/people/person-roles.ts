import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personRole, type Role } from '../../db/schema/index.js';

export async function findRoles(db: Db, personId: string): Promise<Role[]> {
  const rows = await db.select({ role: personRole.role }).from(personRole).where(eq(personRole.personId, personId));
  return rows.map((r) => r.role);
}

/** admin holds every role. */
export function hasRole(roles: readonly Role[], wanted: Role): boolean {
  return roles.includes(wanted) || roles.includes('admin');
}
