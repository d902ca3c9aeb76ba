import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOktaConnector, type OktaConnectorOptions } from '../../src/connectors/okta/index.js';
import { PermanentError, TransientError, type Connector, type DirectoryPage, type GrantRef } from '../../src/connectors/types.js';
import { generateOktaOrg, minimumRequests, sampleOktaOrg, startFakeOkta, type FakeOkta, type FakeOktaOptions } from '../fakes/okta/index.js';

const TOKEN = 'ssws-test-token';
const READ_SCOPES = 'okta.users.read okta.groups.read okta.apps.read okta.roles.read';
const ALL_SCOPES = `${READ_SCOPES} okta.users.manage okta.groups.manage okta.apps.manage okta.roles.manage`;

const fakes: FakeOkta[] = [];
async function fake(opts: FakeOktaOptions = {}): Promise<FakeOkta> {
  const f = await startFakeOkta({ apiToken: TOKEN, ...opts });
  fakes.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function connect(f: FakeOkta, opts: Partial<OktaConnectorOptions> = {}): Connector {
  return createOktaConnector({ orgUrl: f.url, apiToken: TOKEN, ...opts });
}

async function readAll(connector: Connector) {
  const pages: DirectoryPage[] = [];
  for await (const page of connector.read()) pages.push(page);
  return {
    pages,
    accounts: pages.flatMap((p) => p.accounts ?? []),
    resources: pages.flatMap((p) => p.resources ?? []),
    grants: pages.flatMap((p) => p.grants ?? []),
  };
}

/** Reads until the stream fails; returns how many pages came first and the error. */
async function readUntilFailure(connector: Connector): Promise<{ pages: number; error: unknown }> {
  let pages = 0;
  try {
    for await (const _ of connector.read()) pages += 1;
  } catch (error) {
    return { pages, error };
  }
  throw new Error('read() completed, but it should have failed');
}

const key = (g: { accountExternalId: string; resourceExternalId: string; via: string }) => `${g.accountExternalId} ${g.resourceExternalId} ${g.via}`;

describe('reading the sample org', () => {
  const s = sampleOktaOrg();
  let result: Awaited<ReturnType<typeof readAll>>;
  let server: FakeOkta;
  beforeAll(async () => {
    server = await startFakeOkta({ apiToken: TOKEN, org: s.org });
    result = await readAll(createOktaConnector({ orgUrl: server.url, apiToken: TOKEN }));
  });
  afterAll(() => server.close());

  it('reads users in every status, DEPROVISIONED included, keeping the raw status', () => {
    const byId = new Map(result.accounts.map((a) => [a.externalId, a]));
    expect(result.accounts).toHaveLength(10);
    const status = (id: string) => [byId.get(id)?.status, byId.get(id)?.rawStatus];
    expect(status(s.users.alice.id)).toEqual(['active', 'ACTIVE']);
    expect(status(s.users.staged.id)).toEqual(['staged', 'STAGED']);
    expect(status(s.users.provisioned.id)).toEqual(['provisioned', 'PROVISIONED']);
    expect(status(s.users.recovery.id)).toEqual(['recovery', 'RECOVERY']);
    expect(status(s.users.locked.id)).toEqual(['locked_out', 'LOCKED_OUT']);
    expect(status(s.users.expired.id)).toEqual(['password_expired', 'PASSWORD_EXPIRED']);
    expect(status(s.users.suspended.id)).toEqual(['suspended', 'SUSPENDED']);
    expect(status(s.users.gone.id)).toEqual(['deprovisioned', 'DEPROVISIONED']);
    expect(result.accounts.every((a) => a.system === 'okta')).toBe(true);
  });

  it('maps the person: name, title, department, last login, and the manager by id and by email only when it is one', () => {
    const byId = new Map(result.accounts.map((a) => [a.externalId, a]));
    const alice = byId.get(s.users.alice.id)!;
    expect(alice).toMatchObject({ login: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice A. Example' });
    expect(alice.lastLoginAt?.toISOString()).toBe('2026-09-01T10:00:00.000Z');
    expect(alice.person).toMatchObject({ email: 'alice@example.com', name: 'Alice A. Example', title: 'CTO', department: 'Engineering', managerEmail: null, managerRef: null });
    expect(byId.get(s.users.bob.id)?.person).toMatchObject({ name: 'Bob Example', managerRef: s.users.alice.id, managerEmail: 'alice@example.com' });
    expect(byId.get(s.users.carol.id)?.person).toMatchObject({ managerRef: 'alice@example.com', managerEmail: null });
    expect(byId.get(s.users.staged.id)?.lastLoginAt).toBeNull();
  });

  it('reports groups with their type, and members as direct grants', () => {
    const groups = result.resources.filter((r) => r.kind === 'group');
    expect(groups.map((g) => [g.name, g.attrs?.type])).toEqual(
      expect.arrayContaining([['Everyone', 'BUILT_IN'], ['Engineering', 'OKTA_GROUP'], ['AD Admins', 'APP_GROUP'], ['Helpdesk', 'OKTA_GROUP']]),
    );
    const grants = result.grants.filter((g) => g.resourceExternalId === s.groups.engineering.id).map(key).sort();
    expect(grants).toEqual([s.users.alice, s.users.bob, s.users.carol].map((u) => `${u.id} ${s.groups.engineering.id} direct`).sort());
    expect(result.grants.filter((g) => g.resourceExternalId === s.groups.everyone.id)).toHaveLength(10);
  });

  it('reports active apps only, direct assignments as direct and group-held ones via the group', () => {
    expect(result.resources.filter((r) => r.kind === 'app').map((r) => r.name).sort()).toEqual(['GitHub', 'Salesforce']);
    const appGrants = (appId: string) => result.grants.filter((g) => g.resourceExternalId === appId).map(key).sort();
    const viaEng = `group:${s.groups.engineering.id}`;
    const { alice, bob, carol, gone } = s.users;
    expect(appGrants(s.apps.github.id)).toEqual(
      [`${alice.id} ${s.apps.github.id} ${viaEng}`, `${bob.id} ${s.apps.github.id} direct`, `${bob.id} ${s.apps.github.id} ${viaEng}`, `${carol.id} ${s.apps.github.id} ${viaEng}`].sort(),
    );
    expect(appGrants(s.apps.salesforce.id)).toEqual([`${carol.id} ${s.apps.salesforce.id} direct`, `${gone.id} ${s.apps.salesforce.id} direct`].sort());
    expect(appGrants(s.apps.legacy.id)).toEqual([]);
  });

  it('reports admin roles as privileged resources and privileged grants, a group-held role via its group', () => {
    const roles = result.resources.filter((r) => r.kind === 'role');
    expect(roles.map((r) => r.externalId).sort()).toEqual(['APP_ADMIN', 'CUSTOM:cr0reviewer:iamAllUsers', 'HELP_DESK_ADMIN', 'SUPER_ADMIN']);
    expect(roles.every((r) => r.privileged)).toBe(true);
    const roleGrants = result.grants.filter((g) => roles.some((r) => r.externalId === g.resourceExternalId));
    expect(roleGrants.map(key).sort()).toEqual(
      [
        `${s.users.alice.id} SUPER_ADMIN direct`,
        `${s.users.bob.id} APP_ADMIN direct`,
        `${s.users.bob.id} CUSTOM:cr0reviewer:iamAllUsers direct`,
        `${s.users.carol.id} HELP_DESK_ADMIN group:${s.groups.helpdesk.id}`,
      ].sort(),
    );
    expect(roleGrants.every((g) => g.privileged === true)).toBe(true);
  });

  it('yields every account before any grant, and each resource before the grants on it', () => {
    const firstGrant = result.pages.findIndex((p) => p.grants?.length);
    const lastAccount = result.pages.findLastIndex((p) => p.accounts?.length);
    expect(lastAccount).toBeLessThan(firstGrant);
    const seen = new Set<string>();
    for (const page of result.pages) {
      for (const r of page.resources ?? []) seen.add(r.externalId);
      for (const g of page.grants ?? []) expect(seen.has(g.resourceExternalId)).toBe(true);
    }
  });
});

describe('paging', () => {
  const pagingOrg = () => generateOktaOrg({ users: 2500, groups: 4, memberships: 4400, apps: 4, assignments: 1200, seed: 42, admins: 150 });

  it('pages every list at its largest limit, with no more requests than the minimum number of pages', async () => {
    const org = pagingOrg();
    const f = await fake({ org });
    const connector = connect(f);
    const { accounts, grants } = await readAll(connector);
    expect(accounts).toHaveLength(2500);
    const expected = minimumRequests(org);
    expect(expected).toBeGreaterThan(150);
    expect(f.stats.total).toBe(expected);
    expect(connector.stats?.().requests).toBe(expected);
    const limits = new Map([
      [/^\/api\/v1\/users$/, '200'],
      [/^\/api\/v1\/groups$/, '10000'],
      [/^\/api\/v1\/groups\/[^/]+\/users$/, '1000'],
      [/^\/api\/v1\/apps$/, '200'],
      [/^\/api\/v1\/apps\/[^/]+\/users$/, '500'],
      [/^\/api\/v1\/apps\/[^/]+\/groups$/, '200'],
      [/^\/api\/v1\/iam\/assignees\/users$/, '100'],
    ]);
    for (const r of f.stats.log) {
      for (const [path, limit] of limits) if (path.test(r.path)) expect(new URLSearchParams(r.query).get('limit')).toBe(limit);
    }
    expect(f.count(/^\/api\/v1\/groups\/[^/]+\/users$/)).toBeGreaterThan(org.groups.size);
    const memberships = [...org.members.values()].reduce((n, m) => n + m.size, 0);
    expect(grants.filter((g) => org.groups.has(g.resourceExternalId))).toHaveLength(memberships);
    expect(new Set(grants.map(key)).size).toBe(grants.length);
  });

  it('keeps requests in flight within maxInFlight while overlapping them', async () => {
    const org = generateOktaOrg({ users: 300, groups: 120, memberships: 1200, apps: 2, assignments: 20, seed: 3 });
    const f = await fake({ org, latencyMs: 20 });
    const started = Date.now();
    await readAll(connect(f, { maxInFlight: 8 }));
    const elapsed = Date.now() - started;
    expect(f.stats.maxConcurrent).toBeLessThanOrEqual(8);
    expect(f.stats.maxConcurrent).toBeGreaterThanOrEqual(6);
    // One at a time would take requests × latency; eight side by side take far less.
    expect(elapsed).toBeLessThan((f.stats.total * 20) / 2);

    const g = await fake({ org, latencyMs: 5 });
    await readAll(connect(g, { maxInFlight: 3 }));
    expect(g.stats.maxConcurrent).toBe(3);
  });

  it('reads the owner of a service account from the attribute OKTA_ACCOUNT_OWNER_ATTRIBUTE names', async () => {
    const s = sampleOktaOrg();
    const svc = s.org.addUser({ status: 'ACTIVE', lastLogin: null, profile: { firstName: 'CI', lastName: 'Bot', email: 'ci-bot@example.com', accountOwner: 'Alice@Example.com' } });
    const f = await fake({ org: s.org });
    const { accounts } = await readAll(connect(f, { accountOwnerAttribute: 'accountOwner' }));
    expect(accounts.find((a) => a.externalId === svc.id)).toMatchObject({ person: null, ownerEmail: 'alice@example.com', email: 'ci-bot@example.com' });
    expect(accounts.find((a) => a.externalId === s.users.bob.id)).toMatchObject({ person: { email: 'bob@example.com' }, ownerEmail: null });
    // Unset, the attribute is not read: the bot is an account like any other.
    const plain = await readAll(connect(f));
    expect(plain.accounts.find((a) => a.externalId === svc.id)?.person).toMatchObject({ email: 'ci-bot@example.com' });
  });

  it('a second read with the same connector sees what changed since the first', async () => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org });
    const connector = connect(f);
    await readAll(connector);
    s.org.assignRole(s.users.provisioned.id, 'REPORT_ADMIN');
    s.org.userRoles.delete(s.users.alice.id);
    const { grants } = await readAll(connector);
    const roleGrants = grants.filter((g) => g.privileged).map((g) => `${g.accountExternalId} ${g.resourceExternalId}`);
    expect(roleGrants).toContain(`${s.users.provisioned.id} REPORT_ADMIN`);
    expect(roleGrants).not.toContain(`${s.users.alice.id} SUPER_ADMIN`);
  });
});

describe('failures and rate limits', () => {
  it('a failure on a late page makes read() throw a TransientError after earlier pages were yielded', async () => {
    const org = generateOktaOrg({ users: 600, groups: 3, memberships: 900, apps: 2, assignments: 900, seed: 5 });
    const f = await fake({ org });
    const lastApp = org.appIds.values().at(-1)!;
    expect(org.appUsers(lastApp).length).toBeGreaterThan(500);
    // The app's first page of users is served, its second fails every time.
    f.inject({ path: `/api/v1/apps/${lastApp}/users`, skip: 1, status: 500 });
    const { pages, error } = await readUntilFailure(connect(f));
    expect(error).toBeInstanceOf(TransientError);
    expect(pages).toBeGreaterThan(5);
    expect(f.count(new RegExp(`/apps/${lastApp}/users$`))).toBe(1 + 3);
  });

  it('retries a one-off server error and completes', async () => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org });
    f.inject({ nth: 4, status: 503 });
    const { accounts } = await readAll(connect(f));
    expect(accounts).toHaveLength(10);
    expect(f.stats.byStatus.get(503)).toBe(1);
  });

  it('a 404 page is a PermanentError, not retried', async () => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org });
    f.inject({ path: `/api/v1/groups/${s.groups.helpdesk.id}/users`, status: 404 });
    const { error } = await readUntilFailure(connect(f));
    expect(error).toBeInstanceOf(PermanentError);
    expect(f.count(new RegExp(`/groups/${s.groups.helpdesk.id}/users$`))).toBe(1);
  });

  it('a request that outlasts the timeout is retried, then a TransientError', async () => {
    const f = await fake({ org: sampleOktaOrg().org, latencyMs: 200 });
    const { error } = await readUntilFailure(connect(f, { requestTimeoutMs: 50 }));
    expect(error).toBeInstanceOf(TransientError);
    expect(f.count(/^\/api\/v1\/users$/)).toBeGreaterThanOrEqual(3);
  });

  it('refuses a plain-http org URL unless it is loopback', () => {
    expect(() => createOktaConnector({ orgUrl: 'http://example.okta.com', apiToken: TOKEN })).toThrow(PermanentError);
    expect(() => createOktaConnector({ orgUrl: 'http://127.0.0.1:8080', apiToken: TOKEN })).not.toThrow();
  });

  it('a wrong API token is a PermanentError', async () => {
    const f = await fake({ org: sampleOktaOrg().org });
    const { error, pages } = await readUntilFailure(connect(f, { apiToken: 'not-the-token' }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/401/);
    expect(pages).toBe(0);
  });

  it('survives a 429 storm: waits for the reset, retries, and reads everything', async () => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org });
    const baseline = await readAll(connect(f));
    f.resetStats();
    f.inject({ path: /^\/api\/v1\/(groups|apps)\/[^/]+\/users$/, status: 429, times: 5 });
    const stormy = await readAll(connect(f));
    expect(f.stats.byStatus.get(429)).toBe(5);
    expect(stormy.grants.map(key).sort()).toEqual(baseline.grants.map(key).sort());
    expect(stormy.accounts).toHaveLength(baseline.accounts.length);
  });

  it('gives up with a TransientError when the rate limit outlasts the retries', async () => {
    const f = await fake({ org: sampleOktaOrg().org });
    f.inject({ path: '/api/v1/groups', status: 429 });
    const { error } = await readUntilFailure(connect(f, { maxRetries: 1 }));
    expect(error).toBeInstanceOf(TransientError);
    expect(f.count(/^\/api\/v1\/groups$/)).toBe(2);
  });

  it('stays within the announced rate limit instead of running into 429s', async () => {
    const org = generateOktaOrg({ users: 1000, groups: 2, memberships: 10, apps: 1, assignments: 5, seed: 9 });
    const f = await fake({
      org,
      rateLimits: { windowSeconds: 1, buckets: [{ pattern: /^\/api\/v1\/users$/, method: 'GET', limit: 4 }, { pattern: /^\//, limit: 10_000 }] },
    });
    const { accounts } = await readAll(connect(f));
    expect(accounts).toHaveLength(1000);
    expect(f.count(/^\/api\/v1\/users$/)).toBe(6);
    expect(f.stats.byStatus.get(429) ?? 0).toBe(0);
  });
});

describe('OAuth 2.0 service app with a private key', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const jwk = JSON.stringify({ ...keys.privateKey.export({ format: 'jwk' }), kid: 'attest-key-1' });
  const client = { clientId: '0oaattest', publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), scopes: ALL_SCOPES.split(' ') };
  const oauth = (f: FakeOkta, opts: Partial<OktaConnectorOptions> = {}) =>
    createOktaConnector({ orgUrl: f.url, clientId: client.clientId, privateKey: pem, ...opts });

  it('reads with a bearer token obtained once, asking only for the read scopes', async () => {
    const f = await fake({ org: sampleOktaOrg().org, oauthClients: [client], apiToken: undefined });
    const { accounts, grants } = await readAll(oauth(f));
    expect(accounts).toHaveLength(10);
    expect(grants.length).toBeGreaterThan(20);
    expect(f.auth.tokenRequests).toEqual([{ clientId: client.clientId, scope: READ_SCOPES, dpop: true, status: 200 }]);
    const api = f.stats.log.filter((r) => r.path.startsWith('/api/'));
    expect(api.every((r) => r.auth === 'Bearer')).toBe(true);
  });

  it('follows the DPoP nonce challenge when the org binds tokens to DPoP (JWK key)', async () => {
    const f = await fake({ org: sampleOktaOrg().org, oauthClients: [client], requireDpop: true });
    const { accounts } = await readAll(oauth(f, { privateKey: jwk }));
    expect(accounts).toHaveLength(10);
    expect(f.auth.tokenRequests.map((t) => t.status)).toEqual([400, 200]);
    expect(f.stats.log.filter((r) => r.path.startsWith('/api/')).every((r) => r.auth === 'DPoP')).toBe(true);
  });

  it('asks for the manage scopes only when removal is enabled, and can then act', async () => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org, oauthClients: [client] });
    const connector = oauth(f, { removalEnabled: true });
    await connector.suspendAccount!(s.users.bob.id);
    expect(s.org.users.get(s.users.bob.id)?.status).toBe('SUSPENDED');
    expect(f.auth.tokenRequests[0]?.scope).toBe(ALL_SCOPES);
  });

  it('a service app the org does not know is a PermanentError naming the refusal', async () => {
    const f = await fake({ org: sampleOktaOrg().org, oauthClients: [client] });
    const { error } = await readUntilFailure(oauth(f, { clientId: '0oaunknown' }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/invalid_client/);
  });
});

describe('actions', () => {
  const setup = async (opts: Partial<OktaConnectorOptions> = {}) => {
    const s = sampleOktaOrg();
    const f = await fake({ org: s.org });
    return { s, f, okta: connect(f, { removalEnabled: true, ...opts }) };
  };
  const ref = (accountExternalId: string, resourceExternalId: string, resourceKind: GrantRef['resourceKind'], via = 'direct'): GrantRef => ({
    accountExternalId,
    resourceExternalId,
    resourceKind,
    via,
  });

  it('deactivates a user, and a repeat counts as done', async () => {
    const { s, okta } = await setup();
    await okta.deactivateAccount!(s.users.bob.id);
    expect(s.org.users.get(s.users.bob.id)?.status).toBe('DEPROVISIONED');
    await expect(okta.deactivateAccount!(s.users.bob.id)).resolves.toBeUndefined();
  });

  it('suspends an active user; suspending a locked-out one is a PermanentError', async () => {
    const { s, okta } = await setup();
    await okta.suspendAccount!(s.users.carol.id);
    expect(s.org.users.get(s.users.carol.id)?.status).toBe('SUSPENDED');
    await expect(okta.suspendAccount!(s.users.locked.id)).rejects.toBeInstanceOf(PermanentError);
  });

  it('a repeat after someone else suspended the user counts as done (the user is looked up afresh)', async () => {
    const { s, okta } = await setup();
    await expect(okta.suspendAccount!(s.users.locked.id)).rejects.toBeInstanceOf(PermanentError);
    s.org.users.get(s.users.locked.id)!.status = 'SUSPENDED';
    await expect(okta.suspendAccount!(s.users.locked.id)).resolves.toBeUndefined();
  });

  it('removes a group membership and adds one', async () => {
    const { s, okta } = await setup();
    await okta.removeGrant!(ref(s.users.bob.id, s.groups.engineering.id, 'group'));
    expect(s.org.members.get(s.groups.engineering.id)?.has(s.users.bob.id)).toBe(false);
    await okta.addGroupMembership!(s.users.staged.id, s.groups.helpdesk.id);
    expect(s.org.members.get(s.groups.helpdesk.id)?.has(s.users.staged.id)).toBe(true);
  });

  it('unassigns a direct app assignment', async () => {
    const { s, okta } = await setup();
    await okta.removeGrant!(ref(s.users.carol.id, s.apps.salesforce.id, 'app'));
    expect(s.org.appUsers(s.apps.salesforce.id).map((a) => a.userId)).toEqual([s.users.gone.id]);
  });

  it('refuses to remove an app assignment held through a group, without touching Okta', async () => {
    const { s, f, okta } = await setup();
    const grant = ref(s.users.alice.id, s.apps.github.id, 'app', `group:${s.groups.engineering.id}`);
    expect(okta.canRemove(grant)).toBe(false);
    await expect(okta.removeGrant!(grant)).rejects.toThrow(PermanentError);
    await expect(okta.removeGrant!(grant)).rejects.toThrow(/only be removed through the group/);
    expect(f.stats.log.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(s.org.appUsers(s.apps.github.id).some((a) => a.userId === s.users.alice.id)).toBe(true);
  });

  it('a direct assignment that a group also grants cannot be removed: Okta refuses, PermanentError', async () => {
    const { s, okta } = await setup();
    await expect(okta.removeGrant!(ref(s.users.bob.id, s.apps.github.id, 'app'))).rejects.toBeInstanceOf(PermanentError);
    expect(s.org.appDirect.get(s.apps.github.id)?.has(s.users.bob.id)).toBe(true);
  });

  it('unassigns a directly held admin role; a group-held one is refused', async () => {
    const { s, okta } = await setup();
    await okta.removeGrant!(ref(s.users.bob.id, 'APP_ADMIN', 'role'));
    expect(s.org.rolesOf(s.users.bob.id).map((r) => r.type)).toEqual(['CUSTOM']);
    await expect(okta.removeGrant!(ref(s.users.carol.id, 'HELP_DESK_ADMIN', 'role'))).rejects.toBeInstanceOf(PermanentError);
    expect(s.org.rolesOf(s.users.carol.id).map((r) => r.type)).toEqual(['HELP_DESK_ADMIN']);
  });

  it('says what it can remove: direct grants, and no memberships of groups Okta does not manage', async () => {
    const { s, okta } = await setup();
    await readAll(okta);
    expect(okta.canRemove(ref(s.users.bob.id, s.groups.engineering.id, 'group'))).toBe(true);
    expect(okta.canRemove(ref(s.users.bob.id, s.groups.adAdmins.id, 'group'))).toBe(false);
    expect(okta.canRemove(ref(s.users.alice.id, s.groups.everyone.id, 'group'))).toBe(false);
    expect(okta.canRemove(ref(s.users.carol.id, s.apps.salesforce.id, 'app'))).toBe(true);
    expect(okta.canRemove(ref(s.users.alice.id, 'SUPER_ADMIN', 'role'))).toBe(true);
  });

  it('without removal enabled the connector only reads', async () => {
    const { s, okta } = await setup({ removalEnabled: false });
    expect(okta.removeGrant).toBeUndefined();
    expect(okta.deactivateAccount).toBeUndefined();
    expect(okta.canRemove(ref(s.users.carol.id, s.apps.salesforce.id, 'app'))).toBe(false);
  });
});
