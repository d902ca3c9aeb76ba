import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleConnector } from '../../src/connectors/google/index.js';
import { drain } from '../fakes/google/drain.js';
import { ADMIN, seedSampleOrg } from '../fakes/google/sample-org.js';
import { generateServiceAccount, type ServiceAccountKeys } from '../fakes/google/service-account.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';

let dir: string;
let keys: ServiceAccountKeys;
let fake: FakeGoogle | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-google-'));
  keys = generateServiceAccount();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup(opts: { latencyMs?: number; maxInFlight?: number } = {}) {
  const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN], latencyMs: opts.latencyMs });
  fake = started.fake;
  const connector = createGoogleConnector({
    credentialsFile: started.keyFile,
    adminSubject: ADMIN,
    apiUrl: fake.url,
    maxInFlight: opts.maxInFlight,
    retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 100 },
  });
  return { fake: started.fake, connector };
}

describe('Google connector: reading the directory', () => {
  it('reports active, suspended and archived users with manager, department and title', async () => {
    const { fake, connector } = await setup();
    const org = seedSampleOrg(fake.store);
    const { accounts } = await drain(connector);
    const byEmail = new Map(accounts.map((a) => [a.email, a]));

    expect(connector.source).toBe('google');
    expect(byEmail.get('ada@example.com')).toMatchObject({
      externalId: org.users.ada.id,
      system: 'google',
      login: 'ada@example.com',
      displayName: 'Ada Lovelace',
      status: 'active',
      person: { email: 'ada@example.com', name: 'Ada Lovelace', title: 'CTO', department: 'Engineering', managerEmail: null },
    });
    // The primary organization wins even when listed second; the manager's email is normalised.
    expect(byEmail.get('grace@example.com')?.person).toMatchObject({
      title: 'Staff Engineer',
      department: 'Platform',
      managerEmail: 'ada@example.com',
    });
    expect(byEmail.get('linus@example.com')).toMatchObject({ status: 'suspended', rawStatus: 'suspended:ADMIN' });
    expect(byEmail.get('margaret@example.com')).toMatchObject({ status: 'archived' });
    expect(byEmail.get('kenji@example.com')?.displayName).toBe('大竹 健二');
  });

  it('reports a user who never signed in with no last login', async () => {
    const { fake, connector } = await setup();
    seedSampleOrg(fake.store);
    const { accounts } = await drain(connector);
    const byEmail = new Map(accounts.map((a) => [a.email, a]));
    expect(byEmail.get('margaret@example.com')?.lastLoginAt).toBeNull();
    expect(byEmail.get('ada@example.com')?.lastLoginAt?.toISOString()).toBe('2026-09-30T08:15:00.000Z');
  });

  it('reports super and delegated admins as privileged role grants', async () => {
    const { fake, connector } = await setup();
    const org = seedSampleOrg(fake.store);
    const { resources, grants } = await drain(connector);
    const roles = resources.filter((r) => r.kind === 'role');
    expect(roles.map((r) => [r.externalId, r.privileged])).toEqual([
      ['google:super-admin', true],
      ['google:delegated-admin', true],
    ]);
    const roleGrants = grants.filter((g) => g.resourceExternalId.startsWith('google:'));
    expect(roleGrants).toEqual([
      { accountExternalId: org.users.ada.id, resourceExternalId: 'google:super-admin', via: 'direct', privileged: true },
      { accountExternalId: org.users.grace.id, resourceExternalId: 'google:delegated-admin', via: 'direct', privileged: true },
    ]);
  });

  it('reports groups with their owner, direct members, outside members and nested members', async () => {
    const { fake, connector } = await setup();
    const { users, groups, contractor } = seedSampleOrg(fake.store);
    const { accounts, resources, grants } = await drain(connector);

    expect(resources.find((r) => r.externalId === groups.eng.id)).toMatchObject({
      system: 'google',
      kind: 'group',
      name: 'Engineering',
      privileged: false,
      ownerEmail: 'ada@example.com',
    });
    expect(resources.find((r) => r.externalId === groups.all.id)).toMatchObject({ kind: 'group', ownerEmail: null });
    const engGrants = grants.filter((g) => g.resourceExternalId === groups.eng.id).map((g) => [g.accountExternalId, g.via]);
    expect(engGrants).toEqual(
      expect.arrayContaining([
        [users.ada.id, 'direct'],
        [users.grace.id, 'direct'],
        [users.linus.id, 'direct'],
        [contractor.id, 'direct'],
        [users.margaret.id, `group:${groups.sre.id}`],
        [users.kenji.id, `group:${groups.sre.id}`],
      ]),
    );
    expect(engGrants).toHaveLength(6);
    // The nested group itself is not reported as an account's grant.
    expect(grants.some((g) => g.accountExternalId === groups.sre.id)).toBe(false);
    expect(accounts.find((a) => a.externalId === contractor.id)).toMatchObject({
      email: 'contractor@gmail.com',
      rawStatus: 'external',
      person: null,
    });
  });

  it('pages at the largest sizes Google serves, with the fewest requests', async () => {
    const { fake, connector } = await setup();
    for (let i = 0; i < 1001; i += 1) fake.store.addUser({ primaryEmail: `user${i}@example.com` });
    for (let i = 0; i < 201; i += 1) fake.store.addGroup(`group${i}@example.com`);
    const big = fake.store.groups[0]!;
    for (const u of fake.store.users.slice(0, 401)) fake.store.addMember(big.id, u);

    const { accounts, grants } = await drain(connector);

    expect(accounts).toHaveLength(1001);
    expect(grants.filter((g) => g.resourceExternalId === big.id)).toHaveLength(401);
    // users: ceil(1001/500) = 3; groups: ceil(201/200) = 2; members: 200 empty groups + ceil(401/200) = 3.
    expect(fake.counts['users.list']).toBe(3);
    expect(fake.counts['groups.list']).toBe(2);
    expect(fake.counts['members.list']).toBe(200 + 3);
    expect(connector.stats?.().requests).toBe(3 + 2 + 203);
    expect(fake.apiRequests()).toBe(3 + 2 + 203);
    const asked = (op: string) => new Set(fake.log.filter((l) => l.op === op).map((l) => l.query.get('maxResults')));
    expect(asked('users.list')).toEqual(new Set(['500']));
    expect(asked('groups.list')).toEqual(new Set(['200']));
    expect(asked('members.list')).toEqual(new Set(['200']));
    expect(fake.log.find((l) => l.op === 'users.list')?.query.get('customer')).toBe('my_customer');
  });

  it('lists group members with no more requests in flight than allowed', async () => {
    const { fake, connector } = await setup({ latencyMs: 20, maxInFlight: 3 });
    const user = fake.store.addUser({ primaryEmail: 'solo@example.com' });
    for (let i = 0; i < 12; i += 1) fake.store.addMember(fake.store.addGroup(`g${i}@example.com`).id, user);

    const { grants } = await drain(connector);

    expect(grants).toHaveLength(12);
    expect(fake.peakInFlight['members.list']).toBe(3);
  });
});
