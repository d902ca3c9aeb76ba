import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessRequest, evidenceEvent, outbox, person, resource } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { requestAccess } from '../../src/domain/lifecycle/request-access.js';
import { decideAccessRequest } from '../../src/domain/lifecycle/decide-access-request.js';
import { expireAccess } from '../../src/domain/lifecycle/expire-access.js';
import { runAutomatedTasks } from '../../src/domain/lifecycle/run-automated-tasks.js';
import { grantRole } from '../../src/domain/people/grant-role.js';

let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' }), user('u-olga', 'olga@acme.test')],
  resources: [group('g-eng', 'Engineering'), group('g-adm', 'AWS Admins', true), group('g-db', 'DB Admins', true)],
  grants: [],
});
okta.addGroupMembership = async (accountId, groupId) => {
  okta.org.grants.push(member(accountId, groupId));
};
const registry = lazyRegistry(async (s) => (s === 'okta' ? okta : undefined));
const ids: Record<string, string> = {};
const resources: Record<string, string> = {};

const requestRow = async (id: string) => (await t.db.select().from(accessRequest).where(eq(accessRequest.id, id)))[0]!;
const updates = async (id: string) =>
  (await t.db.select().from(outbox).where(and(eq(outbox.kind, 'request.update'), sql`${outbox.payload}->>'requestId' = ${id}`))).map((o) => o.payload.event);
const refusals = async () => (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'))).length;

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { REVOKE_MODE: 'auto' });
  await runSync(deps, okta);
  for (const p of await t.db.select().from(person)) ids[p.email.split('@')[0]!] = p.id;
  for (const r of await t.db.select().from(resource)) resources[r.externalId] = r.id;
  for (const [name, slack] of [['boss', 'UBOSS'], ['ana', 'UANA'], ['olga', 'UOLGA']] as const) {
    await t.db.update(person).set({ slackUserId: slack }).where(eq(person.id, ids[name]!));
  }
  await t.db.update(resource).set({ ownerId: ids.olga! }).where(sql`${resource.privileged}`);
});
afterAll(async () => {
  await t.drop();
});

describe('access requests', () => {
  it('the manager approves once; only a named approver decides; the grant is made and the requester kept informed', async () => {
    const req = await requestAccess(deps, { requesterPersonId: ids.ana!, resourceId: resources['g-eng']!, reason: 'new project', durationDays: null });
    expect(req.approvers).toEqual([{ personId: ids.boss, role: 'manager' }]);
    const [ask] = await t.db.select().from(outbox).where(eq(outbox.kind, 'request.approval'));
    expect(ask).toMatchObject({ channel: 'UBOSS', payload: { requestId: req.requestId } });
    expect(await requestAccess(deps, { requesterPersonId: ids.ana!, resourceId: resources['g-eng']!, reason: 'again', durationDays: null })).toMatchObject({ requestId: req.requestId, created: false });

    const before = await refusals();
    await expect(decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.olga!, decision: 'approve' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.ana!, decision: 'approve' })).rejects.toThrow(/own request/);
    expect(await refusals()).toBe(before + 2);

    const decided = await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.boss!, decision: 'approve' });
    expect(decided).toMatchObject({ outcome: 'recorded', status: 'approved' });
    expect(await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.boss!, decision: 'deny' })).toMatchObject({
      outcome: 'already_decided',
      decidedBy: ids.boss,
      decision: 'approve',
    });
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 1 });
    expect(okta.org.grants).toContainEqual(member('u-ana', 'g-eng'));
    expect((await requestRow(req.requestId)).status).toBe('done');
    expect(await updates(req.requestId)).toEqual(['submitted', 'approved', 'done']);
  });

  it('privileged access needs the manager and the owner, and expires into a removal the next sync verifies', async () => {
    const req = await requestAccess(deps, { requesterPersonId: ids.ana!, resourceId: resources['g-adm']!, reason: 'incident', durationDays: 7 });
    expect(req.approvers.map((a) => a.role)).toEqual(['manager', 'owner']);
    expect(await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.boss!, decision: 'approve' })).toMatchObject({
      status: 'pending_approval',
      waitingFor: [ids.olga],
    });
    expect((await requestRow(req.requestId)).details.approverId).toBe(ids.olga);
    expect(await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.olga!, decision: 'approve' })).toMatchObject({ status: 'approved' });
    const approved = await requestRow(req.requestId);
    expect(approved.expiresAt).toEqual(new Date(deps.clock.now().getTime() + 7 * 86_400_000));
    expect(approved.approvedBy).toBe(`person:${ids.boss},person:${ids.olga}`);
    await runAutomatedTasks(deps, registry);
    await runSync(deps, okta);

    expect(await expireAccess(deps, registry, deps.clock.now())).toEqual({ expired: 0, removals: 0 });
    deps.clock.advance(7 * 86_400_000 + 1);
    expect(await expireAccess(deps, registry, deps.clock.now())).toEqual({ expired: 1, removals: 1 });
    expect(await expireAccess(deps, registry, deps.clock.now())).toEqual({ expired: 0, removals: 0 });
    expect(await runAutomatedTasks(deps, registry)).toMatchObject({ done: 1 });
    expect(okta.org.grants).not.toContainEqual(member('u-ana', 'g-adm'));
    expect(await runSync(deps, okta)).toMatchObject({ verified: 1 });
    const [revoke] = await t.db.select().from(accessRequest).where(eq(accessRequest.origin, `expiry:${req.requestId}`));
    expect(revoke).toMatchObject({ kind: 'revoke', status: 'verified' });
    expect(await updates(req.requestId)).toEqual(['submitted', 'approval_recorded', 'approved', 'done', 'expired']);
  });

  it('a deny ends the request, and a late approver is told who denied', async () => {
    const req = await requestAccess(deps, { requesterPersonId: ids.ana!, resourceId: resources['g-db']!, reason: 'curious', durationDays: 1 });
    expect(await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.olga!, decision: 'deny', reason: 'not needed' })).toMatchObject({ status: 'denied' });
    expect(await decideAccessRequest(deps, registry, { requestId: req.requestId, actorPersonId: ids.boss!, decision: 'approve' })).toMatchObject({
      outcome: 'already_decided',
      status: 'denied',
      decidedBy: ids.olga,
      decision: 'deny',
    });
    expect(await updates(req.requestId)).toEqual(['submitted', 'denied']);
  });

  it('nobody approves their own request: an owner asking for their own resource gets an admin', async () => {
    const { personId: admin } = await grantRole(deps, { email: 'admin@acme.test', role: 'admin', actor: 'test' });
    const req = await requestAccess(deps, { requesterPersonId: ids.olga!, resourceId: resources['g-db']!, reason: 'migration', durationDays: 30 });
    expect(req.approvers).toEqual([{ personId: admin, role: 'admin' }]);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('on Postgres (real concurrency): one open request per person and resource', () => {
  it('five submissions at the same moment make one request, one evidence event and one approver DM', async () => {
    await grantRole(deps, { email: 'approver@acme.test', role: 'admin', actor: 'test' }); // olga has no manager
    const submit = () => requestAccess(deps, { requesterPersonId: ids.olga!, resourceId: resources['g-eng']!, reason: 'double click', durationDays: null });
    const results = await Promise.all(Array.from({ length: 5 }, submit));
    const requestIds = new Set(results.map((r) => r.requestId));
    expect(requestIds.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [requestId] = [...requestIds];
    const rows = await t.db
      .select({ id: accessRequest.id })
      .from(accessRequest)
      .where(and(eq(accessRequest.subjectPersonId, ids.olga!), eq(accessRequest.resourceId, resources['g-eng']!)));
    expect(rows).toEqual([{ id: requestId }]);
    const created = await t.db.select().from(evidenceEvent).where(and(eq(evidenceEvent.action, 'request.created'), sql`${evidenceEvent.subject}->>'person' = ${ids.olga!} and ${evidenceEvent.subject}->>'resource' = ${resources['g-eng']!}`));
    expect(created).toHaveLength(1);
    const asks = await t.db.select().from(outbox).where(and(eq(outbox.kind, 'request.approval'), sql`${outbox.payload}->>'requestId' = ${requestId!}`));
    expect(asks).toHaveLength(1);
  });
});
