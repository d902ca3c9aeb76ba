import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { rowsOf } from './rows-of.js';

/** Always append-only, even if its trigger were dropped (migration 0001). */
const ALWAYS_APPEND_ONLY = ['evidence_event'];

/**
 * Tables in schema public whose rows may only be added: evidence_event, plus any table a later
 * migration guards with the same refusing trigger function (`attest_evidence_immutable`), so a
 * new append-only table gets SELECT and INSERT only without anyone remembering to list it here.
 */
export async function findAppendOnlyTables(db: Db): Promise<string[]> {
  const rows = rowsOf<{ table: string }>(
    await db.execute(sql`
      select distinct c.relname as "table"
        from pg_trigger t
        join pg_class c on c.oid = t.tgrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_proc p on p.oid = t.tgfoid
       where n.nspname = 'public' and p.proname = 'attest_evidence_immutable'`),
  );
  return [...new Set([...ALWAYS_APPEND_ONLY, ...rows.map((r) => r.table)])].sort();
}
