/** postgres-js answers `execute` with the rows themselves, PGlite with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  const raw = result as T[] | { rows: T[] };
  return Array.isArray(raw) ? raw : raw.rows;
}
