import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseEachTest, type TestDeps } from '../helpers/database-hooks.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { verifyChain } from '../../src/domain/evidence/verify-chain.js';
import { accessGrant, accessRequest, account, evidenceEvent, person, syncRun } from '../../src/db/schema/index.js';

let t: TestDatabase;
let deps: TestDeps;
databaseEachTest((fresh) => ({ t, deps } = fresh));

function baseOrg(): MemoryOrg {
  return {
    accounts: [
      user('u1', 'ceo@acme.test', { department: 'Exec' }),
      user('u2', 'maria@acme.test', { manager: 'u1' }),
      user('u3', 'li@acme.test', { manager: 'maria@acme.test' }),
      user('u4', 'svc-backup@acme.test', { person: null, email: null, login: 'svc-backup' }),
      user('u5', 'gone@acme.test', { status: 'deprovisioned', rawStatus: 'DEPROVISIONED', manager: 'u2' }),
    ],
    resources: [group('g1', 'Engineering'), group('g2', 'AWS Admins', true)],
    grants: [member('u2', 'g1'), member('u3', 'g1'), member('u3', 'g2'), member('u4', 'g2')],
  };
}

const events = async () => (await t.db.select().from(evidenceEvent)).length;

describe('directory sync', () => {
  it('builds the snapshot, links people, managers and orphans, and logs each change', async () => {
    const report = await runSync(deps, memoryConnector(baseOrg()));
    expect(report).toMatchObject({ status: 'succeeded', accounts: 5, resources: 2, grants: 4, added: 9, removed: 0 });

    const li = (await t.db.select().from(person).where(eq(person.email, 'li@acme.test')))[0]!;
    const maria = (await t.db.select().from(person).where(eq(person.email, 'maria@acme.test')))[0]!;
    const ceo = (await t.db.select().from(person).where(eq(person.email, 'ceo@acme.test')))[0]!;
    expect(li.managerId).toBe(maria.id);
    expect(maria.managerId).toBe(ceo.id);

    const orphan = (await t.db.select().from(account).where(eq(account.externalId, 'u4')))[0]!;
    expect(orphan.personId).toBeNull();
    expect(orphan.removedAt).toBeNull();

    const gone = (await t.db.select().from(person).where(eq(person.email, 'gone@acme.test')))[0]!;
    expect(gone.status).toBe('terminated');

    const privileged = await t.db.select().from(accessGrant).where(eq(accessGrant.privileged, true));
    expect(privileged).toHaveLength(2);

    // The first sync of a source is its baseline: one event with the counts and a digest.
    const logged = await t.db.select().from(evidenceEvent);
    expect(logged.map((e) => e.action)).toEqual(['directory.baseline']);
    expect(logged[0]!.payload).toMatchObject({ accounts: 5, grants: 4, privilegedGrants: 2, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await verifyChain(t.db)).ok).toBe(true);
  });

  it('logs each account and grant that appears after the baseline', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    c.org.accounts.push(user('u6', 'new@acme.test', { manager: 'u2' }));
    c.org.grants.push(member('u6', 'g2'));
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ added: 2, removed: 0 });
    const logged = await t.db.select().from(evidenceEvent);
    const added = logged.filter((e) => e.action === 'grant.added');
    expect(added).toHaveLength(1);
    expect(added[0]!.payload).toMatchObject({ privileged: true });
    expect(logged.map((e) => e.action)).toEqual(expect.arrayContaining(['person.created', 'account.created', 'grant.added']));
    expect(added[0]!.subject.syncRun).toBe(report.runId);
  });

  it('writes no events and touches no rows when nothing changed', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    const before = await events();
    const rowsBefore = await t.db.select().from(account);
    deps.clock.advance(3600_000);
    const again = await runSync(deps, c);
    expect(again).toMatchObject({ status: 'succeeded', added: 0, removed: 0, changed: 0 });
    expect(await events()).toBe(before);
    expect(await t.db.select().from(account)).toEqual(rowsBefore);
    expect(await t.db.select().from(syncRun)).toHaveLength(2);
  });

  it('changes nothing when a late page fails, and records the run as failed with the reason', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    const before = await events();
    c.org.grants = [member('u2', 'g1')]; // would remove three grants
    c.failOnPage = 5; // the last page: the grants
    const report = await runSync(deps, c);
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/page 5/);
    expect(await events()).toBe(before);
    const live = await t.db.select().from(accessGrant).where(sql`${accessGrant.removedAt} is null`);
    expect(live).toHaveLength(4);
    const [run] = await t.db.select().from(syncRun).where(eq(syncRun.status, 'failed'));
    expect(run?.error).toMatch(/HTTP 500/);
  });

  it('records grant removals, status changes and movers on the next run', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    c.org.grants = c.org.grants.filter((g) => !(g.accountExternalId === 'u3' && g.resourceExternalId === 'g2'));
    c.org.accounts[2] = user('u3', 'li@acme.test', { manager: 'u1', department: 'Platform' });
    c.org.accounts[1] = user('u2', 'maria@acme.test', { manager: 'u1', status: 'suspended', rawStatus: 'SUSPENDED' });
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', removed: 1 });
    const actions = (await t.db.select().from(evidenceEvent)).map((e) => e.action);
    expect(actions).toContain('grant.removed');
    expect(actions).toContain('account.status_changed');
    expect(actions).toContain('person.moved');
  });

  it("writes who answers for an orphaned account, and counts a new owner as a change, with its event", async () => {
    const org = baseOrg();
    org.accounts[3] = { ...org.accounts[3]!, ownerEmail: ' Ops-Lead@Acme.test ' };
    const c = memoryConnector(org);
    await runSync(deps, c);
    const owner = async () => (await t.db.select().from(account).where(eq(account.externalId, 'u4')))[0]!.ownerEmail;
    expect(await owner()).toBe('ops-lead@acme.test');

    c.org.accounts[3] = { ...c.org.accounts[3]!, ownerEmail: 'sre@acme.test' };
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', added: 0, removed: 0, changed: 1 });
    expect(await owner()).toBe('sre@acme.test');
    const [event] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'account.owner_changed'));
    expect(event!.payload).toMatchObject({ login: 'svc-backup', from: 'ops-lead@acme.test', to: 'sre@acme.test' });
    expect(event!.subject.syncRun).toBe(report.runId);

    const before = await events();
    expect(await runSync(deps, c)).toMatchObject({ changed: 0 });
    expect(await events()).toBe(before);
  });

  it('counts each account and person whose attributes changed, and links an account by a known alias', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    await t.db.update(person).set({ aliases: ['maria.old@acme.test'] }).where(eq(person.email, 'maria@acme.test'));
    c.org.accounts[0] = { ...c.org.accounts[0]!, displayName: 'The CEO' };
    c.org.accounts[2] = user('u3', 'li@acme.test', { manager: 'maria@acme.test', title: 'Staff Engineer' });
    c.org.accounts.push(user('u7', 'maria.old@acme.test', { person: null, system: 'okta' }));
    const report = await runSync(deps, c);
    // u1's display name, li's title; the new account is an addition, not a change.
    expect(report).toMatchObject({ status: 'succeeded', added: 1, changed: 2 });
    const [maria] = await t.db.select().from(person).where(eq(person.email, 'maria@acme.test'));
    const [u7] = await t.db.select().from(account).where(eq(account.externalId, 'u7'));
    expect(u7!.personId).toBe(maria!.id);
    const updated = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'person.updated'));
    expect(updated.map((e) => e.payload)).toEqual([{ email: 'li@acme.test', changes: { title: { from: 'Engineer', to: 'Staff Engineer' } } }]);
  });

  it('holds a run that would remove far more accounts than usual, until confirmed', async () => {
    const org = baseOrg();
    for (let i = 0; i < 20; i++) org.accounts.push(user(`x${i}`, `x${i}@acme.test`));
    const c = memoryConnector(org, { pageSize: 50 });
    await runSync(deps, c);
    c.org.accounts = c.org.accounts.slice(0, 5);
    const held = await runSync(deps, c);
    expect(held.status).toBe('held');
    expect(held.diff?.accountsRemoved).toBe(20);
    expect(await t.db.select().from(account).where(sql`${account.removedAt} is not null`)).toHaveLength(0);

    const confirmed = await runSync(deps, c, { confirmRemovals: true });
    expect(confirmed).toMatchObject({ status: 'succeeded', removed: 20 });
  });

  it('a dry run reports the difference and changes nothing', async () => {
    const c = memoryConnector(baseOrg());
    const report = await runSync(deps, c, { dryRun: true });
    expect(report.status).toBe('dry_run');
    expect(report.diff?.accountsAdded).toBe(5);
    expect(report.diff?.sample.added).toEqual(['okta:ceo@acme.test', 'okta:maria@acme.test', 'okta:li@acme.test', 'okta:svc-backup', 'okta:gone@acme.test']);
    expect(await t.db.select().from(account)).toHaveLength(0);
    expect(await events()).toBe(0);
  });

  it('marks a pending removal verified when its grant disappears, with the run as proof', async () => {
    const c = memoryConnector(baseOrg());
    await runSync(deps, c);
    const [g] = await t.db
      .select({ id: accessGrant.id })
      .from(accessGrant)
      .innerJoin(account, eq(account.id, accessGrant.accountId))
      .where(eq(account.externalId, 'u4'));
    const [req] = await t.db
      .insert(accessRequest)
      .values({ kind: 'revoke', status: 'done', grantId: g!.id, requestedBy: 'test', createdAt: new Date() })
      .returning();
    c.org.grants = c.org.grants.filter((x) => x.accountExternalId !== 'u4');
    const report = await runSync(deps, c);
    expect(report.verified).toBe(1);
    const [after] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, req!.id));
    expect(after).toMatchObject({ status: 'verified', verifiedBySyncRunId: report.runId });
  });
});
