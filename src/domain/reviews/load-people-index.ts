import type { Db } from '../../db/client.js';
import { person } from '../../db/schema/index.js';

export interface PersonInfo {
  id: string;
  name: string;
  email: string;
  department: string | null;
  managerId: string | null;
  slackUserId: string | null;
  status: string;
}

export interface PeopleIndex {
  byId: Map<string, PersonInfo>;
  /** Lower-cased email and aliases → person id (resource owners are reported by email). */
  byEmail: Map<string, string>;
  bySlackId: Map<string, string>;
}

/** Everyone, once: reviewer routing walks managers many times per launch. */
export async function loadPeopleIndex(db: Db): Promise<PeopleIndex> {
  const rows = await db
    .select({
      id: person.id,
      name: person.name,
      email: person.email,
      aliases: person.aliases,
      department: person.department,
      managerId: person.managerId,
      slackUserId: person.slackUserId,
      status: person.status,
    })
    .from(person);
  const index: PeopleIndex = { byId: new Map(), byEmail: new Map(), bySlackId: new Map() };
  for (const { aliases, ...p } of rows) {
    index.byId.set(p.id, p);
    for (const a of aliases) index.byEmail.set(a.toLowerCase(), p.id);
    if (p.slackUserId) index.bySlackId.set(p.slackUserId, p.id);
  }
  // Primary emails win over an alias that happens to be the same address.
  for (const p of index.byId.values()) index.byEmail.set(p.email.toLowerCase(), p.id);
  return index;
}
