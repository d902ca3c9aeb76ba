import { lte, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * Helpers that show a row as it stood at a snapshot instant (ExportSnapshot.rowsAsOf), for a
 * bundle read in chunks: a thing done after that instant was not done yet. Every helper is the
 * identity when `asOf` is null (one database snapshot already holds everything still).
 */

/** A SQL bound `column <= asOf`, or nothing. */
export function notAfter(column: PgColumn, asOf: Date | null): SQL | undefined {
  return asOf ? lte(column, asOf) : undefined;
}

/** The time, or null when it is after the snapshot. */
export function seenAt(d: Date | null | undefined, asOf: Date | null): Date | null {
  if (!d) return null;
  return asOf && d.getTime() > asOf.getTime() ? null : d;
}

export interface RequestProgress {
  status: string;
  approvedAt?: Date | null;
  doneAt: Date | null;
  verifiedAt: Date | null;
  carriedOutBy?: string | null;
  verifiedBySyncRunId?: string | null;
}

/**
 * A request's progress as of the snapshot: a removal carried out or proved after it shows as
 * not yet done, with the status it had then, inferred from the timestamps the statuses leave:
 * approved (approvedAt), done (doneAt), verified (verifiedAt); a request with no approval step
 * (a case) was in progress. A status with no timestamp of its own (denied, failed, cancelled) is
 * kept as it is.
 */
export function requestAsOf<T extends RequestProgress>(r: T, asOf: Date | null): T {
  if (!asOf) return r;
  const doneAt = seenAt(r.doneAt, asOf);
  const verifiedAt = seenAt(r.verifiedAt, asOf);
  const approvedAt = r.approvedAt === undefined ? undefined : seenAt(r.approvedAt, asOf);
  let status = r.status;
  if (status === 'verified' && !verifiedAt) status = 'done';
  if (status === 'done' && !doneAt) status = !r.approvedAt ? 'in_progress' : approvedAt ? 'approved' : 'pending_approval';
  return {
    ...r,
    status,
    doneAt,
    verifiedAt,
    ...(approvedAt !== undefined ? { approvedAt } : {}),
    ...(r.carriedOutBy !== undefined && !doneAt && r.doneAt ? { carriedOutBy: null } : {}),
    ...(r.verifiedBySyncRunId !== undefined && !verifiedAt ? { verifiedBySyncRunId: null } : {}),
  };
}
