import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person } from '../../db/schema/index.js';
import { isUuid } from './require-uuid.js';
import { resolveEmails } from './resolve-emails.js';

type Actor = { kind: 'id' | 'slack' | 'email'; value: string; orEmail?: string };

/**
 * grant id → the people who approved or carried out that grant's request, from the actors
 * recorded on the requests of the grants given. Segregation of duties: whoever let the access
 * in does not alone confirm it should stay.
 */
export async function findGrantApprovers(db: Db, grants: { grantId: string; approvers: string[] | null }[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const actors = grants.flatMap((g) => (g.approvers ?? []).map((a) => ({ grantId: g.grantId, actor: parseActor(a) })));
  if (actors.length === 0) return out;
  const resolve = await resolver(db, actors.flatMap((a) => (a.actor ? [a.actor] : [])));
  for (const { grantId, actor } of actors) {
    const id = actor ? resolve(actor) : null;
    if (!id) continue;
    const set = out.get(grantId) ?? new Set<string>();
    set.add(id);
    out.set(grantId, set);
  }
  return out;
}

/** Actors are written as `person:<id>`, `slack:<user id>`, an email, or a bare person id. */
function parseActor(actor: string): Actor | null {
  const [kind, rest] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : ['', actor];
  if (kind === 'person') return isUuid(rest) ? { kind: 'id', value: rest.toLowerCase() } : null;
  if (kind === 'slack') return { kind: 'slack', value: rest };
  if (kind) return null; // `system`, `cli:<os user>`, `sync:okta`: not a person
  return isUuid(rest) ? { kind: 'id', value: rest.toLowerCase(), orEmail: rest.toLowerCase() } : { kind: 'email', value: rest.toLowerCase() };
}

async function resolver(db: Db, actors: Actor[]): Promise<(a: Actor) => string | null> {
  const ids = [...new Set(actors.filter((a) => a.kind === 'id').map((a) => a.value))];
  const slackIds = [...new Set(actors.filter((a) => a.kind === 'slack').map((a) => a.value))];
  const known = new Set(ids.length ? (await db.select({ id: person.id }).from(person).where(inArray(person.id, ids))).map((r) => r.id) : []);
  const bySlack = new Map(
    slackIds.length ? (await db.select({ id: person.id, s: person.slackUserId }).from(person).where(inArray(person.slackUserId, slackIds))).map((r) => [r.s!, r.id]) : [],
  );
  const emails = actors.flatMap((a) => (a.kind === 'email' ? [a.value] : a.orEmail && !known.has(a.value) ? [a.orEmail] : []));
  const byEmail = await resolveEmails(db, emails);
  return (a) => {
    if (a.kind === 'slack') return bySlack.get(a.value) ?? null;
    if (a.kind === 'id' && known.has(a.value)) return a.value;
    const email = a.kind === 'email' ? a.value : a.orEmail;
    return email ? (byEmail.get(email) ?? null) : null;
  };
}
