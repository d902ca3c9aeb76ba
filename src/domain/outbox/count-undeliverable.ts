import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';

/** Undeliverable rows by kind, now: what the metrics gauge shows. Reads only the partial index. */
export async function countUndeliverable(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ kind: outbox.kind, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(eq(outbox.status, 'undeliverable'))
    .groupBy(outbox.kind);
  return new Map(rows.map((r) => [r.kind, r.n]));
}
