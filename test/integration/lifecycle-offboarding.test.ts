import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessRequest, evidenceEvent, outbox, person, resource, task } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import { getCase } from '../../src/domain/lifecycle/get-case.js';
import { escalateOverdueTasks } from '../../src/domain/lifecycle/escalate-overdue-tasks.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import type { SourceAccount } from '../../src/connectors/types.js';

// One database for the file: each test offboards its own person, so they do not interfere.
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const HOUR = 3600_000;

/** An app outside the IdP, like DIRECTORY_FILE: readable, but nothing can be done automatically. */
const appAccount = (id: string, email: string): SourceAccount => ({
  ...user(id, email),
  system: 'aws',
  login: email.split('@')[0]!,
});
const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' }), user('u-cy', 'cy@acme.test', { manager: 'u-boss' }), user('u-dee', 'dee@acme.test')],
  resources: [group('g-eng', 'Engineering'), group('g-adm', 'AWS Admins', true)],
  grants: [member('u-ana', 'g-eng'), member('u-ana', 'g-adm'), member('u-cy', 'g-eng'), member('u-dee', 'g-eng')],
});
const file = memoryConnector(
  {
    accounts: [appAccount('f-ana', 'ana@acme.test'), appAccount('f-cy', 'cy@acme.test')],
    resources: [{ externalId: 'aws-admin', system: 'aws', kind: 'role', name: 'AWS AdministratorAccess', privileged: true }],
    grants: [member('f-ana', 'aws-admin'), member('f-cy', 'aws-admin')],
  },
  { source: 'file' },
);
delete file.deactivateAccount;
file.canRemove = () => false;
const registry = lazyRegistry(async (s) => (s === 'okta' ? okta : s === 'file' ? file : undefined));

const personId = async (email: string) => (await t.db.select().from(person).where(eq(person.email, email)))[0]!.id;
const count = async (action: string) => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, action))).length;

let hrId: string;
let itId: string;
let ownerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { REVOKE_MODE: 'auto', SYNC_MAX_REMOVAL_SHARE: '1', OFFBOARDING_SLA_HOURS: '24' });
  await runSync(deps, okta);
  await runSync(deps, file);
  hrId = (await grantRole(deps, { email: 'hr@acme.test', role: 'hr', actor: 'test' })).personId;
  itId = (await grantRole(deps, { email: 'it@acme.test', role: 'it', actor: 'test' })).personId;
  ownerId = await personId('cy@acme.test');
  await t.db.update(person).set({ slackUserId: 'UHR' }).where(eq(person.id, hrId));
  await t.db.update(person).set({ slackUserId: 'UBOSS' }).where(eq(person.email, 'boss@acme.test'));
  // cy owns the AWS role in the file source (and reports to boss, who is told when cy is late).
  await t.db.update(resource).set({ ownerId: ownerId }).where(eq(resource.externalId, 'aws-admin'));
});
afterAll(async () => {
  await t.drop();
});

describe('offboarding', () => {
  it('plans a task for every account and grant in every source, runs automated ones at the effective time, and closes after syncs verify', async () => {
    deps.clock.set('2026-10-01T09:00:00Z');
    const effectiveAt = new Date('2026-10-01T17:00:00Z');
    const res = await startOffboarding(deps, registry, { person: 'ana@acme.test', effectiveAt, reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });
    expect(res.created).toBe(true);

    const view = await getCase(t.db, res.caseId);
    expect(view).toMatchObject({ kind: 'offboard', status: 'in_progress', effectiveAt, dueAt: new Date(effectiveAt.getTime() + 24 * HOUR) });
    const byAction = Object.fromEntries(view.tasks.map((x) => [x.description, x]));
    expect(Object.keys(byAction).sort()).toEqual([
      "Deactivate ana@acme.test's aws account (ana)",
      "Deactivate ana@acme.test's okta account (ana@acme.test)",
      'Remove ana@acme.test from AWS AdministratorAccess in aws',
    ]);
    expect(byAction["Deactivate ana@acme.test's okta account (ana@acme.test)"]).toMatchObject({ automated: true, notBefore: effectiveAt });
    expect(byAction["Deactivate ana@acme.test's aws account (ana)"]).toMatchObject({ automated: false, ownerRole: 'it' });
    expect(byAction['Remove ana@acme.test from AWS AdministratorAccess in aws']).toMatchObject({ automated: false, ownerId });
    expect(view.tasks.every((x) => x.deadline?.getTime() === view.dueAt!.getTime())).toBe(true);
    expect((await t.db.select().from(person).where(eq(person.email, 'ana@acme.test')))[0]!.status).toBe('leaving');

    const [started] = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'offboarding.started'));
    const planned = started!.payload.tasks as { covers: string[] }[];
    expect(planned).toHaveLength(3);
    expect(planned.some((p) => p.covers.length === 2)).toBe(true); // the Okta groups go with the account
    const [hrMsg] = await t.db.select().from(outbox).where(eq(outbox.kind, 'case.status'));
    expect(hrMsg).toMatchObject({ channel: 'UHR', payload: { caseId: res.caseId } });

    // Not before the effective time.
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 0 });
    deps.clock.set('2026-10-01T17:00:01Z');
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 1 });
    expect(okta.org.accounts.find((a) => a.externalId === 'u-ana')!.status).toBe('deprovisioned');

    await completeTask(deps, { taskId: byAction["Deactivate ana@acme.test's aws account (ana)"]!.id, actorPersonId: itId });
    await completeTask(deps, { taskId: byAction['Remove ana@acme.test from AWS AdministratorAccess in aws']!.id, actorPersonId: ownerId });
    expect((await getCase(t.db, res.caseId)).status).toBe('done'); // carried out, not yet proved

    await runSync(deps, okta);
    expect((await getCase(t.db, res.caseId)).status).toBe('done'); // the file removals are still unproved
    file.org.accounts = file.org.accounts.filter((a) => a.externalId !== 'f-ana');
    file.org.grants = file.org.grants.filter((g) => g.accountExternalId !== 'f-ana');
    expect(await runSync(deps, file)).toMatchObject({ status: 'succeeded', verified: 2 });

    const closed = await getCase(t.db, res.caseId);
    expect(closed.status).toBe('verified');
    expect(closed.tasks.every((x) => x.verified && x.status === 'done')).toBe(true);
    expect(closed.tasks.find((x) => x.ownerId === ownerId)!.doneByName).toBe('cy');
    expect(closed.timeline.map((e) => e.event)).toEqual(['requested', 'effective', 'task.done', 'task.done', 'task.done', 'done', 'verified', 'verified', 'verified', 'closed']);
    expect(closed.timeline.find((e) => e.event === 'closed')!.actor).toBe('sync:file');
    expect(await count('offboarding.closed')).toBe(1);
  });

  it('refuses someone without the hr role, on the record, and accepts HR', async () => {
    const boss = await personId('boss@acme.test');
    const before = await count('security.refused');
    await expect(
      startOffboarding(deps, registry, { person: 'dee@acme.test', reasonCategory: 'termination', actor: `person:${boss}`, actorPersonId: boss, origin: 'slack' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await count('security.refused')).toBe(before + 1);
    const dee = await personId('dee@acme.test');
    expect(await t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'offboard'), eq(accessRequest.subjectPersonId, dee)))).toHaveLength(0);

    const res = await startOffboarding(deps, registry, { person: 'dee@acme.test', reasonCategory: 'termination', actor: `person:${hrId}`, actorPersonId: hrId, origin: 'slack' });
    const again = await startOffboarding(deps, registry, { person: dee, reasonCategory: 'termination', actor: `person:${hrId}`, actorPersonId: hrId, origin: 'slack' });
    expect(again).toEqual({ caseId: res.caseId, created: false, taskIds: [] });
    expect(await t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'offboard'), eq(accessRequest.subjectPersonId, dee)))).toHaveLength(1);
  });

  it('escalates an overdue task once, to the owner’s manager and HR', async () => {
    deps.clock.set('2026-10-05T09:00:00Z');
    const res = await startOffboarding(deps, registry, { person: 'cy@acme.test', reasonCategory: 'termination', actor: 'cli:test', origin: 'cli' });
    const ownerTask = (await getCase(t.db, res.caseId)).tasks.find((x) => x.ownerId === ownerId)!;
    await escalateOverdueTasks(deps, new Date('2026-10-05T12:00:00Z')); // earlier tests' cases are overdue by now
    expect((await t.db.select().from(task).where(eq(task.id, ownerTask.id)))[0]!.escalatedAt).toBeNull(); // not yet due
    const late = new Date('2026-10-06T10:00:00Z');
    const before = await count('task.escalated');
    const first = await escalateOverdueTasks(deps, late);
    expect(first.escalated).toBeGreaterThanOrEqual(2); // cy's own IT task and the role-owner task
    expect(await escalateOverdueTasks(deps, late)).toEqual({ escalated: 0 });
    const overdue = await t.db.select().from(outbox).where(and(eq(outbox.kind, 'task.overdue'), sql`${outbox.payload}->>'taskId' = ${ownerTask.id}`));
    expect(overdue.map((o) => o.channel).sort()).toEqual(['UBOSS', 'UHR']);
    expect((await t.db.select().from(task).where(eq(task.id, ownerTask.id)))[0]!.escalatedAt).toEqual(late);
    expect(await count('task.escalated')).toBe(before + first.escalated);
  });
});
