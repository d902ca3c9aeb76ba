import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileConnector } from '../../src/connectors/file/index.js';
import type { Connector, SourceAccount, SourceGrant, SourceResource } from '../../src/connectors/types.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(connector: Connector) {
  const accounts: SourceAccount[] = [];
  const resources: SourceResource[] = [];
  const grants: SourceGrant[] = [];
  for await (const page of connector.read()) {
    accounts.push(...(page.accounts ?? []));
    resources.push(...(page.resources ?? []));
    grants.push(...(page.grants ?? []));
  }
  return { accounts, resources, grants };
}

const HEADER = 'system,account_id,login,email,name,status,last_login,department,title,manager_email,resource,resource_kind,privileged,owner_email,via';

describe('File connector: reading', () => {
  it("reads owner_email as the account's owner on the rows of an account of no person, and as the resource's owner on a person's rows", async () => {
    const path = join(dir, 'owners.csv');
    writeFileSync(
      path,
      [
        HEADER,
        // The service account's owner, stated on a row with no resource and again (the same) on a grant row.
        'aws,svc-backup,svc-backup,,,active,,,,,,,,li@acme.test,',
        'aws,svc-backup,,,,,,,,,Backups,role,true,li@acme.test,',
        'aws,ann,ann,ann@acme.test,Ann,active,,Eng,,,Backups,role,true,ops@acme.test,',
      ].join('\n'),
    );
    const { accounts, resources } = await readAll(createFileConnector({ path }));
    expect(accounts.find((a) => a.externalId === 'aws:svc-backup')).toMatchObject({ person: null, ownerEmail: 'li@acme.test' });
    expect(accounts.find((a) => a.externalId === 'aws:ann')).toMatchObject({ person: { email: 'ann@acme.test' }, ownerEmail: null });
    expect(resources.find((r) => r.externalId === 'aws:Backups')).toMatchObject({ ownerEmail: 'ops@acme.test', privileged: true });
  });

  it("refuses two owners for one account of no person", async () => {
    const path = join(dir, 'two-owners.csv');
    writeFileSync(path, [HEADER, 'aws,svc,svc,,,active,,,,,R,role,,a@acme.test,', 'aws,svc,,,,,,,,,S,role,,b@acme.test,'].join('\n'));
    await expect(readAll(createFileConnector({ path }))).rejects.toThrow(/line 3.*owner_email.*conflicts with line 2/s);
  });

  it('reads the CSV example: accounts per system, people and managers, privileged roles, access through groups', async () => {
    const { accounts, resources, grants } = await readAll(createFileConnector({ path: join(EXAMPLES, 'directory.csv') }));
    const account = (id: string) => accounts.find((a) => a.externalId === id);

    expect(accounts).toHaveLength(17);
    expect(new Set(accounts.map((a) => a.system))).toEqual(new Set(['aws', 'github', 'salesforce']));
    expect(account('aws:daniel.okafor')).toMatchObject({
      system: 'aws',
      login: 'daniel.okafor',
      email: 'daniel@northwind.example',
      displayName: 'Daniel Okafor',
      status: 'active',
      lastLoginAt: new Date('2026-09-29T16:02:00Z'),
      person: { email: 'daniel@northwind.example', name: 'Daniel Okafor', department: 'Engineering', title: 'VP Engineering', managerEmail: 'maya@northwind.example' },
    });
    expect(account('salesforce:005Nw000003')).toMatchObject({ status: 'suspended', displayName: 'Tom Baker' });
    expect(account('aws:ci-deploy')).toMatchObject({ person: null, email: null, login: 'ci-deploy', ownerEmail: 'daniel@northwind.example' });
    expect(account('aws:daniel.okafor')?.ownerEmail ?? null).toBeNull();
    expect(account('salesforce:005Nw000005')).toMatchObject({ lastLoginAt: null });
    expect(grants.some((g) => g.accountExternalId === 'salesforce:005Nw000005')).toBe(false);

    expect(resources.find((r) => r.externalId === 'aws:AdministratorAccess')).toEqual({
      externalId: 'aws:AdministratorAccess',
      system: 'aws',
      kind: 'role',
      name: 'AdministratorAccess',
      privileged: true,
      ownerEmail: 'oleg@northwind.example',
      membersRead: true,
    });
    expect(resources.find((r) => r.externalId === 'aws:developers')?.kind).toBe('group');
    expect(resources.filter((r) => r.privileged).map((r) => r.externalId).sort()).toEqual([
      'aws:AdministratorAccess',
      'aws:PowerUserAccess',
      'github:org-owner',
      'salesforce:System Administrator',
    ]);
    expect(grants).toContainEqual({ accountExternalId: 'aws:wang.wei', resourceExternalId: 'aws:PowerUserAccess', via: 'group:aws:developers' });
    expect(grants).toContainEqual({ accountExternalId: 'aws:ci-deploy', resourceExternalId: 'aws:AdministratorAccess', via: 'direct' });
    expect(grants).toHaveLength(18);
  });

  it('reads the JSON example to exactly what the CSV example gives', async () => {
    const fromCsv = await readAll(createFileConnector({ path: join(EXAMPLES, 'directory.csv') }));
    const fromJson = await readAll(createFileConnector({ path: join(EXAMPLES, 'directory.json') }));
    expect(fromJson).toEqual(fromCsv);
  });

  it('keeps names in any script and reads a file that starts with a byte-order mark', async () => {
    const path = join(dir, 'bom.csv');
    const rows = [
      'system,account_id,email,name,resource',
      'db,1,wei@example.com,王伟,reporting',
      'db,2,layla@example.com,ليلى عبد الله,reporting',
      'db,3,oleg@example.com,"Петров, Олег",reporting',
      'db,4,zoe@example.com,Zoë 🌱 Ångström,reporting',
    ];
    writeFileSync(path, '\uFEFF' + rows.join('\r\n') + '\r\n');

    const { accounts } = await readAll(createFileConnector({ path }));

    expect(accounts.map((a) => a.displayName)).toEqual(['王伟', 'ليلى عبد الله', 'Петров, Олег', 'Zoë 🌱 Ångström']);
    expect(accounts[0]?.externalId).toBe('db:1');
  });

  it('reads the file afresh on every read', async () => {
    const path = join(dir, 'fresh.csv');
    writeFileSync(path, `${HEADER}\nvpn,ana,,ana@example.com,Ana,active,,,,,users,group,,,\n`);
    const connector = createFileConnector({ path });
    expect((await readAll(connector)).grants).toHaveLength(1);
    writeFileSync(path, `${HEADER}\nvpn,ana,,ana@example.com,Ana,suspended,,,,,,,,,\n`);
    const again = await readAll(connector);
    expect(again.grants).toHaveLength(0);
    expect(again.accounts[0]?.status).toBe('suspended');
  });

  it('automates nothing: every removal is left to a person', () => {
    const connector = createFileConnector({ path: join(EXAMPLES, 'directory.csv') });
    expect(connector.source).toBe('file');
    expect(connector.canRemove({ accountExternalId: 'aws:maya.chen', resourceExternalId: 'aws:ReadOnlyAccess', resourceKind: 'role', via: 'direct' })).toBe(false);
    expect(connector.removeGrant).toBeUndefined();
    expect(connector.suspendAccount).toBeUndefined();
    expect(connector.deactivateAccount).toBeUndefined();
  });
});
