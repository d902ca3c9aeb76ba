import { desc } from 'drizzle-orm';
import type { Clock } from '../../../clock.js';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';

/**
 * What a bundle shows, fixed before the first file is written, so that every file agrees with
 * the others however long the export takes and whatever happens meanwhile.
 */
export interface ExportSnapshot {
  /** The instant the bundle stands at: the period of an open campaign ends here. */
  at: Date;
  /** The head of the log at that instant: the evidence segment never reaches past it. */
  lastSeq: number;
  /**
   * Set when the bundle is read in many small reads rather than one database snapshot (PGlite):
   * rows are then shown as they stood at `at`, leaving out what was created or done after it.
   */
  rowsAsOf: Date | null;
}

/** How long the snapshot waits, at most, for the clock to move past `at` (see below). */
const TICK_WAIT_MS = 5;

/**
 * Reads the head of the log and the instant it stands for. In chunked mode this runs in its own
 * short transaction, which on PGlite holds the only connection: a decision recorded before it is
 * stamped no later than `at` and its event is at or below `lastSeq`; one recorded after it waits
 * for the lock, and by then the clock has moved past `at` (the transaction waits a few
 * milliseconds for that), so it is stamped later and left out by both bounds alike.
 */
export async function fixSnapshot(db: Db, clock: Clock, chunked: boolean): Promise<ExportSnapshot> {
  const read = async (tx: Db) => {
    const [head] = await tx.select({ seq: evidenceEvent.seq, at: evidenceEvent.at }).from(evidenceEvent).orderBy(desc(evidenceEvent.seq)).limit(1);
    // Never before the head: appendEvidence never stamps an event earlier than the one before.
    const at = new Date(Math.max(clock.now().getTime(), head?.at.getTime() ?? 0));
    return { at, lastSeq: head?.seq ?? 0 };
  };
  if (!chunked) return { ...(await read(db)), rowsAsOf: null };
  const fixed = await db.transaction(async (tx) => {
    const s = await read(tx);
    for (let waited = 0; clock.now().getTime() <= s.at.getTime() && waited < TICK_WAIT_MS; waited += 1) await sleep(1);
    return s;
  });
  return { ...fixed, rowsAsOf: fixed.at };
}

/**
 * PGlite serves every query of this process through one lock, so one long transaction would
 * stall everything else (Slack clicks, webhooks, /readyz); postgres-js has a pool, whose client
 * is a function. Anything else is read in chunks, which is correct everywhere.
 */
export function readsInChunks(db: Db): boolean {
  return typeof (db as { $client?: unknown }).$client !== 'function';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
