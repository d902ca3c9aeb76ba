import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessRequest, campaign, evidenceEvent, outbox, person, reviewItem, task, webhookDelivery } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { hookRoutes } from '../../src/http/hooks/hook-routes.js';
import { signHr } from '../../src/http/hooks/verify-hr-signature.js';
import type { HookHandler } from '../../src/http/hooks/types.js';
import { hooksRouteGroup } from '../../src/http/hooks/route-group.js';
import { buildRoutes } from '../../src/http/routes.js';
import { startHttpServer } from '../../src/http/server.js';

const SECRET = 'hr-test-secret';
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let hr: HookHandler;
const okta = memoryConnector({
  accounts: [user('u-boss', 'boss@acme.test'), user('u-ana', 'ana@acme.test', { manager: 'u-boss' }), user('u-kim', 'kim@acme.test'), user('u-lee', 'lee@acme.test', { manager: 'u-boss' })],
  resources: [group('g-eng', 'Engineering')],
  grants: [member('u-ana', 'g-eng'), member('u-lee', 'g-eng')],
});
const registry = lazyRegistry(async (s) => (s === 'okta' ? okta : undefined));

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { HR_WEBHOOK_SECRET: SECRET });
  await runSync(deps, okta);
  await grantRole(deps, { email: 'admin@acme.test', role: 'admin', actor: 'test' });
  hr = hookRoutes(deps, registry)['/hooks/hr']!;
});
afterAll(async () => {
  await t.drop();
});

const unix = () => Math.floor(deps.clock.now().getTime() / 1000);
function post(body: unknown, opts: { t?: number; secret?: string; header?: string | null } = {}) {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = opts.t ?? unix();
  const signature = `t=${ts},v1=${signHr(opts.secret ?? SECRET, ts, rawBody)}`;
  const headers = opts.header === null ? {} : { 'X-Attest-Signature': opts.header ?? signature };
  return hr({ method: 'POST', headers, rawBody });
}
const event = (id: string, type: string, employee: Record<string, unknown>) => ({ id, type, occurred_at: '2026-10-01T08:00:00Z', employee });

/** Rows in every table a webhook could write to. */
async function footprint() {
  const n = async (table: typeof accessRequest | typeof task | typeof outbox | typeof webhookDelivery | typeof evidenceEvent | typeof person | typeof campaign) =>
    Number((await t.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);
  return [await n(accessRequest), await n(task), await n(outbox), await n(webhookDelivery), await n(evidenceEvent), await n(person), await n(campaign)];
}

describe('POST /hooks/hr', () => {
  it('accepts a signed termination with 202 and answers a redelivery with 200 and the same case_id', async () => {
    const body = event('evt-1', 'employee.terminated', { email: 'ANA@acme.test', effective_at: '2026-10-02T17:00:00Z' });
    const first = await post(body);
    expect(first.status).toBe(202);
    const caseId = (first.body as { case_id: string }).case_id;
    const [kase] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, caseId));
    expect(kase).toMatchObject({ kind: 'offboard', origin: 'hr:evt-1', effectiveAt: new Date('2026-10-02T17:00:00Z'), requestedBy: 'webhook:hr' });
    const before = await footprint();
    expect(await post(body)).toEqual({ status: 200, body: { case_id: caseId } });
    expect(await footprint()).toEqual(before);
  });

  it('refuses bad and stale signatures, malformed bodies and unknown people, creating nothing', async () => {
    const good = event('evt-2', 'employee.terminated', { email: 'kim@acme.test' });
    const before = await footprint();
    expect((await post(good, { secret: 'wrong' })).status).toBe(401);
    expect((await post(good, { header: null })).status).toBe(401);
    expect((await post(good, { header: 't=abc,v1=00' })).status).toBe(401);
    expect((await post(good, { t: unix() - 301 })).status).toBe(401);
    expect((await post(good, { t: unix() + 301 })).status).toBe(401);
    expect(await post('{not json')).toEqual({ status: 400, body: { error: expect.any(String), field: 'body' } });
    expect(await post({ ...good, employee: {} })).toMatchObject({ status: 400, body: { field: 'employee.email' } });
    expect(await post({ ...good, employee: { email: 'not-an-email' } })).toMatchObject({ status: 400, body: { field: 'employee.email' } });
    expect(await post({ ...good, type: 'employee.promoted' })).toMatchObject({ status: 400, body: { field: 'type' } });
    expect(await post({ ...good, id: undefined })).toMatchObject({ status: 400, body: { field: 'id' } });
    expect(await post({ ...good, occurred_at: 'yesterday' })).toMatchObject({ status: 400, body: { field: 'occurred_at' } });
    expect(await post(event('evt-3', 'employee.hired', { email: 'new@acme.test', name: 'New' }))).toMatchObject({ status: 400, body: { field: 'employee.start_date' } });
    expect(await post(event('evt-4', 'employee.terminated', { email: 'ghost@acme.test' }))).toMatchObject({ status: 422 });
    expect(await post(event('evt-5', 'employee.transferred', { email: 'ghost@acme.test', department: 'Sales' }))).toMatchObject({ status: 422 });
    expect(await footprint()).toEqual(before);
    // The signed, valid event is then accepted: nothing above consumed its id.
    expect((await post(good)).status).toBe(202);
  });

  it('opens an onboarding case for a hire', async () => {
    const res = await post(event('evt-6', 'employee.hired', { email: 'nia@acme.test', name: 'Nia', manager_email: 'boss@acme.test', department: 'Engineering', title: 'Engineer', start_date: '2026-10-12' }));
    expect(res.status).toBe(202);
    const [kase] = await t.db.select().from(accessRequest).where(eq(accessRequest.id, (res.body as { case_id: string }).case_id));
    expect(kase).toMatchObject({ kind: 'onboard', origin: 'hr:evt-6', effectiveAt: new Date('2026-10-12T00:00:00Z') });
    expect((await t.db.select().from(person).where(eq(person.email, 'nia@acme.test')))[0]).toMatchObject({ name: 'Nia', status: 'active' });
  });

  it('records a transfer and launches a mover review reviewed by the new manager', async () => {
    await t.db.update(person).set({ slackUserId: 'UKIM' }).where(eq(person.email, 'kim@acme.test')); // reviewers must be reachable
    const res = await post(event('evt-7', 'employee.transferred', { email: 'lee@acme.test', department: 'Sales', title: 'Account Executive', manager_email: 'kim@acme.test' }));
    expect(res.status).toBe(202);
    const [c] = await t.db.select().from(campaign).where(eq(campaign.id, (res.body as { case_id: string }).case_id));
    expect(c).toMatchObject({ kind: 'mover', status: 'launched', scope: { personIds: [expect.any(String)] } });
    expect(c!.dueAt).toEqual(new Date(deps.clock.now().getTime() + 14 * 86_400_000));
    const [lee] = await t.db.select().from(person).where(eq(person.email, 'lee@acme.test'));
    const [kim] = await t.db.select().from(person).where(eq(person.email, 'kim@acme.test'));
    expect(lee).toMatchObject({ department: 'Sales', title: 'Account Executive', managerId: kim!.id });
    const items = await t.db.select().from(reviewItem).where(eq(reviewItem.campaignId, c!.id));
    expect(items.map((i) => i.reviewerId)).toEqual([kim!.id]);
  });

  it('answers 405 to anything but POST', async () => {
    expect(await hr({ method: 'GET', headers: {}, rawBody: '' })).toMatchObject({ status: 405 });
  });

  it('is served by the HTTP server from the raw body, and unmounted paths stay 404', async () => {
    const server = await startHttpServer(
      { routes: buildRoutes([hooksRouteGroup], { ...deps, database: { ping: async () => {} } }), logger: deps.logger },
      0,
      '127.0.0.1',
    );
    try {
      const rawBody = JSON.stringify(event('evt-http', 'employee.terminated', { email: 'ghost@acme.test' }));
      const signature = `t=${unix()},v1=${signHr(SECRET, unix(), rawBody)}`;
      const url = `http://127.0.0.1:${server.port}`;
      const ok = await fetch(`${url}/hooks/hr`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-attest-signature': signature }, body: rawBody });
      expect(ok.status).toBe(422); // authenticated and parsed: the person is unknown
      const tampered = await fetch(`${url}/hooks/hr`, { method: 'POST', headers: { 'x-attest-signature': signature }, body: `${rawBody} ` });
      expect(tampered.status).toBe(401);
      expect((await fetch(`${url}/hooks/okta`)).status).toBe(404); // OKTA_EVENT_HOOK_SECRET is not set
    } finally {
      await server.close(0);
    }
  });
});
