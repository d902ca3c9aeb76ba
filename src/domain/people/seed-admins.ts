import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { personRole, ROLES } from '../../db/schema/index.js';
import { grantRole } from './grant-role.js';
import { isAppError } from '../../errors.js';

/**
 * At first start (nobody holds admin yet) the ATTEST_ADMINS emails get every role. Later
 * changes to roles go through `attest roles`, so that each one is an evidence event with an actor.
 */
export async function seedAdmins(deps: Pick<Deps, 'db' | 'clock'>, emails: readonly string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const [anyAdmin] = await deps.db.select().from(personRole).where(eq(personRole.role, 'admin')).limit(1);
  if (anyAdmin) return [];
  for (const email of emails) {
    for (const role of ROLES) {
      try {
        await grantRole(deps, { email, role, actor: 'system:ATTEST_ADMINS' });
      } catch (err) {
        if (!isAppError(err, 'CONFLICT')) throw err;
      }
    }
  }
  return [...emails];
}
