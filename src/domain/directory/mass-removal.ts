import type { DirectoryDiff } from './diff-directory.js';

/**
 * Below this many removals of a kind, a run is not held for its share alone. A small org's
 * ordinary day (one leaver's 3 grants of 12, 2 accounts of 8) must not wait for a person to
 * confirm it, or operators learn to set SYNC_MAX_REMOVAL_SHARE to 1. A run that would remove
 * every live one of a kind (all grants gone while the accounts stay: a file that lost its grant
 * columns, a token that lost a scope) is held however few there are, from two up: a source's
 * only grant going is an ordinary removal, not a mass one.
 */
export const HOLD_FLOOR = 10;

interface KindCount {
  kind: 'accounts' | 'grants' | 'resources';
  removed: number;
  live: number;
}

/**
 * Why this run must wait for `--confirm-removals`, or null when it may be applied. The same rule
 * for accounts, grants and resources: more than `maxShare` of the source's live ones, and at
 * least HOLD_FLOOR of them or all of them (when there were at least two). `maxShare` 1 never holds.
 */
export function massRemoval(source: string, diff: DirectoryDiff, maxShare: number): string | null {
  const counts: KindCount[] = [
    { kind: 'accounts', removed: diff.accounts.removed, live: diff.accounts.live },
    { kind: 'grants', removed: diff.grants.removed, live: diff.grants.live },
    { kind: 'resources', removed: diff.resources.removed, live: diff.resources.live },
  ];
  const over = counts.filter((c) => c.live > 0 && c.removed > maxShare * c.live && (c.removed >= HOLD_FLOOR || (c.removed === c.live && c.live > 1)));
  if (over.length === 0) return null;
  const what = over.map((c) => `${percent(c.removed, c.live)} of ${source}'s live ${c.kind} (${n(c.removed)} of ${n(c.live)})`);
  return `would remove ${what.join(' and ')}; confirm with attest sync --source ${source} --confirm-removals`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Whole percent, never rounded up to 100% (or down to 0%) when it is not all (or none). */
function percent(part: number, whole: number): string {
  const p = Math.round((100 * part) / whole);
  return `${part === whole ? 100 : Math.min(99, Math.max(1, p))}%`;
}
