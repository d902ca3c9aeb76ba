import type { Db } from '../../src/db/client.js';

/**
 * Makes every transaction on `db` wait `ms` after its work and before it commits, until the
 * returned function is called. A listener that acks before it commits then answers Slack while
 * its change is still invisible, which a test can see deterministically.
 */
export function slowCommits(db: Db, ms: number): () => void {
  const original = db.transaction;
  db.transaction = (async (fn: (tx: Db) => Promise<unknown>, config?: unknown) =>
    original.call(
      db,
      async (tx: Db) => {
        const result = await fn(tx);
        await new Promise((r) => setTimeout(r, ms));
        return result;
      },
      config as never,
    )) as typeof db.transaction;
  return () => {
    db.transaction = original;
  };
}
