import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { stagedGrants, type GrantScope } from './grant-sql.js';
import type { SourceSnapshot } from './read-source.js';

const FETCH = 5000;

/**
 * SHA-256 over the sorted accounts (id, status) and grants of a snapshot: a baseline event
 * commits to exactly what was read, so the starting population can be proven later. The grants
 * are sorted by the database (collation "C": code point order, as a JavaScript sort of the
 * same keys) and read back through a cursor, a batch at a time. Must run in a transaction.
 */
export async function snapshotDigest(tx: Db, snap: Pick<SourceSnapshot, 'accounts'>, scope: GrantScope): Promise<string> {
  const h = createHash('sha256');
  for (const ext of [...snap.accounts.keys()].sort()) h.update(`a\u0000${ext}\u0000${snap.accounts.get(ext)!.status}\n`);
  await tx.execute(sql`
    declare sync_digest no scroll cursor for
    select s.ae, s.re, s.via from (${stagedGrants(scope)}) s
    order by s.ae collate "C", s.re collate "C", s.via collate "C"`);
  for (;;) {
    const rows = rowsOf<{ ae: string; re: string; via: string }>(await tx.execute(sql.raw(`fetch ${FETCH} from sync_digest`)));
    for (const r of rows) h.update(`g\u0000${r.ae}\u0000${r.re}\u0000${r.via}\n`);
    if (rows.length < FETCH) break;
  }
  await tx.execute(sql`close sync_digest`);
  return h.digest('hex');
}
