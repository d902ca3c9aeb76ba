import { sql } from 'drizzle-orm';
import { USABLE_STATUSES, type AccountStatus } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { canonicalJson } from '../evidence/canonical.js';
import type { KindDiff } from './diff-directory.js';
import { accountChangedFields, resourceChangedFields, stagedAccounts, stagedAttrs, stagedResources, unreadLiveAccounts, unreadLiveResources, type StageScope } from './directory-sql.js';

/** Rows per statement that comes back to Node: the difference travels in bounded batches. */
const BATCH = 5000;

interface ApplyInput extends StageScope {
  now: Date;
  /** What diffDirectory found: a kind with nothing to add or remove costs no statement. */
  diff: KindDiff;
  /** False on a source's first sync: one baseline event stands for the whole population. */
  recordAdditions: boolean;
  /** Appends a batch of events (in the run's transaction). */
  emit: (events: NewEvidence[]) => Promise<void>;
}

export interface AppliedAccounts {
  /** Accounts whose attributes changed. */
  changed: number;
  /** Accounts now linked to another person (or none). */
  relinked: number;
  /** Accounts this run proves gone or unusable (verifyRemovals). */
  disabledAccountIds: string[];
  /** The people relinked accounts were linked to before: they may have left (markLeavers). */
  formerPersonIds: string[];
}

interface ChangedAccount {
  id: string;
  fields: string[];
  old_login: string;
  old_system: string;
  old_status: string;
  old_person_id: string | null;
  old_owner_email: string | null;
  status: string;
  person_id: string | null;
  owner_email: string | null;
}

/**
 * Makes the source's accounts match the staged read, in SQL, after linkPeople has linked each
 * staged account to its person: new and revived rows, changed and relinked ones, `removed_at`
 * on what disappeared. Rows that did not change are not touched, so an unchanged re-sync writes
 * nothing; only what changed comes back, a batch at a time, for its evidence.
 */
export async function applyAccounts(tx: Db, input: ApplyInput): Promise<AppliedAccounts> {
  const { source, now, emit } = input;
  const at = now.toISOString();
  const actor = `sync:${source}`;
  const out: AppliedAccounts = { changed: 0, relinked: 0, disabledAccountIds: [], formerPersonIds: [] };

  const insert = (limit: number | null) => sql`
    insert into account (source, system, external_id, login, email, display_name, status, last_login_at, owner_email, attrs, person_id, first_seen_at, last_seen_at)
    select ${source}, sa.system, sa.external_id, sa.login, sa.email, sa.display_name, sa.status, sa.last_login_at, sa.owner_email,
      ${stagedAttrs()}, sa.person_id, ${at}::timestamptz, ${at}::timestamptz
    from ${stagedAccounts(input)} and (a.id is null or a.removed_at is not null)
    ${limit === null ? sql`` : sql`limit ${limit}`}
    on conflict (source, external_id) do update set system = excluded.system, login = excluded.login, email = excluded.email,
      display_name = excluded.display_name, status = excluded.status, last_login_at = excluded.last_login_at,
      owner_email = excluded.owner_email, attrs = excluded.attrs, person_id = excluded.person_id,
      last_seen_at = excluded.last_seen_at, removed_at = null`;
  if (input.diff.added > 0 && !input.recordAdditions) await tx.execute(insert(null));
  for (let more = input.diff.added > 0 && input.recordAdditions; more; ) {
    const rows = rowsOf<{ id: string; person_id: string | null; system: string; login: string; status: string }>(
      await tx.execute(sql`${insert(BATCH)} returning id, person_id, system, login, status`),
    );
    await emit(
      rows.map((r) => ({
        actor,
        action: 'account.created',
        subject: { account: r.id, ...(r.person_id ? { person: r.person_id } : {}) },
        payload: { system: r.system, login: r.login, status: r.status, orphaned: !r.person_id },
      })),
    );
    more = rows.length === BATCH;
  }

  // Changed or relinked: checked whatever the diff counted, as a relink is only known now.
  for (;;) {
    const rows = rowsOf<ChangedAccount>(
      await tx.execute(sql`
        update account a set system = c.system, login = c.login, email = c.email, display_name = c.display_name, status = c.status,
          last_login_at = c.last_login_at, owner_email = c.owner_email, attrs = c.attrs, person_id = c.person_id, last_seen_at = ${at}::timestamptz
        from (
          select x.* from (
            select a.id, ${accountChangedFields()} as fields, a.login as old_login, a.system as old_system, a.status as old_status,
              a.person_id as old_person_id, a.owner_email as old_owner_email, sa.system, sa.login, sa.email, sa.display_name,
              sa.status, sa.last_login_at, sa.owner_email, ${stagedAttrs()} as attrs, sa.person_id
            from ${stagedAccounts(input)} and a.removed_at is null
          ) x
          where cardinality(x.fields) > 0 or x.person_id is distinct from x.old_person_id
          limit ${BATCH}
        ) c
        where a.id = c.id
        returning a.id, c.fields, c.old_login, c.old_system, c.old_status, c.old_person_id, c.old_owner_email, c.status, c.person_id, c.owner_email`),
    );
    const events: NewEvidence[] = [];
    for (const r of rows) {
      const fields = parseArray(r.fields);
      if (fields.length > 0) out.changed += 1;
      if (fields.includes('status')) {
        events.push({ actor, action: 'account.status_changed', subject: { account: r.id }, payload: { login: r.old_login, system: r.old_system, from: r.old_status, to: r.status } });
        if (!USABLE_STATUSES.includes(r.status as AccountStatus)) out.disabledAccountIds.push(r.id);
      }
      if (fields.includes('ownerEmail')) {
        events.push({ actor, action: 'account.owner_changed', subject: { account: r.id }, payload: { login: r.old_login, system: r.old_system, from: r.old_owner_email, to: r.owner_email } });
      }
      if (r.person_id !== r.old_person_id) {
        out.relinked += 1;
        if (r.old_person_id) out.formerPersonIds.push(r.old_person_id);
        events.push({ actor, action: 'account.linked', subject: { account: r.id }, payload: { login: r.old_login, from: r.old_person_id, to: r.person_id } });
      }
    }
    await emit(events);
    if (rows.length < BATCH) break;
  }

  for (let more = input.diff.removed > 0; more; ) {
    const rows = rowsOf<{ id: string; login: string; system: string; status: string }>(
      await tx.execute(sql`
        update account set removed_at = ${at}::timestamptz
        where id in (select a.id from ${unreadLiveAccounts(input)} limit ${BATCH})
        returning id, login, system, status`),
    );
    for (const r of rows) out.disabledAccountIds.push(r.id);
    await emit(rows.map((r) => ({ actor, action: 'account.removed', subject: { account: r.id }, payload: { login: r.login, system: r.system, lastStatus: r.status } })));
    more = rows.length === BATCH;
  }
  return out;
}

interface ChangedResource {
  id: string;
  fields: string[];
  old_name: string;
  old_system: string;
  old_kind: string;
  old_privileged: boolean;
  old_owner_email: string | null;
  old_attrs: unknown;
  system: string;
  kind: string;
  name: string;
  privileged: boolean;
  owner_email: string | null;
  attrs: unknown;
}

/** The same for resources: new and revived, changed (with what changed), removed. */
export async function applyResources(tx: Db, input: ApplyInput): Promise<void> {
  const { source, now } = input;
  const at = now.toISOString();
  const actor = `sync:${source}`;
  // On a baseline no resource event is written: the baseline stands for them.
  const emit = (events: NewEvidence[]) => (input.recordAdditions ? input.emit(events) : Promise.resolve());

  for (let more = input.diff.added > 0; more; ) {
    const rows = rowsOf<{ id: string; system: string; kind: string; name: string; privileged: boolean }>(
      await tx.execute(sql`
        insert into resource (source, system, external_id, kind, name, privileged, owner_email, attrs, first_seen_at, last_seen_at)
        select ${source}, sr.system, sr.external_id, sr.kind, sr.name, sr.privileged, sr.owner_email, sr.attrs, ${at}::timestamptz, ${at}::timestamptz
        from ${stagedResources(input)} and (r.id is null or r.removed_at is not null)
        limit ${BATCH}
        on conflict (source, external_id) do update set name = excluded.name, kind = excluded.kind, privileged = excluded.privileged,
          owner_email = excluded.owner_email, attrs = excluded.attrs, removed_at = null, last_seen_at = excluded.last_seen_at
        returning id, system, kind, name, privileged`),
    );
    await emit(rows.map((r) => ({ actor, action: 'resource.created', subject: { resource: r.id }, payload: { system: r.system, kind: r.kind, name: r.name, privileged: r.privileged } })));
    more = rows.length === BATCH;
  }

  for (let more = input.diff.changed > 0; more; ) {
    const rows = rowsOf<ChangedResource>(
      await tx.execute(sql`
        update resource r set system = c.system, kind = c.kind, name = c.name, privileged = c.privileged, owner_email = c.owner_email,
          attrs = c.attrs, last_seen_at = ${at}::timestamptz
        from (
          select x.* from (
            select r.id, ${resourceChangedFields()} as fields, r.name as old_name, r.system as old_system, r.kind as old_kind,
              r.privileged as old_privileged, r.owner_email as old_owner_email, r.attrs as old_attrs,
              sr.system, sr.kind, sr.name, sr.privileged, sr.owner_email, sr.attrs
            from ${stagedResources(input)} and r.removed_at is null
          ) x
          where cardinality(x.fields) > 0
          limit ${BATCH}
        ) c
        where r.id = c.id
        returning c.*`),
    );
    await emit(rows.map((r) => ({ actor, action: 'resource.changed', subject: { resource: r.id }, payload: { name: r.old_name, changes: resourceChanges(r) } })));
    more = rows.length === BATCH;
  }

  for (let more = input.diff.removed > 0; more; ) {
    const rows = rowsOf<{ id: string; name: string; system: string }>(
      await tx.execute(sql`
        update resource set removed_at = ${at}::timestamptz
        where id in (select r.id from ${unreadLiveResources(input)} limit ${BATCH})
        returning id, name, system`),
    );
    await emit(rows.map((r) => ({ actor, action: 'resource.removed', subject: { resource: r.id }, payload: { name: r.name, system: r.system } })));
    more = rows.length === BATCH;
  }
}

/** What changed in a resource, as the evidence has always said it (attributes as canonical JSON). */
function resourceChanges(r: ChangedResource): Record<string, { from: unknown; to: unknown }> {
  const all: Record<string, { from: unknown; to: unknown }> = {
    system: { from: r.old_system, to: r.system },
    kind: { from: r.old_kind, to: r.kind },
    name: { from: r.old_name, to: r.name },
    privileged: { from: r.old_privileged, to: r.privileged },
    ownerEmail: { from: r.old_owner_email, to: r.owner_email },
    attrs: { from: canonicalJson(jsonOf(r.old_attrs)), to: canonicalJson(jsonOf(r.attrs)) },
  };
  return Object.fromEntries(parseArray(r.fields).map((k) => [k, all[k]!]));
}

/** A jsonb column as returned by a raw query: parsed by one driver, a string from the other. */
function jsonOf(v: unknown): unknown {
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
}

/** A text[] as returned by a raw query: an array, or its literal (`{a,b}`) from a driver that does not parse it. */
function parseArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v !== 'string' || v === '{}') return [];
  return v.slice(1, -1).split(',');
}
