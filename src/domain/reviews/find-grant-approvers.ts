import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessRequest } from '../../db/schema/index.js';
import type { PeopleIndex } from './load-people-index.js';

/**
 * grant id → the people who approved or carried out that grant's request. Segregation of
 * duties: whoever let the access in does not alone confirm it should stay.
 */
export async function findGrantApprovers(db: Db, people: PeopleIndex): Promise<Map<string, Set<string>>> {
  const rows = await db
    .select({ grantId: accessRequest.grantId, approvedBy: accessRequest.approvedBy, carriedOutBy: accessRequest.carriedOutBy })
    .from(accessRequest)
    .where(and(eq(accessRequest.kind, 'grant'), isNotNull(accessRequest.grantId)));
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const actor of [r.approvedBy, r.carriedOutBy]) {
      const id = actor ? resolveActor(actor, people) : null;
      if (!id || !r.grantId) continue;
      const set = out.get(r.grantId) ?? new Set<string>();
      set.add(id);
      out.set(r.grantId, set);
    }
  }
  return out;
}

/** Actors are written as `person:<id>`, `slack:<user id>`, an email, or a bare person id. */
function resolveActor(actor: string, people: PeopleIndex): string | null {
  const [kind, rest] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : ['', actor];
  if (kind === 'person') return people.byId.has(rest) ? rest : null;
  if (kind === 'slack') return people.bySlackId.get(rest) ?? null;
  if (kind) return null; // `system`, `cli:<os user>`, `sync:okta`: not a person
  if (people.byId.has(rest)) return rest;
  return people.byEmail.get(rest.toLowerCase()) ?? null;
}
