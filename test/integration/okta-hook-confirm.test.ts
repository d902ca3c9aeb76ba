import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createOktaConnector } from '../../src/connectors/okta/index.js';
import type { Connector } from '../../src/connectors/types.js';
import { accessRequest, evidenceEvent, outbox, person, webhookDelivery } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { confirmOktaEvent, OKTA_EVENT_MAX_AGE_MS } from '../../src/domain/lifecycle/confirm-okta-event.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { hookRoutes } from '../../src/http/hooks/hook-routes.js';
import type { HookHandler } from '../../src/http/hooks/types.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { OktaOrg, startFakeOkta, type FakeOkta, type FakeUser } from '../fakes/okta/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * The Okta event hook is authenticated by a shared value only. Knowing it must not be enough to
 * have someone offboarded: each event is read back from Okta (the fake speaks its API) and acted
 * on only when Okta confirms it and it is recent; anything else is refused on record and
 * reported to compliance.
 */
const SECRET = 'okta-shared-authorization-value';
const TOKEN = 'ssws-hook-token';
const COMPLIANCE = 'C0COMPLIANCE';
const NOW = new Date('2026-10-01T09:00:00Z');

let t: TestDatabase;
let fake: FakeOkta;
let deps: ReturnType<typeof testDeps>;
let hook: HookHandler;
const users: Record<'ceo' | 'bo' | 'cy' | 'di' | 'ed', FakeUser> = {} as never;

beforeAll(async () => {
  t = await createTestDatabase();
  const org = new OktaOrg();
  for (const name of ['ceo', 'bo', 'cy', 'di', 'ed'] as const) {
    users[name] = org.addUser({ status: 'ACTIVE', profile: { firstName: name, lastName: 'Acme', email: `${name}@acme.test`, login: `${name}@acme.test` } });
  }
  fake = await startFakeOkta({ apiToken: TOKEN, org });
  const okta = createOktaConnector({ orgUrl: fake.url, apiToken: TOKEN, removalEnabled: true, maxRetries: 0 });
  deps = testDeps(t.db, { OKTA_EVENT_HOOK_SECRET: SECRET, COMPLIANCE_CHANNEL: COMPLIANCE, REVOKE_MODE: 'auto' }, { okta });
  await runSync(deps, okta);
  hook = hookRoutes(deps, lazyRegistry(async (s) => (s === 'okta' ? okta : undefined)))['/hooks/okta']!;
});
afterAll(async () => {
  await fake?.close();
  await t?.drop();
});
beforeEach(() => {
  fake.clearInjections();
  fake.resetStats();
});

const post = (...events: { uuid: string; eventType?: string; user: { id: string; login: string }; published?: Date }[]) =>
  hook({
    method: 'POST',
    headers: { authorization: SECRET },
    rawBody: JSON.stringify({
      eventType: 'com.okta.event_hook',
      data: {
        events: events.map((e) => ({
          uuid: e.uuid,
          published: (e.published ?? new Date(NOW.getTime() - 1000)).toISOString(),
          eventType: e.eventType ?? 'user.lifecycle.deactivate',
          actor: { id: '00uadmin', type: 'User', alternateId: 'admin@acme.test' },
          target: [{ id: e.user.id, type: 'User', alternateId: e.user.login, displayName: e.user.login }],
        })),
      },
    }),
  });
const target = (u: FakeUser) => ({ id: u.id, login: u.profile.login! });
const casesOf = async (email: string) => {
  const [p] = await t.db.select().from(person).where(eq(person.email, email));
  return t.db.select().from(accessRequest).where(and(eq(accessRequest.kind, 'offboard'), eq(accessRequest.subjectPersonId, p!.id)));
};
const statusOf = async (email: string) => (await t.db.select().from(person).where(eq(person.email, email)))[0]!.status;
const refusalFor = async (uuid: string) =>
  (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'))).filter((e) => e.subject.oktaEvent === uuid);
const noticeFor = async (uuid: string) => t.db.select().from(outbox).where(eq(outbox.dedupeKey, `okta.event_refused:${uuid}`));

describe('POST /hooks/okta confirms each event with Okta before acting', () => {
  it('refuses a forged deactivation of an active user: no case, a security event, and a notice to compliance', async () => {
    const res = await post({ uuid: 'forged-1', user: target(users.ceo) });
    expect(res).toMatchObject({ status: 200, body: { received: 1, cases: [], refused: 1 } });
    expect(await casesOf('ceo@acme.test')).toHaveLength(0);
    expect(await statusOf('ceo@acme.test')).toBe('active');
    expect(users.ceo.status).toBe('ACTIVE');
    expect(fake.count(new RegExp(`^/api/v1/users/${users.ceo.id}$`))).toBe(1);
    expect(fake.count(/\/lifecycle\//)).toBe(0);

    const [refused, ...more] = await refusalFor('forged-1');
    expect(more).toHaveLength(0);
    expect(refused).toMatchObject({
      actor: 'webhook:okta',
      subject: { oktaEvent: 'forged-1', oktaUser: users.ceo.id },
      payload: { attempted: 'offboarding.start', code: 'not_confirmed', eventType: 'user.lifecycle.deactivate', oktaStatus: 'ACTIVE' },
    });
    const [notice] = await noticeFor('forged-1');
    expect(notice).toMatchObject({ kind: 'okta.event_refused', channel: COMPLIANCE, status: 'pending', payload: { seq: String(refused!.seq) } });
    const plan = await RENDERERS['okta.event_refused']!(deps, notice!);
    expect(plan).toMatchObject({ mode: 'post', channel: COMPLIANCE });
    expect(plan!.messages[0]!.text).toContain('Okta event refused: user.lifecycle.deactivate for ceo Acme (ceo@acme.test)');
    expect(JSON.stringify(plan!.messages[0]!.blocks)).toContain('rotate it');

    // Okta redelivers the same event: it is not refused (or read back) twice.
    expect(await post({ uuid: 'forged-1', user: target(users.ceo) })).toMatchObject({ status: 200, body: { refused: 0, ignored: 1 } });
    expect(await refusalFor('forged-1')).toHaveLength(1);
    expect(fake.count(/^\/api\/v1\/users\//)).toBe(1);
  });

  it('opens a case for a deactivation Okta confirms', async () => {
    users.bo.status = 'DEPROVISIONED';
    const res = await post({ uuid: 'real-1', user: target(users.bo) });
    const cases = await casesOf('bo@acme.test');
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ origin: 'okta_hook:real-1', reason: 'okta_deactivated' });
    expect(res).toMatchObject({ status: 200, body: { cases: [cases[0]!.id], refused: 0 } });
    expect(await refusalFor('real-1')).toHaveLength(0);
  });

  it('refuses a suspension of a user Okta says is active, and takes one it confirms', async () => {
    expect(await post({ uuid: 'susp-1', eventType: 'user.lifecycle.suspend', user: target(users.di) })).toMatchObject({ body: { refused: 1 } });
    expect(await casesOf('di@acme.test')).toHaveLength(0);
    users.di.status = 'SUSPENDED';
    expect(await post({ uuid: 'susp-2', eventType: 'user.lifecycle.suspend', user: target(users.di) })).toMatchObject({ body: { refused: 0, cases: [expect.any(String)] } });
    expect((await casesOf('di@acme.test'))[0]).toMatchObject({ reason: 'okta_suspended' });
  });

  it('refuses an event older than the window, even one Okta would confirm, without asking Okta', async () => {
    users.cy.status = 'DEPROVISIONED';
    const published = new Date(NOW.getTime() - OKTA_EVENT_MAX_AGE_MS - 60_000);
    expect(await post({ uuid: 'old-1', user: target(users.cy), published })).toMatchObject({ status: 200, body: { refused: 1, cases: [] } });
    expect(await casesOf('cy@acme.test')).toHaveLength(0);
    expect((await refusalFor('old-1'))[0]).toMatchObject({ payload: { code: 'stale' } });
    expect(await noticeFor('old-1')).toHaveLength(1);
    expect(fake.count(/^\/api\/v1\/users\//)).toBe(0);
    // Stamped in the future is no better.
    expect(await post({ uuid: 'future-1', user: target(users.cy), published: new Date(NOW.getTime() + 3_600_000) })).toMatchObject({ body: { refused: 1 } });
    expect(await casesOf('cy@acme.test')).toHaveLength(0);
  });

  it('refuses a user Okta does not know, and a real deactivation presented under someone else’s login', async () => {
    expect(await post({ uuid: 'ghost-1', user: { id: '00unotanokta', login: 'ceo@acme.test' } })).toMatchObject({ body: { refused: 1 } });
    expect((await refusalFor('ghost-1'))[0]).toMatchObject({ payload: { code: 'unknown_to_okta' } });
    // zed really is deactivated in Okta (and unknown here), but the event gives the chief executive's login.
    const zed = fake.org.addUser({ status: 'DEPROVISIONED', profile: { email: 'zed@elsewhere.test', login: 'zed@elsewhere.test' } });
    expect(await post({ uuid: 'swap-1', user: { id: zed.id, login: 'ceo@acme.test' } })).toMatchObject({ body: { refused: 1, cases: [] } });
    expect((await refusalFor('swap-1'))[0]).toMatchObject({ payload: { code: 'not_confirmed' } });
    expect(await casesOf('ceo@acme.test')).toHaveLength(0);
    // Okta also answers for a login, as its API does.
    const byLogin = await fetch(`${fake.url}/api/v1/users/${encodeURIComponent('CEO@acme.test')}`, { headers: { authorization: `SSWS ${TOKEN}` } });
    expect(((await byLogin.json()) as { id: string }).id).toBe(users.ceo.id);
  });

  it('refuses when Okta cannot be reached, rather than trusting the event', async () => {
    users.ed.status = 'DEPROVISIONED';
    fake.inject({ status: 503, path: new RegExp(`^/api/v1/users/${users.ed.id}$`) });
    expect(await post({ uuid: 'down-1', user: target(users.ed) })).toMatchObject({ status: 200, body: { refused: 1, cases: [] } });
    expect((await refusalFor('down-1'))[0]).toMatchObject({ payload: { code: 'okta_unreachable' } });
    expect(await casesOf('ed@acme.test')).toHaveLength(0);
    expect(await noticeFor('down-1')).toHaveLength(1);
    expect(await t.db.select().from(webhookDelivery).where(eq(webhookDelivery.eventId, 'down-1'))).toHaveLength(1);
  });

  it('counts an Okta that answers too slowly as unreachable', async () => {
    const hanging: Connector = { source: 'okta', read: async function* () {}, canRemove: () => false, getAccountStatus: () => new Promise(() => {}) };
    expect(await confirmOktaEvent(hanging, { eventType: 'user.lifecycle.deactivate', userId: '00u1' }, 20)).toMatchObject({ ok: false, code: 'okta_unreachable' });
    expect(await confirmOktaEvent(undefined, { eventType: 'user.lifecycle.deactivate', userId: '00u1' })).toMatchObject({ ok: false, code: 'cannot_confirm' });
  });
});
