import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import type { DirectoryDiff } from './diff-directory.js';
import { accountChangedFields, stagedAccounts, unreadLiveAccounts, type StageScope } from './directory-sql.js';

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

/** The counts come with the diff; the samples (the first few by id) are read from the database. */
export async function summariseDiff(db: Db, scope: StageScope, diff: DirectoryDiff): Promise<DiffSummary> {
  const sample = async (query: ReturnType<typeof sql>) => rowsOf<{ s: string }>(await db.execute(query)).map((r) => r.s);
  return {
    accountsAdded: diff.accounts.added,
    accountsChanged: diff.accounts.changed,
    accountsRemoved: diff.accounts.removed,
    resourcesAdded: diff.resources.added,
    resourcesRemoved: diff.resources.removed,
    grantsAdded: diff.grants.added,
    grantsRemoved: diff.grants.removed,
    sample: {
      added: diff.accounts.added === 0 ? [] : await sample(sql`
        select sa.system || ':' || sa.login as s from ${stagedAccounts(scope)} and (a.id is null or a.removed_at is not null)
        order by sa.seq limit ${SAMPLE}`),
      changed: diff.accounts.changed === 0 ? [] : await sample(sql`
        select x.s from (
          select a.system || ':' || a.login || ' (' || array_to_string(${accountChangedFields()}, ', ') || ')' as s,
            cardinality(${accountChangedFields()}) as k, sa.seq
          from ${stagedAccounts(scope)} and a.removed_at is null
        ) x where x.k > 0 order by x.seq limit ${SAMPLE}`),
      removed: diff.accounts.removed === 0 ? [] : await sample(sql`
        select a.system || ':' || a.login as s from ${unreadLiveAccounts(scope)} order by a.external_id limit ${SAMPLE}`),
    },
  };
}
