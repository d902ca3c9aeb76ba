import { eq, inArray, sql } from 'drizzle-orm';
import type { SourceAccount, SourcePerson } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { person, type Person } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import type { SourceSnapshot } from './read-source.js';

export interface PeopleLinkResult {
  /** account external id → person id (null: an orphaned account). */
  personOf: Map<string, string | null>;
  people: number;
  changed: number;
  events: NewEvidence[];
}

/** Sources that are not identity providers only fill gaps in people they did not create. */
const ownedBy = (p: Person, source: string) => !p.source || p.source === source || p.source === 'cli';

const norm = (e: string | null | undefined) => e?.trim().toLowerCase() || null;

/** The email that ties an account to a person: the person's, the account's, or a login that is one. */
export function linkEmail(a: SourceAccount): string | null {
  return norm(a.person?.email) ?? norm(a.email) ?? (a.login.includes('@') ? norm(a.login) : null);
}

/**
 * Creates the people a source reports for the first time, refreshes the attributes of the
 * people it owns (writing a `person.moved` event when the manager or department changes),
 * and links every account to its person by email or alias.
 */
export async function linkPeople(
  tx: Db,
  source: string,
  snap: SourceSnapshot,
  now: Date,
): Promise<PeopleLinkResult> {
  const all = await tx.select().from(person);
  const byEmail = new Map<string, Person>();
  for (const p of all) {
    byEmail.set(p.email.toLowerCase(), p);
    for (const alias of p.aliases) byEmail.set(alias.toLowerCase(), p);
  }

  // One desired record per person, merged across that person's accounts in this source.
  const desired = new Map<string, SourcePerson>();
  for (const a of snap.accounts.values()) {
    const email = linkEmail(a);
    if (!email || !a.person) continue;
    const known = byEmail.get(email);
    const key = known ? known.email.toLowerCase() : email;
    const prev = desired.get(key);
    desired.set(key, prev ? mergePerson(prev, a.person) : { ...a.person, email: key });
  }

  const events: NewEvidence[] = [];
  const toCreate = [...desired.values()].filter((d) => !byEmail.has(d.email));
  const created = new Set<string>();
  if (toCreate.length > 0) {
    const rows = await insertPeople(tx, toCreate, source, now);
    for (const p of rows) {
      byEmail.set(p.email.toLowerCase(), p);
      created.add(p.id);
      events.push({ actor: `sync:${source}`, action: 'person.created', subject: { person: p.id }, payload: { email: p.email, name: p.name } });
    }
  }

  const managerOf = resolveManagers(snap, byEmail);
  let changed = 0;
  const updates: PersonUpdate[] = [];
  for (const d of desired.values()) {
    const p = byEmail.get(d.email);
    if (!p || !ownedBy(p, source)) continue;
    const next = {
      name: d.name || p.name,
      title: d.title ?? p.title,
      department: d.department ?? p.department,
      managerId: managerOf.has(d.email) ? (managerOf.get(d.email) ?? null) : p.managerId,
    };
    const changes = Object.fromEntries(
      (Object.keys(next) as (keyof typeof next)[])
        .filter((k) => next[k] !== p[k])
        .map((k) => [k, { from: p[k], to: next[k] }]),
    );
    if (Object.keys(changes).length === 0) continue;
    updates.push({ id: p.id, ...next });
    // A person created in this run only gets their manager filled in: that is not a change.
    if (created.has(p.id)) continue;
    changed += 1;
    const moved = 'managerId' in changes || 'department' in changes;
    events.push({
      actor: `sync:${source}`,
      action: moved ? 'person.moved' : 'person.updated',
      subject: { person: p.id },
      payload: { email: p.email, changes },
    });
  }

  await updatePeople(tx, updates, source, now);

  const personOf = new Map<string, string | null>();
  for (const a of snap.accounts.values()) {
    const email = linkEmail(a);
    personOf.set(a.externalId, (email && byEmail.get(email)?.id) || null);
  }
  return { personOf, people: new Set([...personOf.values()].filter(Boolean)).size, changed, events };
}

interface PersonUpdate {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  managerId: string | null;
}

/** One statement per thousand people: a first sync fills in 10,000 managers. */
async function updatePeople(tx: Db, updates: PersonUpdate[], source: string, now: Date): Promise<void> {
  for (let i = 0; i < updates.length; i += 1000) {
    const rows = updates
      .slice(i, i + 1000)
      .map((u) => sql`(${u.id}::uuid, ${u.name}, ${u.title}::text, ${u.department}::text, ${u.managerId}::uuid)`);
    await tx.execute(sql`
      update person set name = v.name, title = v.title, department = v.department, manager_id = v.manager_id,
        source = ${source}, updated_at = ${now.toISOString()}::timestamptz
      from (values ${sql.join(rows, sql`, `)}) as v(id, name, title, department, manager_id)
      where person.id = v.id`);
  }
}

function mergePerson(a: SourcePerson, b: SourcePerson): SourcePerson {
  return {
    email: a.email,
    name: a.name || b.name,
    title: a.title ?? b.title ?? null,
    department: a.department ?? b.department ?? null,
    managerEmail: a.managerEmail ?? b.managerEmail ?? null,
    managerRef: a.managerRef ?? b.managerRef ?? null,
  };
}

/** person email → manager's person id, for every person whose source names a manager. */
function resolveManagers(snap: SourceSnapshot, byEmail: Map<string, Person>): Map<string, string | null> {
  const byRef = new Map<string, SourceAccount>();
  for (const a of snap.accounts.values()) {
    byRef.set(a.externalId, a);
    byRef.set(a.login.toLowerCase(), a);
  }
  const out = new Map<string, string | null>();
  for (const a of snap.accounts.values()) {
    const email = linkEmail(a);
    const p = a.person;
    if (!email || !p || (!p.managerEmail && !p.managerRef)) continue;
    const viaRef = p.managerRef ? (byRef.get(p.managerRef) ?? byRef.get(p.managerRef.toLowerCase())) : undefined;
    const managerEmail = norm(p.managerEmail) ?? (viaRef ? linkEmail(viaRef) : null) ?? norm(p.managerRef);
    const manager = managerEmail ? byEmail.get(managerEmail) : undefined;
    const self = byEmail.get(email);
    out.set(self?.email.toLowerCase() ?? email, manager && manager.id !== self?.id ? manager.id : null);
  }
  return out;
}

async function insertPeople(tx: Db, list: SourcePerson[], source: string, now: Date): Promise<Person[]> {
  const out: Person[] = [];
  for (let i = 0; i < list.length; i += 1000) {
    const rows = await tx
      .insert(person)
      .values(
        list.slice(i, i + 1000).map((d) => ({
          email: d.email,
          name: d.name,
          title: d.title ?? null,
          department: d.department ?? null,
          source,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    out.push(...rows);
  }
  return out;
}

/** People owned by `source` whose accounts there are all gone or disabled have left. */
export async function markLeavers(
  tx: Db,
  source: string,
  usablePeople: Set<string>,
  linkedPeople: Set<string>,
  now: Date,
): Promise<{ events: NewEvidence[]; changed: number }> {
  const ids = [...linkedPeople];
  if (ids.length === 0) return { events: [], changed: 0 };
  const owned = await tx
    .select()
    .from(person)
    .where(sql`${person.source} = ${source} and ${inArray(person.id, ids)}`);
  const events: NewEvidence[] = [];
  let changed = 0;
  for (const p of owned) {
    const usable = usablePeople.has(p.id);
    if (!usable && p.status !== 'terminated') {
      await tx.update(person).set({ status: 'terminated', leftAt: now, updatedAt: now }).where(eq(person.id, p.id));
      events.push({ actor: `sync:${source}`, action: 'person.left', subject: { person: p.id }, payload: { email: p.email, previousStatus: p.status } });
      changed += 1;
    } else if (usable && p.status === 'terminated') {
      await tx.update(person).set({ status: 'active', leftAt: null, updatedAt: now }).where(eq(person.id, p.id));
      events.push({ actor: `sync:${source}`, action: 'person.returned', subject: { person: p.id }, payload: { email: p.email } });
      changed += 1;
    }
  }
  return { events, changed };
}
