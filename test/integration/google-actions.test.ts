import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleConnector } from '../../src/connectors/google/index.js';
import { PermanentError, type GrantRef } from '../../src/connectors/types.js';
import { drain } from '../fakes/google/drain.js';
import { ADMIN, seedSampleOrg } from '../fakes/google/sample-org.js';
import { generateServiceAccount, type ServiceAccountKeys } from '../fakes/google/service-account.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';

let dir: string;
let keys: ServiceAccountKeys;
let fake: FakeGoogle | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-google-act-'));
  keys = generateServiceAccount();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup() {
  const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
  fake = started.fake;
  const org = seedSampleOrg(fake.store);
  const connector = createGoogleConnector({
    credentialsFile: started.keyFile,
    adminSubject: ADMIN,
    apiUrl: fake.url,
    retry: { retries: 1, baseDelayMs: 5 },
  });
  return { fake, connector, ...org };
}

const memberIds = (f: FakeGoogle, groupId: string) => (f.store.members.get(groupId) ?? []).map((m) => m.id);

describe('Google connector: actions', () => {
  it('suspends an account, and the next read reports it suspended', async () => {
    const { fake, connector, users } = await setup();
    await connector.suspendAccount!(users.grace.id);
    expect(fake.store.findUser(users.grace.id)?.suspended).toBe(true);
    const { accounts } = await drain(connector);
    expect(accounts.find((a) => a.externalId === users.grace.id)?.status).toBe('suspended');
  });

  it('deactivates an account by suspending it, as Google has no softer state', async () => {
    const { fake, connector, users } = await setup();
    await connector.deactivateAccount!(users.kenji.id);
    expect(fake.store.findUser(users.kenji.id)?.suspended).toBe(true);
    expect(fake.counts['users.update']).toBe(1);
  });

  it('removes a direct group membership, and a repeat is harmless', async () => {
    const { fake, connector, users, groups } = await setup();
    const grant: GrantRef = { accountExternalId: users.linus.id, resourceExternalId: groups.eng.id, resourceKind: 'group', via: 'direct' };
    expect(connector.canRemove(grant)).toBe(true);

    await connector.removeGrant!(grant);
    expect(memberIds(fake, groups.eng.id)).not.toContain(users.linus.id);
    await expect(connector.removeGrant!(grant)).resolves.toBeUndefined();
    expect(fake.counts['members.delete']).toBe(2);
  });

  it('refuses to remove access held through a nested group or an admin role', async () => {
    const { fake, connector, users, groups } = await setup();
    const nested: GrantRef = {
      accountExternalId: users.kenji.id,
      resourceExternalId: groups.eng.id,
      resourceKind: 'group',
      via: `group:${groups.sre.id}`,
    };
    const role: GrantRef = { accountExternalId: users.ada.id, resourceExternalId: 'google:super-admin', resourceKind: 'role', via: 'direct' };
    expect(connector.canRemove(nested)).toBe(false);
    expect(connector.canRemove(role)).toBe(false);
    await expect(connector.removeGrant!(nested)).rejects.toBeInstanceOf(PermanentError);
    await expect(connector.removeGrant!(role)).rejects.toBeInstanceOf(PermanentError);
    expect(fake.counts['members.delete']).toBeUndefined();
  });

  it('adds a group membership once, however often it is asked', async () => {
    const { fake, connector, users, groups } = await setup();
    await connector.addGroupMembership!(users.kenji.id, groups.all.id);
    await connector.addGroupMembership!(users.kenji.id, groups.all.id);
    expect(memberIds(fake, groups.all.id)).toEqual([users.kenji.id]);
    const { grants } = await drain(connector);
    expect(grants).toContainEqual({ accountExternalId: users.kenji.id, resourceExternalId: groups.all.id, via: 'direct' });
  });

  it('reports an unknown account as a permanent error', async () => {
    const { connector } = await setup();
    await expect(connector.suspendAccount!('999')).rejects.toThrow(PermanentError);
    await expect(connector.suspendAccount!('999')).rejects.toThrow(/users\.update: HTTP 404 notFound/);
  });
});
