import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { person, personRole, type Role } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { findPersonByEmail } from './find-person.js';

export interface RoleChange {
  email: string;
  role: Role;
  actor: string;
}

/** Grants a role, creating the person if the directory has not synced them yet. */
export async function grantRole(deps: Pick<Deps, 'db' | 'clock'>, input: RoleChange): Promise<{ personId: string }> {
  return deps.db.transaction(async (tx) => {
    let p = await findPersonByEmail(tx, input.email);
    if (!p) {
      [p] = await tx
        .insert(person)
        .values({ email: input.email.trim().toLowerCase(), source: 'cli' })
        .returning();
    }
    const inserted = await tx
      .insert(personRole)
      .values({ personId: p!.id, role: input.role, grantedBy: input.actor, grantedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ role: personRole.role });
    if (inserted.length === 0) {
      throw new AppError('CONFLICT', `${input.email} already holds the ${input.role} role`);
    }
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'role.granted',
      subject: { person: p!.id },
      payload: { email: p!.email, role: input.role },
    });
    return { personId: p!.id };
  });
}

export async function revokeRole(deps: Pick<Deps, 'db' | 'clock'>, input: RoleChange): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const p = await findPersonByEmail(tx, input.email);
    if (!p) throw new AppError('NOT_FOUND', `No person with email ${input.email}`);
    const deleted = await tx
      .delete(personRole)
      .where(sql`${personRole.personId} = ${p.id} and ${personRole.role} = ${input.role}`)
      .returning({ role: personRole.role });
    if (deleted.length === 0) throw new AppError('NOT_FOUND', `${input.email} does not hold the ${input.role} role`);
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'role.revoked',
      subject: { person: p.id },
      payload: { email: p.email, role: input.role },
    });
  });
}
