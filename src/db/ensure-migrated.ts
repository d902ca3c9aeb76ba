import { AppError } from '../errors.js';
import type { Database } from './client.js';

/** SQLSTATE insufficient_privilege, wherever drizzle wrapped it ("Failed query: …" keeps the driver's error as the cause). */
export function isPermissionDenied(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === '42501') return true;
  }
  return false;
}

const OWNER_FIX = "run `attest migrate` with the owner's DATABASE_URL";

/**
 * What every command does before touching the database. It first asks, read-only, whether the
 * migrations this build ships are all applied, and only then runs the migrator: a runtime role
 * (see `attest migrate --grant-to`) may not, because the migrator begins with
 * `CREATE SCHEMA IF NOT EXISTS`. When migrations are missing it still tries, so that a first
 * command on a fresh PGlite DATA_DIR or with the owner's URL just works; a role that lacks the
 * privilege gets one line naming the command to run, and nothing has changed (drizzle applies
 * migrations in one transaction, and the refused CREATE SCHEMA comes before it).
 */
export async function ensureMigrated(database: Pick<Database, 'migrate' | 'pendingMigrations'>): Promise<void> {
  let pending: string[];
  try {
    pending = await database.pendingMigrations();
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    throw new AppError(
      'CONFIG',
      `this database role may not read Attest's migrations table (drizzle.__drizzle_migrations): ${OWNER_FIX} and \`--grant-to <this role>\` (or ATTEST_APP_ROLE)`,
      { cause: err },
    );
  }
  if (pending.length === 0) return;
  try {
    await database.migrate();
  } catch (err) {
    if (!isPermissionDenied(err)) throw err;
    throw new AppError('CONFIG', `the database is missing migrations (${pending.join(', ')}) and this role may not apply them: ${OWNER_FIX}`, { cause: err });
  }
}
