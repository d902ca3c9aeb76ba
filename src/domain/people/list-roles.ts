import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, personRole, type Role } from '../../db/schema/index.js';

export interface RoleHolder {
  email: string;
  name: string;
  roles: Role[];
}

export async function listRoleHolders(db: Db): Promise<RoleHolder[]> {
  const rows = await db
    .select({ email: person.email, name: person.name, role: personRole.role })
    .from(personRole)
    .innerJoin(person, eq(person.id, personRole.personId))
    .orderBy(asc(person.email), asc(personRole.role));
  const byEmail = new Map<string, RoleHolder>();
  for (const r of rows) {
    const h = byEmail.get(r.email) ?? { email: r.email, name: r.name, roles: [] };
    h.roles.push(r.role);
    byEmail.set(r.email, h);
  }
  return [...byEmail.values()];
}

/** The holders of a role in the order they were given it: who stands in first when several could. */
export async function listRoleHolderIds(db: Db, role: Role): Promise<string[]> {
  const rows = await db
    .select({ id: personRole.personId })
    .from(personRole)
    .where(eq(personRole.role, role))
    .orderBy(asc(personRole.grantedAt), asc(personRole.personId));
  return rows.map((r) => r.id);
}
