import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseEachTest, type TestDeps } from '../helpers/database-hooks.js';
import { testDeps } from '../helpers/deps.js';
import { tempDirForFile } from '../helpers/temp-dir.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import { createFileConnector } from '../../src/connectors/file/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { syncDirectoryJob } from '../../src/jobs/sync-directory-job.js';
import { ROOT } from '../helpers/attest-process.js';
import { accessGrant, accessRequest, account, evidenceEvent, person, resource, syncRun } from '../../src/db/schema/index.js';

/**
 * Nothing is verified that was not removed, and nothing is removed that was not read: a source
 * that lists every account but no grants, or a resource without its holders, must neither wipe
 * the snapshot nor "prove" that a leaver's access is gone.
 */

let t: TestDatabase;
let deps: TestDeps;
databaseEachTest((fresh) => ({ t, deps } = fresh));
const dir = tempDirForFile('attest-fail-safe');

/** 12 accounts; Engineering (10 members), AWS Admins (2), and an app held directly or through Engineering. */
function org(): MemoryOrg {
  const accounts = Array.from({ length: 12 }, (_, i) => user(`u${i + 1}`, `p${i + 1}@acme.test`));
  return {
    accounts,
    resources: [group('g1', 'Engineering'), group('g2', 'AWS Admins', true), { ...group('a1', 'GitHub'), kind: 'app' }],
    grants: [
      ...accounts.slice(0, 10).map((a) => member(a.externalId, 'g1')),
      member('u3', 'g2'),
      member('u4', 'g2'),
      member('u3', 'a1', 'group:g1'),
      member('u11', 'a1'),
    ],
  };
}
const GRANTS = 14;

async function grantId(accountExt: string, resourceExt: string, via = 'direct') {
  const [row] = await t.db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(and(eq(account.externalId, accountExt), eq(resource.externalId, resourceExt), eq(accessGrant.via, via)));
  return row!.id;
}

/** A revocation carried out and waiting for a sync to prove it. */
async function revocation(target: { grantId: string } | { accountId: string }) {
  const [row] = await t.db
    .insert(accessRequest)
    .values({ kind: 'revoke', status: 'done', ...target, requestedBy: 'test', createdAt: deps.clock.now() })
    .returning();
  return row!.id;
}
const statusOf = async (id: string) => (await t.db.select().from(accessRequest).where(eq(accessRequest.id, id)))[0]!;
const liveGrants = async () => (await t.db.select().from(accessGrant).where(isNull(accessGrant.removedAt))).length;
const drop = (o: MemoryOrg, resourceExt: string) => o.grants.filter((g) => g.resourceExternalId !== resourceExt);

describe('the mass-removal hold covers grants and resources', () => {
  it('holds a run that drops every grant but keeps the accounts, and verifies nothing', async () => {
    const c = memoryConnector(org(), { pageSize: 50 });
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'g2') });

    c.org.grants = [];
    const held = await runSync(deps, c);
    expect(held).toMatchObject({ status: 'held', verified: 0 });
    expect(held.error).toBe(`would remove 100% of okta's live grants (${GRANTS} of ${GRANTS}); confirm with attest sync --source okta --confirm-removals`);
    expect(held.diff).toMatchObject({ grantsRemoved: GRANTS, accountsRemoved: 0 });
    expect(await liveGrants()).toBe(GRANTS);
    expect((await statusOf(req)).status).toBe('done');

    const [event] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'sync.held'));
    expect(event).toMatchObject({ subject: { syncRun: held.runId }, payload: { reason: held.error, removedGrants: GRANTS, removedAccounts: 0, removedResources: 0 } });
    const [run] = await t.db.select().from(syncRun).where(eq(syncRun.id, held.runId!));
    expect(run).toMatchObject({ status: 'held', error: held.error });
  });

  it('applies the held run when the removals are confirmed', async () => {
    const c = memoryConnector(org(), { pageSize: 50 });
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'g2') });
    c.org.grants = [];
    expect((await runSync(deps, c)).status).toBe('held');

    const confirmed = await runSync(deps, c, { confirmRemovals: true });
    expect(confirmed).toMatchObject({ status: 'succeeded', removed: GRANTS, verified: 1 });
    expect(await liveGrants()).toBe(0);
    // Every resource was still listed with its (now empty) list of holders: that is proof.
    expect(await statusOf(req)).toMatchObject({ status: 'verified', verifiedBySyncRunId: confirmed.runId });
  });

  it('names every kind it would remove too much of', async () => {
    const c = memoryConnector(org(), { pageSize: 50 });
    await runSync(deps, c);
    c.org.resources = [];
    c.org.grants = [];
    const held = await runSync(deps, c);
    expect(held.status).toBe('held');
    expect(held.error).toMatch(/^would remove 100% of okta's live grants \(14 of 14\) and 100% of okta's live resources \(3 of 3\);/);
  });

  it('does not hold a small org for a few removals, but does when a whole kind disappears', async () => {
    const small: MemoryOrg = {
      accounts: [user('u1', 'a@acme.test'), user('u2', 'b@acme.test'), user('u3', 'c@acme.test')],
      resources: [group('g1', 'Engineering')],
      grants: [member('u1', 'g1'), member('u2', 'g1'), member('u3', 'g1')],
    };
    const c = memoryConnector(small);
    await runSync(deps, c);
    c.org.grants = [member('u1', 'g1'), member('u2', 'g1')]; // 1 of 3: a third, yet below the floor
    expect(await runSync(deps, c)).toMatchObject({ status: 'succeeded', removed: 1 });
    c.org.grants = []; // the last two: every grant the source had
    const held = await runSync(deps, c);
    expect(held.status).toBe('held');
    expect(held.error).toMatch(/100% of okta's live grants \(2 of 2\)/);
    expect(held.error).not.toMatch(/accounts|resources/);
  });

  it('does not hold a source whose only grant goes', async () => {
    const c = memoryConnector({ accounts: [user('u1', 'a@acme.test')], resources: [group('g1', 'Engineering')], grants: [member('u1', 'g1')] });
    await runSync(deps, c);
    c.org.grants = [];
    expect(await runSync(deps, c)).toMatchObject({ status: 'succeeded', removed: 1 });
  });
});

describe('a removal is verified only by a run that read the resource it concerns', () => {
  it('verifies a revoked grant once a run lists the resource\'s holders without it', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'g2') });
    c.org.grants = c.org.grants.filter((g) => !(g.accountExternalId === 'u3' && g.resourceExternalId === 'g2'));
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', removed: 1, verified: 1 });
    expect(await statusOf(req)).toMatchObject({ status: 'verified', verifiedBySyncRunId: report.runId });
  });

  it('keeps the grant and leaves the removal pending when the resource is reported but its holders were not read', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'g2') });
    c.org.resources = c.org.resources.map((r) => (r.externalId === 'g2' ? { ...r, membersRead: false } : r));
    c.org.grants = drop(c.org, 'g2');
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', removed: 0, verified: 0 });
    expect(await liveGrants()).toBe(GRANTS);
    expect((await statusOf(req)).status).toBe('done');
    const [run] = await t.db.select().from(syncRun).where(eq(syncRun.id, report.runId!));
    expect(run!.totals).toMatchObject({ unreadGrants: 2 });

    // A later run that does list the holders proves it.
    c.org.resources = org().resources;
    const next = await runSync(deps, c);
    expect(next).toMatchObject({ removed: 2, verified: 1 });
    expect((await statusOf(req)).status).toBe('verified');
  });

  it('verifies the removal when the resource itself is gone from the source', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'g2') });
    c.org.resources = c.org.resources.filter((r) => r.externalId !== 'g2');
    c.org.grants = drop(c.org, 'g2');
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', removed: 2, verified: 1 });
    const [g2] = await t.db.select().from(resource).where(eq(resource.externalId, 'g2'));
    expect(g2!.removedAt).toEqual(deps.clock.now());
    expect(await statusOf(req)).toMatchObject({ status: 'verified', verifiedBySyncRunId: report.runId });
  });

  it('takes no proof from a grant that only moved to another path in the same run', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const req = await revocation({ grantId: await grantId('u3', 'a1', 'group:g1') });
    // The source now reports u3's GitHub access as direct instead of through Engineering.
    c.org.grants = c.org.grants.map((g) => (g.accountExternalId === 'u3' && g.resourceExternalId === 'a1' ? member('u3', 'a1') : g));
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', added: 1, removed: 1, verified: 0 });
    expect((await statusOf(req)).status).toBe('done');
  });

  it('neither removes nor takes as proof an account missing from a read that did not list every account', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    const [u12] = await t.db.select().from(account).where(eq(account.externalId, 'u12'));
    const req = await revocation({ accountId: u12!.id });
    c.org.accounts = c.org.accounts.filter((a) => a.externalId !== 'u12');
    c.coverage = { accounts: false };
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', removed: 0, verified: 0 });
    expect((await t.db.select().from(account).where(eq(account.externalId, 'u12')))[0]!.removedAt).toBeNull();
    expect((await t.db.select().from(person).where(eq(person.email, 'p12@acme.test')))[0]!.status).toBe('active');
    expect((await statusOf(req)).status).toBe('done');

    // Seen gone by a read that lists every account: proof.
    c.coverage = undefined;
    expect(await runSync(deps, c)).toMatchObject({ status: 'succeeded', removed: 1, verified: 1 });
    expect((await statusOf(req)).status).toBe('verified');
  });
});

describe('a directory file without grant columns', () => {
  const FULL = 'system,account_id,email,name,resource,resource_kind,via';
  const rows = [
    'aws,ann,ann@acme.test,Ann,PowerUserAccess,role,',
    'aws,ann,,,admins,group,',
    'aws,bob,bob@acme.test,Bob,ReadOnlyAccess,role,',
    'aws,bob,,,PowerUserAccess,role,group:admins',
    'aws,cy,cy@acme.test,Cy,ReadOnlyAccess,role,',
  ];

  it('lists accounts only: it removes no grant or resource and proves no removal', async () => {
    const path = join(dir, `accounts-only-${Date.now()}.csv`);
    writeFileSync(path, `${FULL}\n${rows.join('\n')}\n`);
    const file = createFileConnector({ path });
    await runSync(deps, file);
    expect(await liveGrants()).toBe(5);
    const req = await revocation({ grantId: await grantId('aws:bob', 'aws:ReadOnlyAccess') });

    // The same people, exported without the grant columns.
    writeFileSync(path, 'system,account_id,email,name\naws,ann,ann@acme.test,Ann\naws,bob,bob@acme.test,Bob\naws,cy,cy@acme.test,Cy\n');
    const report = await runSync(deps, file);
    expect(report).toMatchObject({ status: 'succeeded', accounts: 3, resources: 0, grants: 0, removed: 0, verified: 0 });
    expect(await liveGrants()).toBe(5);
    expect(await t.db.select().from(resource).where(isNull(resource.removedAt))).toHaveLength(3);
    expect((await statusOf(req)).status).toBe('done');
  });

  it('with its grant columns, proves a removal the file no longer lists', async () => {
    const path = join(dir, `full-${Date.now()}.json`);
    const json = (lines: string[]) =>
      JSON.stringify(
        lines.map((l) => {
          const [system, account_id, email, name, res, resource_kind, via] = l.split(',');
          return { system, account_id, email, name, resource: res, resource_kind, via };
        }),
      );
    writeFileSync(path, json(rows));
    const file = createFileConnector({ path });
    await runSync(deps, file);
    const req = await revocation({ grantId: await grantId('aws:bob', 'aws:ReadOnlyAccess') });
    writeFileSync(path, json(rows.filter((r) => !r.startsWith('aws,bob,bob@'))));
    const report = await runSync(deps, file);
    expect(report).toMatchObject({ status: 'succeeded', removed: 1, verified: 1 });
    expect((await statusOf(req)).status).toBe('verified');
  });
});

describe('the scheduled sync: one source failing does not stop the others', () => {
  it('a connector that cannot start is a failed run; the next source syncs and people are still mapped to Slack users', async () => {
    const jobDeps = testDeps(t.db, {
      GOOGLE_CREDENTIALS: join(dir, 'no-such-key.json'),
      GOOGLE_ADMIN_SUBJECT: 'admin@northwind.example',
      DIRECTORY_FILE: join(ROOT, 'examples/directory.csv'),
    });
    const chat = {
      async *listUsers() {
        yield [{ id: 'U0MAYA', email: 'maya@northwind.example', tz: null, deleted: false, isBot: false }];
      },
    };
    const reports = await syncDirectoryJob(jobDeps, chat);
    expect(reports.map((r) => [r.source, r.status])).toEqual([
      ['google', 'failed'],
      ['file', 'succeeded'],
    ]);
    expect(reports[0]!.error).toMatch(/could not start the google connector: .*no-such-key\.json/);
    const runs = await t.db.select({ source: syncRun.source, status: syncRun.status }).from(syncRun);
    expect(runs).toEqual(expect.arrayContaining([{ source: 'google', status: 'failed' }, { source: 'file', status: 'succeeded' }]));
    const [maya] = await t.db.select({ slack: person.slackUserId }).from(person).where(eq(person.email, 'maya@northwind.example'));
    expect(maya!.slack).toBe('U0MAYA');
  });
});
