import { USABLE_STATUSES } from '../../connectors/types.js';
import type { SnapshotDiff } from './diff-snapshot.js';

/**
 * The accounts this run proves gone or unusable, for verifyRemovals: those it saw disappear or
 * become unusable. diffSnapshot already leaves out what the run could not have seen (a list the
 * source does not cover). The grants it proves gone come from applyGrants, which leaves out a
 * grant that only moved to another path in the same run.
 */
export function provenRemovals(diff: SnapshotDiff): { disabledAccountIds: string[] } {
  return {
    disabledAccountIds: [
      ...diff.removedAccounts.map((a) => a.id),
      ...diff.changedAccounts.filter((c) => c.changes.status && !USABLE_STATUSES.includes(c.src.status)).map((c) => c.row.id),
    ],
  };
}
