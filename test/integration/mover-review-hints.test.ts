import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accessGrant, resource, reviewItem } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { transferPerson } from '../../src/domain/lifecycle/transfer-person.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * A mover review freezes its items' hints by index lookups (hints-sql `perItem`), not by the
 * launch's whole-directory aggregates: the same answers for the few items of one person.
 *
 *   Sales: nine people, all holding CRM; Tiny: two people; mo (Engineering) holds CRM and Wiki,
 *   which nobody in Sales holds. mo moves to Sales, then to Tiny.
 */
function moverOrg(): MemoryOrg {
  const sales = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => user(`s${n}`, `s${n}@acme.test`, { manager: 'boss', department: 'Sales' }));
  const tiny = [1, 2].map((n) => user(`t${n}`, `t${n}@acme.test`, { manager: 'boss', department: 'Tiny' }));
  return {
    accounts: [user('boss', 'boss@acme.test', { department: 'Exec' }), user('mo', 'mo@acme.test', { manager: 'boss', department: 'Engineering' }), ...sales, ...tiny],
    resources: [group('g1', 'CRM'), group('g2', 'Wiki')],
    grants: [member('mo', 'g1'), member('mo', 'g2'), ...sales.map((s) => member(s.externalId, 'g1'))],
  };
}

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  deps.clock.set(new Date('2026-10-01T09:00:00Z'));
  expect((await runSync(deps, memoryConnector(moverOrg()))).status).toBe('succeeded');
  // The campaign owner of a mover review: the first admin.
  await grantRole(deps, { email: 'boss@acme.test', role: 'admin', actor: 'test' });
}, 60_000);
afterAll(() => t?.drop());

async function hintsByResource(campaignId: string) {
  const rows = await t.db
    .select({ name: resource.name, hints: reviewItem.hints })
    .from(reviewItem)
    .innerJoin(accessGrant, eq(accessGrant.id, reviewItem.grantId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(eq(reviewItem.campaignId, campaignId));
  return Object.fromEntries(rows.map((r) => [r.name, r.hints]));
}

describe('a mover review’s hints', () => {
  it('flags access few of the new department hold, counting the mover among them', async () => {
    const res = await transferPerson(deps, { email: 'mo@acme.test', department: 'Sales', managerEmail: 'boss@acme.test', actor: 'hr', origin: 'test' });
    const hints = await hintsByResource(res.campaignId);
    expect(hints.Wiki).toMatchObject({ unusual: { holders: 1, peers: 10, department: 'Sales' }, outsideRequest: true });
    expect(hints.CRM).toMatchObject({ unusual: null });
  });

  it('flags nothing as unusual in a department too small for a share to mean anything', async () => {
    deps.clock.advance(86_400_000);
    const res = await transferPerson(deps, { email: 'mo@acme.test', department: 'Tiny', managerEmail: 'boss@acme.test', actor: 'hr', origin: 'test' });
    const hints = await hintsByResource(res.campaignId);
    expect(Object.keys(hints).sort()).toEqual(['CRM', 'Wiki']);
    expect(hints.Wiki).toMatchObject({ unusual: null });
    expect(hints.CRM).toMatchObject({ unusual: null });
  });
});
