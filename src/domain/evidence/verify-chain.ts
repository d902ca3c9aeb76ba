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

const PAGE = 5000;

/** Walks the whole chain in sequence order, page by page, and names the first broken link. */
export async function verifyChain(db: Db, onProgress?: (checked: number) => void): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(evidenceEvent)
      .where(gt(evidenceEvent.seq, after))
      .orderBy(asc(evidenceEvent.seq))
      .limit(PAGE);
    for (const row of page) {
      const bad = (reason: string): ChainReport => ({
        ok: false,
        events: expectedSeq - 1,
        head: prevHash,
        firstBad: expectedSeq,
        reason,
      });
      if (row.seq !== expectedSeq) return bad(`event ${expectedSeq} is missing (next stored is ${row.seq})`);
      if (row.prevHash !== prevHash) return bad(`event ${row.seq} does not link to the event before it`);
      if (eventHash(prevHash, row) !== row.hash) return bad(`event ${row.seq} was altered after it was written`);
      prevHash = row.hash;
      expectedSeq += 1;
    }
    onProgress?.(expectedSeq - 1);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  return { ok: true, events: expectedSeq - 1, head: prevHash };
}
