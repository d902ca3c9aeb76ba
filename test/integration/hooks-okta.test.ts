import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { accessRequest, person, webhookDelivery } from '../../src/db/schema/index.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { hookRoutes } from '../../src/http/hooks/hook-routes.js';
import type { HookHandler } from '../../src/http/hooks/types.js';

const SECRET = 'okta-shared-authorization-value';
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let okta: HookHandler;
const source = memoryConnector({
  accounts: [user('00u-ana', 'ana@acme.test'), user('00u-bo', 'bo@acme.test')],
  resources: [group('g-eng', 'Engineering')],
  grants: [member('00u-ana', 'g-eng')],
});
const registry = lazyRegistry(async (s) => (s === 'okta' ? source : undefined));

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db, { OKTA_EVENT_HOOK_SECRET: SECRET });
  await runSync(deps, source);
  okta = hookRoutes(deps, registry)['/hooks/okta']!;
});
afterAll(async () => {
  await t.drop();
});

/** The shape Okta posts: data.events[], each with its targets. */
const delivery = (...events: { uuid: string; eventType: string; userId: string; login: string }[]) =>
  JSON.stringify({
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    data: {
      events: events.map((e) => ({
        uuid: e.uuid,
        published: '2026-10-01T08:59:59.000Z',
        eventType: e.eventType,
        displayMessage: 'Deactivate Okta user',
        actor: { id: '00uadmin', type: 'User', alternateId: 'admin@acme.test' },
        target: [{ id: e.userId, type: 'User', alternateId: e.login, displayName: e.login }],
      })),
    },
  });
const offboardCases = async (email: string) => {
  const [p] = await t.db.select().from(person).where(eq(person.email, email));
  return t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'offboard'), eq(accessRequest.subjectPersonId, p!.id)));
};

describe('GET|POST /hooks/okta', () => {
  it('answers the verification GET with the challenge, only with the right Authorization', async () => {
    const headers = { authorization: SECRET, 'x-okta-verification-challenge': 'abc123' };
    expect(await okta({ method: 'GET', headers, rawBody: '' })).toEqual({ status: 200, body: { verification: 'abc123' } });
    expect(await okta({ method: 'GET', headers: { ...headers, authorization: 'nope' }, rawBody: '' })).toMatchObject({ status: 401 });
    expect(await okta({ method: 'GET', headers: { 'x-okta-verification-challenge': 'abc123' }, rawBody: '' })).toMatchObject({ status: 401 });
  });

  it('refuses a POST without the right Authorization, doing nothing', async () => {
    const body = delivery({ uuid: 'e-0', eventType: 'user.lifecycle.deactivate', userId: '00u-bo', login: 'bo@acme.test' });
    expect(await okta({ method: 'POST', headers: { authorization: `${SECRET}x` }, rawBody: body })).toMatchObject({ status: 401 });
    expect(await offboardCases('bo@acme.test')).toHaveLength(0);
    expect(await t.db.select().from(webhookDelivery)).toHaveLength(0);
  });

  it('opens one offboarding case for a deactivation, however often it is delivered', async () => {
    // Okta confirms it when asked (okta-hook-confirm.test.ts covers events it does not confirm).
    Object.assign(source.org.accounts.find((a) => a.externalId === '00u-ana')!, { status: 'deprovisioned', rawStatus: 'DEPROVISIONED' });
    const body = delivery({ uuid: 'e-1', eventType: 'user.lifecycle.deactivate', userId: '00u-ana', login: 'ana@acme.test' });
    const first = await okta({ method: 'POST', headers: { Authorization: SECRET }, rawBody: body });
    expect(first).toMatchObject({ status: 200, body: { received: 1, ignored: 0 } });
    const cases = await offboardCases('ana@acme.test');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ origin: 'okta_hook:e-1', reason: 'okta_deactivated', status: 'in_progress' });
    expect(await okta({ method: 'POST', headers: { Authorization: SECRET }, rawBody: body })).toMatchObject({ status: 200, body: { cases: [], ignored: 1 } });
    // A later suspend event for the same person finds the open case.
    const again = delivery({ uuid: 'e-2', eventType: 'user.lifecycle.suspend', userId: '00u-ana', login: 'ana@acme.test' });
    expect(await okta({ method: 'POST', headers: { Authorization: SECRET }, rawBody: again })).toMatchObject({ status: 200, body: { cases: [cases[0]!.id] } });
    expect(await offboardCases('ana@acme.test')).toHaveLength(1);
  });

  it('ignores other event types and unknown users, and refuses a malformed body', async () => {
    const body = delivery(
      { uuid: 'e-3', eventType: 'user.session.start', userId: '00u-bo', login: 'bo@acme.test' },
      { uuid: 'e-4', eventType: 'user.lifecycle.deactivate', userId: '00u-ghost', login: 'ghost@acme.test' },
    );
    expect(await okta({ method: 'POST', headers: { authorization: SECRET }, rawBody: body })).toMatchObject({ status: 200, body: { received: 2, cases: [], ignored: 2 } });
    expect(await offboardCases('bo@acme.test')).toHaveLength(0);
    expect(await okta({ method: 'POST', headers: { authorization: SECRET }, rawBody: '{"data":{}}' })).toMatchObject({ status: 400, body: { field: 'data.events' } });
    const n = Number((await t.db.select({ n: sql<number>`count(*)` }).from(webhookDelivery))[0]!.n);
    expect(n).toBe(3); // e-1, e-2 and the unknown user's e-4 (not acted on again)
  });
});
