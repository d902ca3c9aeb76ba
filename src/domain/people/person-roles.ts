import { and, eq, exists, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest, person, personRole, type Role } from '../../db/schema/index.js';

/** Offboarding cases that do not end anyone's roles: withdrawn, or never approved. */
const VOID_CASE_STATUSES = ['cancelled', 'denied'] as const;

/**
 * The roles a person holds now: the one answer every role check uses. Roles end when their
 * holder starts leaving, not when the last removal is verified: a terminated person holds none,
 * and neither does a leaver once their offboarding case's effective time has passed (HR may
 * announce a departure weeks ahead; until that time the person keeps their duties). Otherwise
 * someone whose departure is under way could still approve, offboard or mark removals done.
 */
export async function findRoles(db: Db, personId: string, now: Date): Promise<Role[]> {
  const [p] = await db
    .select({
      status: person.status,
      gone: sql<boolean>`${exists(
        db
          .select({ one: sql`1` })
          .from(accessRequest)
          .where(
            and(
              eq(accessRequest.kind, 'offboard'),
              eq(accessRequest.subjectPersonId, person.id),
              notInArray(accessRequest.status, [...VOID_CASE_STATUSES]),
              sql`coalesce(${accessRequest.effectiveAt}, ${accessRequest.createdAt}) <= ${now.toISOString()}::timestamptz`,
            ),
          ),
      )}`,
    })
    .from(person)
    .where(eq(person.id, personId));
  if (!p || p.status === 'terminated' || (p.status === 'leaving' && p.gone)) return [];
  const rows = await db.select({ role: personRole.role }).from(personRole).where(eq(personRole.personId, personId));
  return rows.map((r) => r.role);
}

/** admin holds every role. */
export function hasRole(roles: readonly Role[], wanted: Role): boolean {
  return roles.includes(wanted) || roles.includes('admin');
}
