import { sql } from 'drizzle-orm';
import type { ReadCoverage } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import { diffGrants, type GrantDiff } from './diff-grants.js';
import {
  accountChangedFields,
  resourceChangedFields,
  stagedAccounts,
  stagedResources,
  unreadLiveAccounts,
  unreadLiveResources,
  type StageScope,
} from './directory-sql.js';

/** How one kind (accounts or resources) differs, as counts: the rows stay in the database. */
export interface KindDiff {
  read: number;
  /** Not in the database, or there but removed earlier. */
  added: number;
  /** Live, with an attribute changed. */
  changed: number;
  /** Live and not read, by a read that listed them all. */
  removed: number;
  /** The source's live ones before this run. */
  live: number;
}

export interface DirectoryDiff {
  accounts: KindDiff;
  resources: KindDiff;
  grants: GrantDiff;
  /** Accounts read, by status (the run's totals). */
  accountsByStatus: Record<string, number>;
}

export interface DiffScope extends StageScope {
  coverage: ReadCoverage;
}

const n = (x: unknown) => Number(x ?? 0);

/** Set-based, in the database: how the staged read differs from the source's snapshot. */
export async function diffDirectory(db: Db, scope: DiffScope): Promise<DirectoryDiff> {
  const accounts = await kindDiff(db, {
    staged: sql`
      select count(*) as read,
        count(*) filter (where a.id is null or a.removed_at is not null) as added,
        count(*) filter (where a.removed_at is null and a.id is not null and cardinality(${accountChangedFields()}) > 0) as changed,
        count(*) filter (where a.removed_at is null and a.id is not null) as matched
      from ${stagedAccounts(scope)}`,
    unread: sql`select count(*) as unread from ${unreadLiveAccounts(scope)}`,
    covered: scope.coverage.accounts,
  });
  const resources = await kindDiff(db, {
    staged: sql`
      select count(*) as read,
        count(*) filter (where r.id is null or r.removed_at is not null) as added,
        count(*) filter (where r.removed_at is null and r.id is not null and cardinality(${resourceChangedFields()}) > 0) as changed,
        count(*) filter (where r.removed_at is null and r.id is not null) as matched
      from ${stagedResources(scope)}`,
    unread: sql`select count(*) as unread from ${unreadLiveResources(scope)}`,
    covered: scope.coverage.resources,
  });
  const byStatus = rowsOf<{ status: string; n: string }>(
    await db.execute(sql`select status, count(*) as n from sync_stage_account where stage_id = ${scope.stageId} group by status`),
  );
  return {
    accounts,
    resources,
    grants: await diffGrants(db, { source: scope.source, stageId: scope.stageId, coverage: scope.coverage }),
    accountsByStatus: Object.fromEntries(byStatus.map((r) => [`accounts.${r.status}`, n(r.n)])),
  };
}

async function kindDiff(db: Db, q: { staged: ReturnType<typeof sql>; unread: ReturnType<typeof sql>; covered: boolean }): Promise<KindDiff> {
  const [staged] = rowsOf<Record<string, unknown>>(await db.execute(q.staged));
  const [unread] = rowsOf<Record<string, unknown>>(await db.execute(q.unread));
  return {
    read: n(staged?.read),
    added: n(staged?.added),
    changed: n(staged?.changed),
    // Missing from a read that did not list them all is unknown, not gone.
    removed: q.covered ? n(unread?.unread) : 0,
    live: n(staged?.matched) + n(unread?.unread),
  };
}
