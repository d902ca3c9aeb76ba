import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { rowsOf } from './rows-of.js';

/**
 * Tags of the migrations in `folder` (drizzle/meta/_journal.json) that the database has not
 * applied, oldest first. Drizzle's migrator applies every journal entry newer than the newest
 * `created_at` it recorded, so that is what "pending" means here too.
 *
 * Read-only on purpose: the runtime role may read `drizzle.__drizzle_migrations` but not run the
 * migrator, which starts with `CREATE SCHEMA IF NOT EXISTS "drizzle"` (refused without CREATE on
 * the database even when the schema exists).
 */
export async function pendingMigrations(db: Db, folder: string): Promise<string[]> {
  const journal = JSON.parse(await readFile(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const shipped = [...journal.entries].sort((a, b) => a.when - b.when);
  const present = rowsOf<{ present: boolean }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`));
  if (!present[0]?.present) return shipped.map((e) => e.tag);
  const [newest] = rowsOf<{ newest: string | number | null }>(await db.execute(sql`select max(created_at) as newest from drizzle.__drizzle_migrations`));
  const applied = newest?.newest === null || newest?.newest === undefined ? -Infinity : Number(newest.newest);
  return shipped.filter((e) => e.when > applied).map((e) => e.tag);
}
