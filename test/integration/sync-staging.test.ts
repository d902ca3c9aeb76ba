import { describe, expect, it } from 'vitest';
import { eq, isNull, sql } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseEachTest, type TestDeps } from '../helpers/database-hooks.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import type { Connector, DirectoryPage } from '../../src/connectors/types.js';
import { rowsOf } from '../../src/db/rows-of.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessGrant, syncRun } from '../../src/db/schema/index.js';

/**
 * A sync streams what it reads into staging tables and diffs them in SQL. Those rows belong to
 * one run: they never survive it, never reach another run's diff, and a crashed run's are swept.
 */

let t: TestDatabase;
let deps: TestDeps;
databaseEachTest((fresh) => ({ t, deps } = fresh));

function org(): MemoryOrg {
  const accounts = Array.from({ length: 12 }, (_, i) => user(`u${i + 1}`, `p${i + 1}@acme.test`));
  return {
    accounts,
    resources: [group('g1', 'Engineering'), group('g2', 'AWS Admins', true)],
    grants: [...accounts.slice(0, 10).map((a) => member(a.externalId, 'g1')), member('u3', 'g2'), member('u4', 'g2')],
  };
}

async function staged(): Promise<number> {
  const [row] = rowsOf<{ n: string }>(
    await t.db.execute(sql`
      select (select count(*) from sync_stage) + (select count(*) from sync_stage_account)
        + (select count(*) from sync_stage_resource) + (select count(*) from sync_stage_grant) as n`),
  );
  return Number(row!.n);
}
const liveGrants = async () => (await t.db.select().from(accessGrant).where(isNull(accessGrant.removedAt))).length;

/** Yields the given pages, then runs `after` (at the moment the read ends). */
function pagesConnector(pages: DirectoryPage[], after?: () => Promise<void>): Connector {
  return {
    source: 'okta',
    async *read() {
      for (const p of pages) yield structuredClone(p);
      await after?.();
    },
    canRemove: () => false,
  };
}

describe('sync staging', () => {
  it('leaves no staging rows behind, whatever the outcome', async () => {
    const c = memoryConnector(org(), { pageSize: 50 });
    expect(await runSync(deps, c, { dryRun: true })).toMatchObject({ status: 'dry_run' });
    expect(await staged()).toBe(0);
    expect(await runSync(deps, c)).toMatchObject({ status: 'succeeded', grants: 12 });
    expect(await staged()).toBe(0);
    c.org.grants = [];
    expect(await runSync(deps, c)).toMatchObject({ status: 'held' });
    expect(await staged()).toBe(0);
    c.failOnPage = 2;
    expect(await runSync(deps, c)).toMatchObject({ status: 'failed' });
    expect(await staged()).toBe(0);
  });

  it('ignores what a crashed run staged, marks that run interrupted, and sweeps its rows once they are stale', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    // A run that died a day ago after staging a read in which u5 held AWS Admins.
    const [dead] = await t.db
      .insert(syncRun)
      .values({ source: 'okta', status: 'running', startedAt: new Date(deps.clock.now().getTime() - 25 * 3600_000) })
      .returning();
    for (const statement of [
      `insert into sync_stage (id, source, started_at) values ('${dead!.id}', 'okta', now() - interval '25 hours')`,
      `insert into sync_stage_account (stage_id, external_id) values ('${dead!.id}', 'u5')`,
      `insert into sync_stage_resource (stage_id, external_id, privileged, members_read) values ('${dead!.id}', 'g2', true, true)`,
      `insert into sync_stage_grant (stage_id, account_external_id, resource_external_id, via, privileged) values ('${dead!.id}', 'u5', 'g2', 'direct', true)`,
    ]) {
      await t.raw(statement);
    }

    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', grants: 12, added: 0, removed: 0 });
    expect(await liveGrants()).toBe(12);
    expect(await staged()).toBe(0);
    const [after] = await t.db.select().from(syncRun).where(eq(syncRun.id, dead!.id));
    expect(after!.status).toBe('interrupted');
  });

  it('keeps the stage of an earlier run that may still be reading', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const [slow] = await t.db.insert(syncRun).values({ source: 'okta', status: 'running', startedAt: new Date(deps.clock.now().getTime() - 60_000) }).returning();
    await t.raw(`insert into sync_stage (id, source, started_at) values ('${slow!.id}', 'okta', now() - interval '1 minute')`);
    await t.raw(`insert into sync_stage_grant (stage_id, account_external_id, resource_external_id, via, privileged) values ('${slow!.id}', 'u5', 'g2', 'direct', true)`);
    expect(await runSync(deps, c)).toMatchObject({ status: 'succeeded', added: 0, removed: 0 });
    expect(await staged()).toBe(2);
  });

  it('fails, changing nothing, when its stage was swept before it applied', async () => {
    await runSync(deps, memoryConnector(org()));
    const smaller = org();
    smaller.grants = smaller.grants.slice(0, 11);
    const pages: DirectoryPage[] = [{ accounts: smaller.accounts }, { resources: smaller.resources }, { grants: smaller.grants }];
    const swept = pagesConnector(pages, () => t.raw('delete from sync_stage'));
    await expect(runSync(deps, swept)).rejects.toThrow(/cleared by a later run/);
    expect(await liveGrants()).toBe(12);
    const runs = await t.db.select({ status: syncRun.status }).from(syncRun);
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
  });

  it('takes a grant read before its account and resource, and a grant read twice once', async () => {
    const o = org();
    const pages: DirectoryPage[] = [{ grants: o.grants }, { grants: o.grants.slice(0, 3) }, { resources: o.resources }, { accounts: o.accounts }];
    const report = await runSync(deps, pagesConnector(pages));
    expect(report).toMatchObject({ status: 'succeeded', accounts: 12, resources: 2, grants: 12 });
    expect(await liveGrants()).toBe(12);
  });

  it('keeps out a grant whose account or resource was not read, and counts it', async () => {
    const o = org();
    const pages: DirectoryPage[] = [{ accounts: o.accounts, resources: o.resources }, { grants: [...o.grants, member('nobody', 'g1'), member('u1', 'nothing')] }];
    const report = await runSync(deps, pagesConnector(pages));
    expect(report).toMatchObject({ status: 'succeeded', grants: 12 });
    const [run] = await t.db.select().from(syncRun).where(eq(syncRun.id, report.runId!));
    expect(run!.totals).toMatchObject({ danglingGrants: 2 });
  });
});
