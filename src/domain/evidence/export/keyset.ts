/** Rows per query: big enough to amortise the round trip, small enough to keep memory flat. */
export const PAGE_SIZE = 1000;

/**
 * Keyset pagination as a stream of rows: each page starts after the last key of the one before,
 * so a 100,000-row table is never held at once and no page costs more than the first (unlike
 * OFFSET). The next page is asked for before this one is handed on, so the database works
 * while the rows are written (at most two pages in memory). `fetchPage` must order by the key.
 *
 * Before asking for the next page it lets the event loop turn once: on PGlite (one lock, and
 * queries that run on this thread) that is when a waiting HTTP request gets read and queues its
 * query, which the lock then serves before the export's next page.
 */
export async function* keyset<T, K>(
  fetchPage: (after: K | null, limit: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  size = PAGE_SIZE,
): AsyncGenerator<T> {
  let page = await fetchPage(null, size);
  for (;;) {
    if (page.length === size) await turn();
    const next = page.length === size ? fetchPage(keyOf(page[page.length - 1]!), size) : null;
    // Observed by the await below; this only keeps an abandoned prefetch from being "unhandled".
    next?.catch(() => undefined);
    yield* page;
    if (!next) return;
    page = await next;
  }
}

/** Lets pending I/O callbacks run (setImmediate comes after the poll phase). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs a paged query once per campaign, in campaign order. */
export async function* perCampaign<C, T>(campaigns: C[], rowsOf: (c: C) => AsyncIterable<T>): AsyncGenerator<T> {
  for (const c of campaigns) yield* rowsOf(c);
}
