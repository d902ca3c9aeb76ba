import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { idSet, knownEmails, usableStatuses, type StageScope } from './directory-sql.js';

/** Rows per statement that comes back to Node: the difference travels in bounded batches. */
const BATCH = 5000;

interface PeopleInput extends StageScope {
  now: Date;
  /** False on a source's first sync: its people are created without an event each (nor a trip back to Node). */
  recordCreations: boolean;
  /** Appends a batch of events (in the run's transaction; nothing on a baseline). */
  emit: (events: NewEvidence[]) => Promise<void>;
}

export interface PeopleLinkResult {
  /** People the read's accounts link to. */
  people: number;
  /** Existing people whose attributes changed. */
  changed: number;
}

interface ChangedPerson {
  id: string;
  email: string;
  created: boolean;
  old_name: string;
  old_title: string | null;
  old_department: string | null;
  old_manager_id: string | null;
  name: string;
  title: string | null;
  department: string | null;
  manager_id: string | null;
}

/**
 * In SQL, over the staged accounts: creates the people a source reports for the first time,
 * refreshes the attributes of the people it owns (a `person.moved` event when the manager or
 * department changes), and links every staged account to its person by email or alias
 * (sync_stage_account.person_id). Sources that are not identity providers only fill gaps in
 * people they did not create. Must run in the run's transaction, before the accounts are written.
 */
export async function linkPeople(tx: Db, input: PeopleInput): Promise<PeopleLinkResult> {
  const { source, stageId, now, emit } = input;
  const at = now.toISOString();
  const actor = `sync:${source}`;

  // One desired record per person, merged across that person's accounts in this read: for each
  // attribute, the first account (in read order) that gives one.
  const first = (col: string) => sql.raw(`(array_agg(sa.${col} order by sa.seq) filter (where sa.${col} is not null))[1]`);
  await tx.execute(sql`
    insert into sync_stage_person (stage_id, email, person_id, name, title, department, manager_email, manager_ref)
    select ${stageId}::uuid, coalesce(k.email, sa.link_email),
      (min(k.id::text))::uuid,
      coalesce((array_agg(sa.person_name order by sa.seq) filter (where sa.person_name <> ''))[1], ''),
      ${first('person_title')}, ${first('person_department')}, ${first('manager_email')}, ${first('manager_ref')}
    from sync_stage_account sa
    left join ${knownEmails()} k on k.e = sa.link_email
    where sa.stage_id = ${stageId} and sa.has_person and sa.link_email is not null
    group by coalesce(k.email, sa.link_email)`);

  // New people, a batch at a time (all at once on a baseline); each marks its rows in the stage.
  for (;;) {
    const limit = input.recordCreations ? sql`limit ${BATCH}` : sql``;
    const rows = rowsOf<{ id: string; email: string; name: string }>(
      await tx.execute(sql`
        with ins as (
          insert into person (email, name, title, department, source, created_at, updated_at)
          select sp.email, sp.name, sp.title, sp.department, ${source}, ${at}::timestamptz, ${at}::timestamptz
          from sync_stage_person sp where sp.stage_id = ${stageId} and sp.person_id is null
          ${limit}
          returning id, email, name
        ), mark as (
          update sync_stage_person sp set person_id = ins.id, created = true from ins where sp.stage_id = ${stageId} and sp.email = ins.email
        )
        ${input.recordCreations ? sql`select id, email, name from ins` : sql`select 1 from (select count(*) from ins) c where false`}`),
    );
    await emit(rows.map((p) => ({ actor, action: 'person.created', subject: { person: p.id }, payload: { email: p.email, name: p.name } })));
    if (rows.length < BATCH) break;
  }

  // Managers, by email, or by the source's own id or login of the manager's account.
  await tx.execute(sql`
    update sync_stage_person sp set manager_named = true, manager_id = case when k.id = sp.person_id then null else k.id end
    from (
      select p.email, coalesce(p.manager_email, case when byid.external_id is not null then byid.link_email else bylogin.link_email end,
        nullif(lower(trim(p.manager_ref)), '')) as manager_email
      from sync_stage_person p
      left join sync_stage_account byid on byid.stage_id = ${stageId} and byid.external_id = p.manager_ref
      left join (
        select distinct on (lower(login)) lower(login) as login, link_email from sync_stage_account
        where stage_id = ${stageId} order by lower(login), seq desc
      ) bylogin on bylogin.login = lower(p.manager_ref)
      where p.stage_id = ${stageId} and (p.manager_email is not null or p.manager_ref is not null)
    ) m
    left join ${knownEmails()} k on k.e = m.manager_email
    where sp.stage_id = ${stageId} and sp.email = m.email`);

  // The people this source owns whose attributes differ from what it says, a batch at a time.
  let changed = 0;
  for (;;) {
    const rows = rowsOf<ChangedPerson>(
      await tx.execute(sql`
        update person p set name = d.name, title = d.title, department = d.department, manager_id = d.manager_id,
          source = ${source}, updated_at = ${at}::timestamptz
        from (
          select x.* from (
            select p0.id, p0.email, sp.created, p0.name as old_name, p0.title as old_title, p0.department as old_department,
              p0.manager_id as old_manager_id,
              case when sp.name <> '' then sp.name else p0.name end as name,
              coalesce(sp.title, p0.title) as title,
              coalesce(sp.department, p0.department) as department,
              case when sp.manager_named then sp.manager_id else p0.manager_id end as manager_id
            from sync_stage_person sp join person p0 on p0.id = sp.person_id
            where sp.stage_id = ${stageId} and (p0.source is null or p0.source = ${source} or p0.source = 'cli')
          ) x
          where (x.name, x.title, x.department, x.manager_id) is distinct from (x.old_name, x.old_title, x.old_department, x.old_manager_id)
          limit ${BATCH}
        ) d
        where p.id = d.id
        returning d.*`),
    );
    const events: NewEvidence[] = [];
    for (const r of rows) {
      // A person created in this run only gets their manager filled in: that is not a change.
      if (r.created) continue;
      const pairs: [string, unknown, unknown][] = [
        ['name', r.old_name, r.name],
        ['title', r.old_title, r.title],
        ['department', r.old_department, r.department],
        ['managerId', r.old_manager_id, r.manager_id],
      ];
      const changes = Object.fromEntries(pairs.filter(([, from, to]) => from !== to).map(([k, from, to]) => [k, { from, to }]));
      changed += 1;
      const moved = 'managerId' in changes || 'department' in changes;
      events.push({ actor, action: moved ? 'person.moved' : 'person.updated', subject: { person: r.id }, payload: { email: r.email, changes } });
    }
    await emit(events);
    if (rows.length < BATCH) break;
  }

  // Every staged account to its person, by the email that links it.
  await tx.execute(sql`
    update sync_stage_account sa set person_id = k.id
    from ${knownEmails()} k
    where sa.stage_id = ${stageId} and k.e = sa.link_email`);
  const [count] = rowsOf<{ n: string }>(
    await tx.execute(sql`select count(distinct person_id) as n from sync_stage_account where stage_id = ${stageId}`),
  );
  return { people: Number(count?.n ?? 0), changed };
}

interface LeaverRow {
  id: string;
  email: string;
  old_status: string;
  usable: boolean;
}

/**
 * People owned by the source, linked to one of its accounts (or linked until this run:
 * `formerPersonIds`), whose accounts there are now all gone or unusable have left; one who has
 * a usable account again has returned. Runs after the accounts are written.
 */
export async function markLeavers(
  tx: Db,
  input: { source: string; now: Date; formerPersonIds: string[]; emit: (events: NewEvidence[]) => Promise<void> },
): Promise<{ changed: number }> {
  const { source, emit } = input;
  const at = input.now.toISOString();
  const former = input.formerPersonIds.length > 0 ? sql`or p0.id in ${idSet(input.formerPersonIds)}` : sql``;
  let changed = 0;
  for (;;) {
    const rows = rowsOf<LeaverRow>(
      await tx.execute(sql`
        update person p set status = case when u.usable then 'active' else 'terminated' end,
          left_at = case when u.usable then null else ${at}::timestamptz end, updated_at = ${at}::timestamptz
        from (
          select x.* from (
            select p0.id, p0.email, p0.status as old_status, (usable.person_id is not null) as usable
            from person p0
            left join (
              select distinct a.person_id from account a
              where a.source = ${source} and a.removed_at is null and a.status in ${usableStatuses()} and a.person_id is not null
            ) usable on usable.person_id = p0.id
            where p0.source = ${source}
              and (p0.id in (select a.person_id from account a where a.source = ${source} and a.person_id is not null) ${former})
          ) x
          where (not x.usable and x.old_status <> 'terminated') or (x.usable and x.old_status = 'terminated')
          limit ${BATCH}
        ) u
        where p.id = u.id
        returning u.*`),
    );
    await emit(
      rows.map((r) =>
        r.usable
          ? { actor: `sync:${source}`, action: 'person.returned', subject: { person: r.id }, payload: { email: r.email } }
          : { actor: `sync:${source}`, action: 'person.left', subject: { person: r.id }, payload: { email: r.email, previousStatus: r.old_status } },
      ),
    );
    changed += rows.length;
    if (rows.length < BATCH) break;
  }
  return { changed };
}
