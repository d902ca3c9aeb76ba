import type { Deps } from '../../deps.js';
import { findRoles, hasRole } from '../people/person-roles.js';
import type { SetupChecklist } from './setup-checklist.js';

/**
 * The setup checklist for the people who can act on it (compliance, and admins who hold every
 * role); undefined for everyone else, whose Home shows only their own work.
 */
export async function getSetupChecklist(
  deps: Pick<Deps, 'db' | 'clock'>,
  personId: string,
  checklist: () => Promise<SetupChecklist>,
): Promise<SetupChecklist | undefined> {
  const roles = await findRoles(deps.db, personId, deps.clock.now());
  if (!hasRole(roles, 'compliance')) return undefined;
  return checklist();
}
