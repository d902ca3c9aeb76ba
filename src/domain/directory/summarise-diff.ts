import type { SnapshotDiff } from './diff-snapshot.js';

const SAMPLE = 20;

/** A readable account of a diff for dry runs and held runs: counts and a sample of each kind. */
export interface DiffSummary {
  accountsAdded: number;
  accountsChanged: number;
  accountsRemoved: number;
  resourcesAdded: number;
  resourcesRemoved: number;
  grantsAdded: number;
  grantsRemoved: number;
  sample: { added: string[]; changed: string[]; removed: string[] };
}

export function summariseDiff(diff: SnapshotDiff): DiffSummary {
  return {
    accountsAdded: diff.addedAccounts.length,
    accountsChanged: diff.changedAccounts.length,
    accountsRemoved: diff.removedAccounts.length,
    resourcesAdded: diff.addedResources.length,
    resourcesRemoved: diff.removedResources.length,
    grantsAdded: diff.grants.added,
    grantsRemoved: diff.grants.removed,
    sample: {
      added: diff.addedAccounts.slice(0, SAMPLE).map((a) => `${a.src.system}:${a.src.login}`),
      changed: diff.changedAccounts
        .slice(0, SAMPLE)
        .map((c) => `${c.row.system}:${c.row.login} (${Object.keys(c.changes).join(', ')})`),
      removed: diff.removedAccounts.slice(0, SAMPLE).map((a) => `${a.system}:${a.login}`),
    },
  };
}
