import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * The `created_at` (the journal's `when`) of every migration the database has applied, read from
 * drizzle's own bookkeeping table; null when that table does not exist (never migrated).
 * Read-only on purpose: doctor must report an unmigrated database, not fix it.
 */
export async function findAppliedMigrations(db: Db): Promise<number[] | null> {
  const present = await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!rowsOf<{ present: boolean }>(present)[0]?.present) return null;
  const rows = await db.execute(sql`select created_at from drizzle.__drizzle_migrations`);
  return rowsOf<{ created_at: string | number }>(rows).map((r) => Number(r.created_at));
}

/** postgres-js returns the rows themselves, PGlite an object holding them. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
