import { setImmediate as nextTurn } from 'node:timers/promises';
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { evidenceEvent } from '../../db/schema/index.js';
import { GENESIS_HASH, eventHash } from './canonical.js';

export interface ChainReport {
  ok: boolean;
  events: number;
  head: string;
  firstBad?: number;
  reason?: string;
}

/**
 * At most two pages are held at once (the one being checked and the next, fetched meanwhile),
 * so memory does not grow with the chain. Small on purpose: rows checked soon after they arrive
 * die young, so the old generation, and RSS, stay small (5,000-row pages peaked 30-50 MB higher
 * over a million events, for no gain in speed: hashing, not fetching, is the cost).
 */
const PAGE = 500;
/**
 * postgres.js sends a query, and reads its rows, only on a later turn of the event loop: stepping
 * aside every so many rows lets the next page travel while this one is hashed, and keeps a long
 * verification from starving the rest of the process.
 */
const STEP_ASIDE_EVERY = 100;

/** Keyset page: the primary key index gives each page at the same cost, however deep. */
async function fetchPage(db: Db, after: number) {
  // Awaited here, not by the caller: a drizzle query starts only when awaited, and the next
  // page should be on its way while this one is hashed.
  return await db.select().from(evidenceEvent).where(gt(evidenceEvent.seq, after)).orderBy(asc(evidenceEvent.seq)).limit(PAGE);
}

type Page = Awaited<ReturnType<typeof fetchPage>>;

/** Walks the whole chain in sequence order, page by page, and names the first broken link. */
export async function verifyChain(db: Db, onProgress?: (checked: number) => void): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const bad = (reason: string): ChainReport => ({ ok: false, events: expectedSeq - 1, head: prevHash, firstBad: expectedSeq, reason });
  let next: Promise<Page> | undefined = fetchPage(db, 0);
  try {
    while (next) {
      const page: Page = await next;
      next = page.length === PAGE ? fetchPage(db, page[PAGE - 1]!.seq) : undefined;
      for (let i = 0; i < page.length; i++) {
        if (i % STEP_ASIDE_EVERY === 0) await nextTurn();
        const row = page[i]!;
        if (row.seq !== expectedSeq) return bad(`event ${expectedSeq} is missing (next stored is ${row.seq})`);
        if (row.prevHash !== prevHash) return bad(`event ${row.seq} does not link to the event before it`);
        if (eventHash(prevHash, row) !== row.hash) return bad(`event ${row.seq} was altered after it was written`);
        prevHash = row.hash;
        expectedSeq += 1;
      }
      onProgress?.(expectedSeq - 1);
    }
  } finally {
    // Stopped early (a bad link, or a throw): let the page fetched ahead finish, quietly, so no
    // query outlives the call (the caller may commit or close right after).
    await next?.catch(() => undefined);
  }
  return { ok: true, events: expectedSeq - 1, head: prevHash };
}
