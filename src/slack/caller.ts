import type { Db } from '../db/client.js';
import type { Person, Role } from '../db/schema/index.js';
import { findPersonBySlackId } from '../domain/people/find-person.js';
import { findRoles } from '../domain/people/person-roles.js';

/** Who is asking: the directory person behind a Slack user id (if any) and their roles. */
export interface Caller {
  slackUserId: string;
  person: Person | undefined;
  roles: Role[];
}

export async function identifyCaller(db: Db, slackUserId: string): Promise<Caller> {
  const person = await findPersonBySlackId(db, slackUserId);
  // A leaver's Slack account can outlive their employment by days; their roles must not.
  const roles = person && person.status !== 'terminated' ? await findRoles(db, person.id) : [];
  return { slackUserId, person, roles };
}
