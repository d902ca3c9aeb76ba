import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { findAppendOnlyTables } from './append-only-tables.js';
import type { Db } from './client.js';
import { isPermissionDenied } from './ensure-migrated.js';
import { inspectEvidencePrivileges } from './evidence-privileges.js';
import { rowsOf } from './rows-of.js';

/** What `attest migrate --grant-to` gave the runtime role. */
export interface RuntimeGrants {
  role: string;
  /** SELECT, INSERT only. */
  appendOnly: string[];
  /** SELECT, INSERT, UPDATE, DELETE. */
  tables: string[];
  /** USAGE, SELECT. */
  sequences: string[];
}

/** Same rule as ATTEST_APP_ROLE in src/config.ts: `--grant-to` must not be laxer than the variable. */
const ROLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Grants the runtime role exactly what `serve` and the other commands need, as the owner, after
 * migrating: USAGE on schema public; SELECT, INSERT on the append-only tables (no UPDATE, DELETE,
 * TRUNCATE, and not ownership, so it can neither change evidence nor ALTER the table to disable
 * its trigger); SELECT, INSERT, UPDATE, DELETE on every other table of schema public; USAGE,
 * SELECT on its sequences; and SELECT on drizzle.__drizzle_migrations, so each command can check
 * read-only that the schema is current.
 *
 * Each table is first stripped of whatever the role held (REVOKE ALL), so re-running after an
 * upgrade converges on exactly this set, in one transaction. ALTER DEFAULT PRIVILEGES is
 * deliberately not used: it would hand every future table to the role with the same rights,
 * including a new append-only one, and its grants are invisible in the migration that creates
 * the table. Running `attest migrate --grant-to` (or with ATTEST_APP_ROLE set) after each upgrade
 * re-grants explicitly instead; until then the runtime role is told to run it.
 */
export async function grantRuntimeRole(db: Db, role: string): Promise<RuntimeGrants> {
  if (!ROLE_NAME.test(role)) {
    throw new AppError('INVALID_INPUT', `--grant-to must be a Postgres role name (letters, digits, _ and $; got "${role}")`, { field: 'grant-to' });
  }
  await refuseUnsafeRole(db, role);
  const r = sql.identifier(role);
  try {
    return await db.transaction(async (tx) => {
      const appendOnly = await findAppendOnlyTables(tx);
      const all = rowsOf<{ name: string }>(await tx.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`)).map((t) => t.name);
      const sequences = rowsOf<{ name: string }>(await tx.execute(sql`select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`)).map((s) => s.name);
      const tables = all.filter((t) => !appendOnly.includes(t));
      const run = (q: SQL) => tx.execute(q);
      await run(sql`grant usage on schema public to ${r}`);
      for (const t of all) await run(sql`revoke all on table ${sql.identifier('public')}.${sql.identifier(t)} from ${r}`);
      for (const t of tables) await run(sql`grant select, insert, update, delete on table ${sql.identifier('public')}.${sql.identifier(t)} to ${r}`);
      for (const t of appendOnly.filter((a) => all.includes(a))) await run(sql`grant select, insert on table ${sql.identifier('public')}.${sql.identifier(t)} to ${r}`);
      for (const s of sequences) {
        await run(sql`revoke all on sequence ${sql.identifier('public')}.${sql.identifier(s)} from ${r}`);
        await run(sql`grant usage, select on sequence ${sql.identifier('public')}.${sql.identifier(s)} to ${r}`);
      }
      await run(sql`grant usage on schema drizzle to ${r}`);
      await run(sql`revoke all on table drizzle.__drizzle_migrations from ${r}`);
      await run(sql`grant select on table drizzle.__drizzle_migrations to ${r}`);
      return { role, appendOnly, tables, sequences };
    });
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    throw new AppError('FORBIDDEN', `the role in DATABASE_URL may not grant rights on Attest's tables: run \`attest migrate --grant-to ${role}\` with the owner's DATABASE_URL`, { cause: err });
  }
}

/** A role that does not exist, or that could alter the evidence anyway, is refused before anything is granted. */
async function refuseUnsafeRole(db: Db, role: string): Promise<void> {
  const [me] = rowsOf<{ me: string; exists: boolean }>(
    await db.execute(sql`select current_user as me, exists (select 1 from pg_roles where rolname = ${role}) as exists`),
  );
  if (!me?.exists) {
    throw new AppError(
      'NOT_FOUND',
      `database role "${role}" does not exist: create it first as a superuser (or a role with CREATEROLE): CREATE ROLE ${role} LOGIN PASSWORD '<a password>';`,
      { field: 'grant-to' },
    );
  }
  const privileges = await inspectEvidencePrivileges(db, role);
  if (me.me === role || privileges?.canAlter) {
    const why = me.me === role ? 'it is the role running this migration' : privileges?.superuser ? 'it is a superuser' : `it is a member of ${privileges?.owner}, the owner of evidence_event`;
    throw new AppError(
      'INVALID_INPUT',
      `refusing to grant to "${role}": ${why}, so it could alter evidence_event anyway; use a separate login role with neither (README: Two database roles)`,
      { field: 'grant-to' },
    );
  }
}
