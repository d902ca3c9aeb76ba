import type { Deps } from '../../deps.js';
import type { Role } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordRefusal } from '../evidence/record-refusal.js';
import { findRoles, hasRole } from '../people/person-roles.js';

/**
 * Refuses a person who lacks `role` (admin holds every role). The refusal is written as a
 * security event before the error is thrown, in its own transaction, so it is on record even
 * though nothing else happens.
 */
export async function requireRole(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actorPersonId: string; role: Role; attempted: string; subject: Record<string, string>; message: string },
): Promise<void> {
  const roles = await findRoles(deps.db, input.actorPersonId, deps.clock.now());
  if (hasRole(roles, input.role)) return;
  await recordRefusal(deps, {
    actor: `person:${input.actorPersonId}`,
    attempted: input.attempted,
    subject: input.subject,
    reason: `does not hold the ${input.role} role`,
  });
  throw new AppError('FORBIDDEN', input.message);
}
