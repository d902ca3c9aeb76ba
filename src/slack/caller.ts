import type { Deps } from '../deps.js';
import type { Person, Role } from '../db/schema/index.js';
import { findPersonBySlackId } from '../domain/people/find-person.js';
import { findRoles } from '../domain/people/person-roles.js';

/** Who is asking: the directory person behind a Slack user id (if any) and their roles. */
export interface Caller {
  slackUserId: string;
  person: Person | undefined;
  roles: Role[];
}

/**
 * A leaver's Slack account can outlive their employment by days; their roles must not, so the
 * roles are the domain's answer for this moment (none once the offboarding has taken effect).
 */
export async function identifyCaller(deps: Pick<Deps, 'db' | 'clock'>, slackUserId: string): Promise<Caller> {
  const person = await findPersonBySlackId(deps.db, slackUserId);
  const roles = person ? await findRoles(deps.db, person.id, deps.clock.now()) : [];
  return { slackUserId, person, roles };
}
