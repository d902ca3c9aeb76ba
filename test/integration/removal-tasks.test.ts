import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessGrant, accessRequest, account, evidenceEvent, outbox, person, resource, task } from '../../src/db/schema/index.js';
import { planRemoval } from '../../src/domain/lifecycle/plan-removal.js';
import { runAutomatedTasks, MAX_ATTEMPTS } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { completeTask } from '../../src/domain/lifecycle/complete-task.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { grantRole } from '../../src/domain/people/grant-role.js';

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await t.drop();
});

async function setup(mode: 'auto' | 'task') {
  const deps = testDeps(t.db, { REVOKE_MODE: mode });
  const c = memoryConnector({
    accounts: [user('u1', 'boss@acme.test'), user('u2', 'li@acme.test', { manager: 'u1' })],
    resources: [group('g1', 'AWS Admins', true)],
    grants: [member('u2', 'g1')],
  });
  await runSync(deps, c);
  const [g] = await t.db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .where(eq(account.externalId, 'u2'));
  const [req] = await t.db
    .insert(accessRequest)
    .values({ kind: 'revoke', status: 'approved', grantId: g!.id, requestedBy: 'person:test', createdAt: deps.clock.now() })
    .returning();
  const registry = lazyRegistry(async (s) => (s === 'okta' ? c : undefined));
  return { deps, c, registry, requestId: req!.id };
}

const requestStatus = async (id: string) => (await t.db.select().from(accessRequest).where(eq(accessRequest.id, id)))[0]!.status;

describe('removals', () => {
  it('carries out an automatable removal, and the next sync verifies it', async () => {
    const { deps, c, registry, requestId } = await setup('auto');
    const planned = await t.db.transaction((tx) => planRemoval(tx, deps, registry, { requestId, actor: 'person:test' }));
    expect(planned.automated).toBe(true);
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 1, retried: 0, fellBack: 0 });
    expect(c.removed).toHaveLength(1);
    expect(await requestStatus(requestId)).toBe('done');
    const sync = await runSync(deps, c);
    expect(sync.verified).toBe(1);
    expect(await requestStatus(requestId)).toBe('verified');
  });

  it('retries a failing provider with backoff, then falls back to a manual task', async () => {
    const { deps, c, registry, requestId } = await setup('auto');
    c.failRemovals = { times: 99 };
    await t.db.transaction((tx) => planRemoval(tx, deps, registry, { requestId, actor: 'person:test' }));
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      expect(await runAutomatedTasks(deps, registry)).toMatchObject({ retried: 1 });
      expect(await runAutomatedTasks(deps, registry)).toMatchObject({ retried: 0, done: 0 }); // not due yet
      deps.clock.advance(2 * 3600_000);
    }
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ fellBack: 1 });
    const [tk] = await t.db.select().from(task);
    expect(tk).toMatchObject({ automated: false, status: 'open', ownerRole: 'it' });
    expect(c.removed).toHaveLength(0);
    expect(await requestStatus(requestId)).toBe('in_progress'); // never reported done
    const actions = (await t.db.select().from(evidenceEvent)).map((e) => e.action);
    expect(actions).toContain('task.fallback_manual');
  });

  it('a permanent error falls back at once', async () => {
    const { deps, c, registry, requestId } = await setup('auto');
    c.failRemovals = { times: 1, permanent: true };
    await t.db.transaction((tx) => planRemoval(tx, deps, registry, { requestId, actor: 'person:test' }));
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ fellBack: 1 });
  });

  it('in task mode the owner gets a manual task, and only they can mark it done', async () => {
    const { deps, registry, requestId } = await setup('task');
    const [boss] = await t.db.select().from(person).where(eq(person.email, 'boss@acme.test'));
    const [li] = await t.db.select().from(person).where(eq(person.email, 'li@acme.test'));
    await t.db.update(person).set({ slackUserId: 'UBOSS' }).where(eq(person.id, boss!.id));
    await t.db.update(resource).set({ ownerId: boss!.id });
    const planned = await t.db.transaction((tx) => planRemoval(tx, deps, registry, { requestId, actor: 'person:test' }));
    expect(planned).toMatchObject({ automated: false, ownerId: boss!.id });
    const [dm] = await t.db.select().from(outbox).where(eq(outbox.kind, 'task.assigned'));
    expect(dm).toMatchObject({ channel: 'UBOSS', payload: { taskId: planned.id } });

    await expect(completeTask(deps, { taskId: planned.id, actorPersonId: li!.id })).rejects.toThrow(/Only the owner/);
    const refused = (await t.db.select().from(evidenceEvent)).filter((e) => e.action === 'security.refused');
    expect(refused).toHaveLength(1);

    expect(await completeTask(deps, { taskId: planned.id, actorPersonId: boss!.id, note: 'removed in console' })).toMatchObject({ outcome: 'done', requestDone: true });
    expect(await completeTask(deps, { taskId: planned.id, actorPersonId: boss!.id })).toMatchObject({ outcome: 'already_done' });
    expect(await requestStatus(requestId)).toBe('done');
  });

  it('an IT role holder completes a task for a system with no owner', async () => {
    const { deps, registry, requestId } = await setup('task');
    const planned = await t.db.transaction((tx) => planRemoval(tx, deps, registry, { requestId, actor: 'person:test' }));
    expect(planned.ownerRole).toBe('it');
    const { personId } = await grantRole(deps, { email: 'it@acme.test', role: 'it', actor: 'test' });
    expect(await completeTask(deps, { taskId: planned.id, actorPersonId: personId })).toMatchObject({ outcome: 'done' });
  });
});
