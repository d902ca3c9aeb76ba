import { sql } from 'drizzle-orm';
import { findAppendOnlyTables } from './append-only-tables.js';
import type { Db } from './client.js';
import { rowsOf } from './rows-of.js';

/** What a database role may do to the evidence log, from pg_catalog (privileges held directly, through role membership or through PUBLIC). */
export interface EvidencePrivileges {
  role: string;
  superuser: boolean;
  /** The role that owns evidence_event. */
  owner: string;
  /** The role is the owner or a member of it: it may ALTER the table, e.g. DISABLE its append-only trigger. */
  memberOfOwner: boolean;
  /** Superuser or owner: it can rewrite evidence, whatever the trigger says. */
  canAlter: boolean;
  /** Privileges on evidence_event beyond SELECT and INSERT (the trigger still refuses them, but no runtime role needs them). */
  extra: ('UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER')[];
  /** SELECT and INSERT on evidence_event: what the application needs. */
  canAppend: boolean;
  /** Other tables of schema public on which the role lacks one of SELECT, INSERT, UPDATE, DELETE. */
  tablesLacking: string[];
}

const EXTRA = ['UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/**
 * The rights of `role` (default: the connected role) over evidence_event; null when the table
 * does not exist yet or there is no such role. One query set shared by `attest doctor`, the
 * `serve` start-up warning and `attest migrate --grant-to`.
 */
export async function inspectEvidencePrivileges(db: Db, role?: string): Promise<EvidencePrivileges | null> {
  const [row] = rowsOf<{ role: string; superuser: boolean; owner: string; member_of_owner: boolean; privs: string[] | string }>(
    await db.execute(sql`
      select r.rolname as role, r.rolsuper as superuser, pg_get_userbyid(c.relowner) as owner,
             pg_has_role(r.rolname, c.relowner, 'MEMBER') as member_of_owner,
             array(select p from unnest(array['SELECT', 'INSERT', ${sql.raw(EXTRA.map((p) => `'${p}'`).join(', '))}]) as p
                    where has_table_privilege(r.rolname, c.oid, p)) as privs
        from pg_roles r
        join pg_class c on c.relname = 'evidence_event' and c.relkind in ('r', 'p')
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
       where r.rolname = coalesce(${role ?? null}::name, current_user)`),
  );
  if (!row) return null;
  const privs = new Set(typeof row.privs === 'string' ? parsePgArray(row.privs) : row.privs);
  const appendOnly = await findAppendOnlyTables(db);
  // By oid, never by name: the planner may test privileges before it filters on the schema.
  const lacking = rowsOf<{ table: string }>(
    await db.execute(sql`
      select c.relname as "table"
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') and not (c.relname = any(${`{${appendOnly.join(',')}}`}::text[]))
         and not (has_table_privilege(${row.role}::name, c.oid, 'SELECT') and has_table_privilege(${row.role}::name, c.oid, 'INSERT')
              and has_table_privilege(${row.role}::name, c.oid, 'UPDATE') and has_table_privilege(${row.role}::name, c.oid, 'DELETE'))
       order by c.relname`),
  );
  return {
    role: row.role,
    superuser: row.superuser,
    owner: row.owner,
    memberOfOwner: row.member_of_owner,
    canAlter: row.superuser || row.member_of_owner,
    extra: EXTRA.filter((p) => privs.has(p)),
    canAppend: privs.has('SELECT') && privs.has('INSERT'),
    tablesLacking: lacking.map((r) => r.table),
  };
}

/** `{SELECT,INSERT}` as text, should a driver not parse the array. */
function parsePgArray(text: string): string[] {
  return text.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
}
