import { createHash, type Hash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { stagedGrants, type GrantScope } from './grant-sql.js';

/** Rows hashed per chunk; chunks fetched at a time. */
const CHUNK = 2000;
const FETCH = 2;

const NUL = sql`decode('00', 'hex')`;
const utf8 = (col: SQL) => sql`convert_to(${col}, 'UTF8')`;

/**
 * SHA-256 over the sorted accounts (id, status) and grants of a snapshot: a baseline event
 * commits to exactly what was read, so the starting population can be proven later. Both come
 * from the staging tables, sorted by the database (collation "C": code point order, as a
 * JavaScript sort of the same keys). The database also writes the hashed lines
 * (`a\0<id>\0<status>\n`, `g\0<account>\0<resource>\0<via>\n`), CHUNK of them per binary
 * value, so what comes back through a cursor is a few buffers, not a JavaScript object per row.
 * Must run in a transaction.
 */
export async function snapshotDigest(tx: Db, scope: GrantScope): Promise<string> {
  const h = createHash('sha256');
  await drain(tx, h, sql`
    select ${utf8(sql`'a'`)} || ${NUL} || ${utf8(sql`sa.external_id`)} || ${NUL} || ${utf8(sql`sa.status`)} || decode('0a', 'hex') as line,
      row_number() over (order by sa.external_id collate "C") as rn
    from sync_stage_account sa where sa.stage_id = ${scope.stageId}`);
  await drain(tx, h, sql`
    select ${utf8(sql`'g'`)} || ${NUL} || ${utf8(sql`s.ae`)} || ${NUL} || ${utf8(sql`s.re`)} || ${NUL} || ${utf8(sql`s.via`)} || decode('0a', 'hex') as line,
      row_number() over (order by s.ae collate "C", s.re collate "C", s.via collate "C") as rn
    from (${stagedGrants(scope)}) s`);
  return h.digest('hex');
}

/** Hashes the lines of `numbered` (`line`, `rn`) in order, through a cursor, a chunk at a time. */
async function drain(tx: Db, h: Hash, numbered: SQL): Promise<void> {
  await tx.execute(sql`
    declare sync_digest no scroll cursor for
    select string_agg(l.line, ''::bytea order by l.rn) as chunk from (${numbered}) l
    group by (l.rn - 1) / ${sql.raw(String(CHUNK))} order by (l.rn - 1) / ${sql.raw(String(CHUNK))}`);
  for (;;) {
    const rows = rowsOf<{ chunk: Uint8Array }>(await tx.execute(sql.raw(`fetch ${FETCH} from sync_digest`)));
    for (const r of rows) h.update(r.chunk);
    if (rows.length < FETCH) break;
  }
  await tx.execute(sql`close sync_digest`);
}
