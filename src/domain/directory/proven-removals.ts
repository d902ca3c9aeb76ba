import { USABLE_STATUSES } from '../../connectors/types.js';
import type { SnapshotDiff } from './diff-snapshot.js';

/**
 * What this run proves gone, for verifyRemovals: grants it saw disappear, and accounts it saw
 * disappear or become unusable. diffSnapshot already leaves out what the run could not have seen
 * (a resource whose holders were not listed, a list the source does not cover). One more
 * disappearance is no proof: a grant whose account holds the same resource through a path that
 * appeared in this same run. The access moved rather than ended (a directory file that lost its
 * `via` column reports a group-held grant as direct).
 */
export function provenRemovals(diff: SnapshotDiff): { removedGrantIds: string[]; disabledAccountIds: string[] } {
  const pair = (accountExternalId: string, resourceExternalId: string) => `${accountExternalId}\u0000${resourceExternalId}`;
  const moved = new Set(diff.addedGrants.map((g) => pair(g.accountExternalId, g.resourceExternalId)));
  return {
    removedGrantIds: diff.removedGrants.filter((g) => !moved.has(pair(g.accountExternalId, g.resourceExternalId))).map((g) => g.id),
    disabledAccountIds: [
      ...diff.removedAccounts.map((a) => a.id),
      ...diff.changedAccounts.filter((c) => c.changes.status && !USABLE_STATUSES.includes(c.src.status)).map((c) => c.row.id),
    ],
  };
}
