import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, personRole, type Person, type Resource } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

export type ApproverRole = 'manager' | 'owner' | 'admin';

export interface Approver {
  personId: string;
  /** Why this person approves: the requester's manager, the privileged resource's owner, or an admin standing in. */
  role: ApproverRole;
}

/**
 * Who must approve a grant: the requester's manager, and for a privileged resource its owner
 * too, so that two different people agree to privileged access. Nobody approves their own
 * request: a slot that is empty, self-held, or held by the other approver falls to an admin
 * who is not the requester.
 */
export async function pickApprovers(db: Db, requester: Person, res: Resource): Promise<Approver[]> {
  const out: Approver[] = [];
  const add = (id: string | null, role: ApproverRole) => {
    if (id && id !== requester.id && !out.some((a) => a.personId === id)) out.push({ personId: id, role });
  };
  add(requester.managerId, 'manager');
  const needed = res.privileged ? 2 : 1;
  if (res.privileged) add(res.ownerId, 'owner');
  if (out.length < needed) {
    const admins = await db
      .select({ id: personRole.personId })
      .from(personRole)
      .innerJoin(person, eq(person.id, personRole.personId))
      .where(and(eq(personRole.role, 'admin'), ne(personRole.personId, requester.id), eq(person.status, 'active')))
      .orderBy(asc(person.email));
    for (const a of admins) {
      if (out.length >= needed) break;
      add(a.id, 'admin');
    }
  }
  if (out.length === 0) throw new AppError('INVALID_INPUT', 'Nobody can approve this request: you have no manager and there is no other admin.');
  return out;
}
