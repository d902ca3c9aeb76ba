import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { evidenceEvent, task } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * An automated task whose worker died mid-attempt (crash, OOM kill, the shutdown bound) used to
 * stay `running` forever: never retried, never done, the leaver's case never closed. Its claim
 * is now a lease; once it runs out, the task is claimed again and carried out once.
 */
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' })],
  resources: [group('g-eng', 'Engineering')],
  grants: [member('u-ana', 'g-eng')],
});

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { REVOKE_MODE: 'auto' });
  await runSync(deps, okta);
});
afterAll(async () => {
  await t.drop();
});

describe('automated task leases', () => {
  it('reclaims a task whose worker died mid-attempt once its lease runs out, and records it done once', async () => {
    await startOffboarding(deps, lazyRegistry(async () => okta), { person: 'ana@acme.test', effectiveAt: deps.clock.now(), reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });

    // The first worker claims the task and "dies": its Okta call never comes back.
    let release!: () => void;
    const stuck = { ...okta, deactivateAccount: () => new Promise<void>((resolve) => (release = resolve)) };
    const dead = runAutomatedTasks(deps, lazyRegistry(async () => stuck));
    await new Promise((r) => setTimeout(r, 200));
    const [claimed] = await t.db.select().from(task).where(eq(task.automated, true));
    expect(claimed).toMatchObject({ status: 'running', attempts: 1 });

    // Within the lease nobody else takes it.
    const leaseMs = deps.config.TASK_LEASE_S * 1000;
    deps.clock.advance(leaseMs - 1000);
    expect(await runAutomatedTasks(deps, lazyRegistry(async () => okta))).toMatchObject({ claimed: 0, done: 0 });

    // After it, the next run claims it again and carries it out.
    deps.clock.advance(2000);
    expect(await runAutomatedTasks(deps, lazyRegistry(async () => okta))).toMatchObject({ done: 1 });
    const [done] = await t.db.select().from(task).where(eq(task.id, claimed!.id));
    expect(done).toMatchObject({ status: 'done', attempts: 2, lockedUntil: null });

    // The first worker coming back late changes nothing and records nothing.
    release();
    expect(await dead).toMatchObject({ done: 0, retried: 0, fellBack: 0 });
    const events = await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'task.done'));
    expect(events).toHaveLength(1);
  });
});
